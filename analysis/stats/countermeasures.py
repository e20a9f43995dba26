"""Data-driven reading of the article's countermeasures (sections 3 and 5).

A specific risk is a multiple-response option. Its priority is

    priority = area weight x option share,

where the area weight is the area's mean ranking score divided by the points each
respondent hands out (4+3+2+1 = 10, so the weights sum to 1) and the option share is its
percent of cases / 100 (the probability that a respondent names it). A countermeasure's
score is the sum of the priorities of the risks it addresses (``data/countermeasures.yaml``,
the project's own coding). Intervals are percentile bootstrap intervals over
questionnaires (Efron & Tibshirani 1993), vectorised: one index matrix resamples the
rankings and the selections of the same respondents together (see :func:`replicates`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook


def coding(cm: dict, codebook: Codebook) -> pd.DataFrame:
    """Long table of (countermeasure, risk) pairs; raises on risks not in the codebook (a risk a
    wave's revision dropped is left out: :mod:`analysis.revision`)."""
    opts = codebook.options
    known = set(opts["question"] + "." + opts["option"])
    dropped = set(codebook.revision.get("dropped_options", []))  # not asked in this wave
    rows = []
    for c in cm["countermeasures"]:
        if not str(c.get("label") or "").strip():
            raise ValueError(f"countermeasure {c['id']}: no label (the words readers see in the paper)")
        for risk in c["addresses"]:
            if risk in dropped:
                continue
            if risk not in known:
                raise ValueError(f"countermeasure {c['id']}: unknown risk {risk!r} (not a codebook option)")
            rows.append({"countermeasure": c["id"], "risk": risk})
    return pd.DataFrame(rows, columns=["countermeasure", "risk"])


EXACT_LIMIT = 50_000_000  # resampled cells (n x resamples) up to which the bootstrap resamples rows


# Questionnaires per block of Z beyond EXACT_LIMIT: memory stays bounded at any number of
# questionnaires. The sums are of integers, exact, and the same for any block size.
BLOCK = 1 << 17


def z_matrix(responses: pd.DataFrame, ar: pd.DataFrame, opts: pd.DataFrame, qidx: dict) -> np.ndarray:
    """Z of :func:`replicates` for the rows of ``responses``: valid flag, scores of valid
    rankings, selections, answered flags (one row per questionnaire), filled column by column
    (integers: every sum and product of Z is exact, whatever its memory order)."""
    valid = responses["ranking_valid"].to_numpy(dtype=bool)
    na, no = len(ar), len(opts)
    z = np.empty((len(responses), 1 + na + no + len(qidx)), order="F")  # columns contiguous
    z[:, 0] = valid
    for j, c in enumerate(ar["column"], 1):
        z[:, j] = np.where(valid, responses[c].to_numpy(dtype=float, na_value=0.0), 0.0)
    for j, c in enumerate(opts["column"], 1 + na):
        z[:, j] = responses[c].to_numpy()
    for i, cols in enumerate(qidx.values()):
        z[:, 1 + na + no + i] = z[:, 1 + na + cols].sum(axis=1) > 0
    return z


def replicates(responses: pd.DataFrame, codebook: Codebook, n_boot: int, seed: int):
    """Area weights (B+1 x areas) and option shares (B+1 x options); row 0 is the estimate.

    Every quantity is a ratio of sums over questionnaires, so a bootstrap replicate only
    needs the resampled column sums of one matrix ``Z`` (valid flag, scores of valid
    rankings, selections, answered flags). Up to ``EXACT_LIMIT`` resampled cells they are
    computed by resampling rows (in chunks); beyond, by their large-sample normal
    distribution ``N(n mean(Z), n cov(Z))``, which the row bootstrap approaches, with the
    mean and covariance from sums and cross-products of ``Z`` accumulated in blocks of
    ``BLOCK`` rows (sums of integers: exact, the same for any block size).
    """
    ar, opts = codebook.areas, codebook.options
    total = float(sum(codebook.scores))
    qidx = opts.groupby("question", sort=False).indices
    n = len(responses)
    rng = np.random.default_rng(seed)
    if n * n_boot <= EXACT_LIMIT:
        z = z_matrix(responses, ar, opts, qidx)
        d = z.shape[1]
        sums = np.empty((n_boot + 1, d))
        sums[0] = z.sum(axis=0)
        step = max(1, int(2_000_000 // n))  # multinomial resampling weights, in bounded chunks
        for s in range(0, n_boot, step):
            m = min(step, n_boot - s)
            sums[1 + s : 1 + s + m] = rng.multinomial(n, np.full(n, 1 / n), size=m) @ z
    else:  # sums and cross-products of Z block by block: memory bounded at any n
        total_z, cross = None, None
        for start in range(0, n, BLOCK):
            zb = z_matrix(responses.iloc[start : start + BLOCK], ar, opts, qidx)
            total_z = zb.sum(axis=0) if total_z is None else total_z + zb.sum(axis=0)
            cross = zb.T @ zb if cross is None else cross + zb.T @ zb
        mean = total_z / n
        cov = (cross - n * np.outer(mean, mean)) / (n - 1)  # exact sums of integers, then one rounding
        sums = np.empty((n_boot + 1, len(total_z)))
        sums[0] = total_z
        if n_boot:
            sums[1:] = rng.multivariate_normal(mean * n, cov * n, size=n_boot, method="eigh")
    na = len(ar)
    weights = sums[:, 1 : 1 + na] / sums[:, [0]] / total
    sel_sums = sums[:, 1 + na : 1 + na + len(opts)]
    ans = sums[:, 1 + na + len(opts) :]
    shares = np.empty_like(sel_sums)
    for i, cols in enumerate(qidx.values()):
        shares[:, cols] = sel_sums[:, cols] / ans[:, [i]]
    return weights, shares


def priorities(
    responses: pd.DataFrame, codebook: Codebook, cm: dict, n_boot: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Risk priorities and countermeasure scores with 95% bootstrap intervals.

    Returns ``(risks, countermeasures)``. ``risks``: ``risk``, ``question``, ``option``,
    ``label``, ``area_weight``, ``share``, ``priority``, ``ci_low``, ``ci_high``, ``rank``,
    ``n_countermeasures``, ``specific``, ``gap``. ``countermeasures``: ``countermeasure``,
    ``label``, ``section``, ``actor``, ``summary``, ``n_risks``, ``score``, ``ci_low``, ``ci_high``, ``rank``.
    """
    ar, opts = codebook.areas, codebook.options
    weights, shares = replicates(responses, codebook, n_boot, seed)
    area_of = {a: i for i, a in enumerate(ar["area"])}
    w = weights[:, [area_of[q] for q in opts["question"]]]
    pr = w * shares
    risk_ids = (opts["question"] + "." + opts["option"]).to_numpy()
    links = coding(cm, codebook)
    unspecific = set(cm.get("unspecific_options", []))
    lo, hi = np.percentile(pr[1:], [2.5, 97.5], axis=0) if n_boot else (np.full(len(opts), np.nan),) * 2
    risks = pd.DataFrame(
        {
            "risk": risk_ids,
            "question": opts["question"],
            "option": opts["option"],
            "label": opts["label"],
            "area_weight": w[0],
            "share": shares[0],
            "priority": pr[0],
            "ci_low": lo,
            "ci_high": hi,
        }
    )
    risks["rank"] = risks["priority"].rank(ascending=False, method="min").astype(int)
    risks["n_countermeasures"] = risks["risk"].map(links["risk"].value_counts()).fillna(0).astype(int)
    risks["specific"] = ~risks["risk"].isin(unspecific)
    risks["gap"] = risks["specific"] & (risks["n_countermeasures"] == 0)
    m = np.zeros((len(cm["countermeasures"]), len(opts)))
    pos = {r: j for j, r in enumerate(risk_ids)}
    row = {c["id"]: i for i, c in enumerate(cm["countermeasures"])}
    for c, r in zip(links["countermeasure"], links["risk"]):  # (a risk this wave did not ask: left out)
        m[row[c], pos[r]] = 1
    sc = pr @ m.T
    lo, hi = np.percentile(sc[1:], [2.5, 97.5], axis=0) if n_boot else (np.full(len(m), np.nan),) * 2
    cms = pd.DataFrame(
        {
            "countermeasure": [c["id"] for c in cm["countermeasures"]],
            "label": [c["label"] for c in cm["countermeasures"]],
            "section": [c["section"] for c in cm["countermeasures"]],
            "actor": [c["actor"] for c in cm["countermeasures"]],
            "summary": [c["summary"] for c in cm["countermeasures"]],
            "n_risks": m.sum(axis=1).astype(int),
            "score": sc[0],
            "ci_low": lo,
            "ci_high": hi,
        }
    )
    cms["rank"] = cms["score"].rank(ascending=False, method="min").astype(int)
    return risks, cms


def coverage(risks: pd.DataFrame, cm: dict) -> pd.DataFrame:
    """Risk x countermeasure matrix (long form): the risk's priority where covered, else 0."""
    addressed = {(c["id"], r) for c in cm["countermeasures"] for r in c["addresses"]}
    rows = [
        {
            "risk": r.risk,
            "countermeasure": c["id"],
            "countermeasure_label": c["label"],
            "covered": (c["id"], r.risk) in addressed,
            "priority": r.priority if (c["id"], r.risk) in addressed else 0.0,
        }
        for r in risks.itertuples()
        if r.specific
        for c in cm["countermeasures"]
    ]
    return pd.DataFrame(rows)


def gaps(risks: pd.DataFrame, cm: dict) -> pd.DataFrame:
    """Specific risks no countermeasure addresses, by priority, with the project's recommendation."""
    g = risks[risks["gap"]].sort_values("priority", ascending=False)
    rec = cm.get("recommendations", {})
    return g.assign(recommendation=g["risk"].map(rec).fillna(""))[
        ["risk", "label", "priority", "ci_low", "ci_high", "rank", "recommendation"]
    ]


def actor_coverage(coverage: pd.DataFrame, countermeasures: pd.DataFrame) -> pd.Series:
    """For each actor, the summed priority of the distinct risks its countermeasures cover:
    a risk that two of an actor's countermeasures address counts once. Sorted, largest first
    (ties by actor name)."""
    cov = coverage[coverage["covered"].astype(bool)].merge(
        countermeasures[["countermeasure", "actor"]], on="countermeasure"
    )
    per_actor = cov.drop_duplicates(["actor", "risk"]).groupby("actor")["priority"].sum()
    per_actor = per_actor.reindex(countermeasures["actor"].drop_duplicates(), fill_value=0.0)
    return per_actor.sort_index().sort_values(ascending=False, kind="stable")
