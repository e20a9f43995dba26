"""How Snakemake schedules this workflow's jobs, adjusted once the run has started (``onstart``)."""

from __future__ import annotations

# Snakemake's default --max-jobs-per-timespan (100 jobs in 1 s)
DEFAULT_RATE = (100, 1)


def drop_local_rate_limit(workflow) -> bool:
    """Drop Snakemake's job rate limiter from a local run at its default limit; True if dropped.

    After every pass of its scheduler, the limiter re-arms a ``threading.Timer`` of its timespan
    (1 s by default) to look again. The timer is not a daemon thread, so Python waits for the last
    one at exit: a finished local build took up to a second more to end (1.0-1.35 s measured
    here after the last job of a cold build). Local jobs are bounded by the cores anyway. A
    cluster run (where the limit spares the scheduler) and a run given another limit keep it.
    Called from ``onstart``, after Snakemake has built its scheduler and before any job is
    selected (the scheduler's job count is then still unrestricted, as it is without a limiter)."""
    limit = workflow.scheduling_settings.max_jobs_per_timespan
    scheduler = workflow.scheduler
    if not workflow.local_exec or scheduler.job_rate_limiter is None or limit is None \
            or (limit.max_jobs, limit.timespan) != DEFAULT_RATE:
        return False
    scheduler.job_rate_limiter = None
    return True
