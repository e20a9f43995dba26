"""Step of rule ``statistics``: every per-wave statistic from one read of the wave's cleaned
responses: Table 1 and the score distribution (:mod:`analysis.stats.ranking`), the multiple-response
tables (:mod:`analysis.stats.multiresponse`), the extended inference (:mod:`analysis.stats.inference`), the
countermeasure analysis (:mod:`analysis.stats.countermeasures`), the breakdown by respondent
attribute (:mod:`analysis.stats.breakdown`) and the tests of differences between respondent groups
(:mod:`analysis.stats.group_tests`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis import io
from analysis.stats import inference as inf
from analysis.stats import plackett_luce as plm
from analysis.stats.breakdown import breakdown
from analysis.stats.countermeasures import coverage, gaps, priorities
from analysis.stats.group_tests import attribute_worths, option_tests, ranking_tests
from analysis.stats.multiresponse import frequencies
from analysis.stats.ranking import describe, score_distribution
from analysis.steps import CODEBOOK, COUNTERMEASURES, SEED, read_responses, run_step, step_parser
from analysis.survey.clean import partial_rankings, ranking_shortfall, valid_rankings

# Fewest valid rankings the ranking statistics need (a standard deviation, Friedman's test).
MIN_VALID_RANKINGS = 2

PARSER = step_parser(
    "statistics",
    __doc__,
    responses="cleaned responses of a wave: responses.csv or its Arrow twin responses.arrow (flow.csv beside it)",
    codebook=CODEBOOK,
    countermeasures=COUNTERMEASURES,
    table1="output CSV: Table 1 (SPSS descriptives of the ranking scores)",
    distribution="output CSV: percent of respondents giving each score to each area",
    mr="output CSV: multiple-response table (counts and percents per option)",
    inference_outdir="output directory of the extended inference",
    countermeasures_outdir="output directory of the countermeasure analysis",
    breakdown="output CSV: results by respondent attribute",
    group_tests="output CSV: tests of differences between respondent groups (options and ranking areas)",
    group_worths="output CSV: Plackett-Luce worths per respondent group with the likelihood-ratio test",
    bootstrap="bootstrap resamples (integer)",
    pl_bootstrap="bootstrap resamples of the Plackett-Luce worths (integer)",
    priority_bootstrap="bootstrap resamples of the risk priorities and countermeasure scores (integer)",
    seed=SEED,
)


def checked_responses(path, book):
    """The wave's cleaned responses (:func:`analysis.steps.read_responses`); a wave with too few
    valid rankings stops with one message (:func:`analysis.survey.clean.ranking_shortfall`)."""
    wave_dir = Path(path).parent
    problem = ranking_shortfall(io.read_csv(wave_dir / "flow.csv"), wave_dir.name, MIN_VALID_RANKINGS)
    if problem:
        raise io.InputError(
            wave_dir.as_posix(), f"{problem}; every exclusion is listed in {(wave_dir / 'exclusions.csv').as_posix()}"
        )
    return read_responses(path, book)


def write_countermeasures(responses, book, a) -> None:
    """Risk priorities, countermeasure scores, coverage and gaps (bootstrap intervals)."""
    cm = io.read_yaml(a.countermeasures)
    try:
        risks, cms = priorities(responses, book, cm, int(a.priority_bootstrap), int(a.seed))
    except ValueError as e:
        raise io.InputError(a.countermeasures, str(e)) from None
    out = Path(a.countermeasures_outdir)
    io.write_csv(risks, out / "risks.csv")
    io.write_csv(cms, out / "countermeasures.csv")
    io.write_csv(coverage(risks, cm), out / "coverage.csv")
    io.write_csv(gaps(risks, cm), out / "gaps.csv")


def write_inference(responses, r, mr, book, a) -> None:
    """Wilson intervals, Cochran's Q and McNemar tests of the options; Friedman, post-hoc tests,
    the 3.2-rule tests, first choices and Plackett-Luce worths of the valid rankings ``r`` (the
    last two with the wave's partial rankings, where it declares them)."""
    out = Path(a.inference_outdir)
    io.write_csv(inf.mr_intervals(mr), out / "mr_intervals.csv")
    cochran, pairwise = inf.mr_test_tables(responses, book)
    io.write_csv(cochran, out / "cochran.csv")
    io.write_csv(pairwise, out / "mr_pairwise.csv")
    io.write_csv(inf.friedman(r, book), out / "friedman.csv")
    io.write_csv(inf.posthoc(r, book), out / "posthoc.csv")
    io.write_csv(inf.threshold_tests(r, book, int(a.bootstrap), int(a.seed)), out / "threshold.csv")
    partial = partial_rankings(responses, book)  # (a wave that declares partial rankings)
    io.write_csv(inf.first_choice(r, book, partial), out / "first_choice.csv")
    io.write_csv(plm.plackett_luce(r, book, int(a.pl_bootstrap), int(a.seed), partial), out / "plackett_luce.csv")


def run(a) -> None:
    book = io.read_codebook(a.codebook)
    responses = checked_responses(a.responses, book)
    r = valid_rankings(responses, book)
    io.write_csv(describe(r, book), a.table1)
    io.write_csv(score_distribution(r, book), a.distribution)
    mr = frequencies(responses, book)
    io.write_csv(mr, a.mr)
    write_countermeasures(responses, book, a)
    io.write_csv(breakdown(responses, book), a.breakdown)
    io.write_csv(
        pd.concat([option_tests(responses, book, int(a.seed)), ranking_tests(r, responses, book)], ignore_index=True),
        a.group_tests,
    )
    io.write_csv(attribute_worths(r, responses, book), a.group_worths)
    write_inference(responses, r, mr, book, a)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
