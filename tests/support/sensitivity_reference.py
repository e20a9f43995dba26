"""Reference computations of the reconstruction draws for the tests: one draw at a time, as
tables, every statistic by the per-wave functions of :mod:`analysis.stats.inference` (which call
scipy, statsmodels and choix). The pipeline computes the draws batched
(:mod:`analysis.article.sensitivity_fast`); tests/unit/test_sensitivity.py checks it against these."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.article.sensitivity import mr_design, run_chunk
from analysis.article.sensitivity_fast import COLUMNS, draw_batch, draw_inputs
from analysis.codebook import Codebook
from analysis.stats import inference as inf
from analysis.stats import plackett_luce as plm
from analysis.stats.multiresponse import frequencies


def draw_data(
    mats: np.ndarray, draw: int, pub: pd.DataFrame, codebook: Codebook, n_q: int, seed: int, design: dict | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reconstructed (responses, valid rankings) of draw number ``draw``, as tables
    (:func:`analysis.article.sensitivity_fast.draw_batch`)."""
    design = design or mr_design(pub, codebook, n_q)
    order = np.random.default_rng(seed).permutation(len(mats))
    xs, sels = draw_batch(mats, [draw_inputs(mats, draw, order, design, seed)], np.array(sorted(codebook.scores)))
    x, sel = xs[0], {q: v[0] for q, v in sels.items()}
    idc = codebook.id_column
    rankings = pd.DataFrame(x, columns=codebook.areas["column"])
    rankings.insert(0, idc, np.arange(1, len(rankings) + 1))
    opts = codebook.options
    responses = pd.DataFrame({idc: np.arange(1, n_q + 1)})
    for q, g in opts.groupby("question", sort=False):
        for j, c in enumerate(g["column"]):
            responses[c] = sel[q][:, j]
    return responses, rankings


def _long(draw, family, df, subject_cols, stats) -> list[dict]:
    rows = []
    for r in df.to_dict("records"):
        subject = ":".join(str(r[c]) for c in subject_cols)
        rows.extend(
            {"draw": draw, "family": family, "statistic": s, "subject": subject, "value": float(r[s])} for s in stats
        )
    return rows


def draw_statistics(
    responses: pd.DataFrame, rankings: pd.DataFrame, codebook: Codebook, draw: int, n_boot: int, seed: int
) -> pd.DataFrame:
    """Every joint-structure-dependent statistic (and the marginal-only ones, as a check) of one draw."""
    rows = []
    rows += _long(draw, "friedman", inf.friedman(rankings, codebook), [], ["chi2", "p", "kendall_w"])
    ph = inf.posthoc(rankings, codebook)
    rows += _long(draw, "posthoc", ph, ["method", "area_a", "area_b"], ["p_adj"])
    rows += _long(draw, "posthoc", ph[ph["method"] == "wilcoxon_holm"], ["method", "area_a", "area_b"], ["z"])
    rows += _long(
        draw,
        "threshold",
        inf.threshold_tests(rankings, codebook, n_boot, seed),
        ["area"],
        ["t", "p_greater", "boot_low", "boot_high"],
    )
    rows += _long(draw, "first_choice", inf.first_choice(rankings, codebook), ["area"], ["pct"])
    rows += _long(draw, "plackett_luce", plm.plackett_luce(rankings, codebook, 0, seed), ["area"], ["worth"])
    mr = inf.mr_intervals(frequencies(responses, codebook))
    rows += _long(draw, "mr_cases", mr, ["question", "option"], ["pct_cases", "ci_low", "ci_high"])
    cochran, pairwise = inf.mr_test_tables(responses, codebook)
    rows += _long(draw, "cochran", cochran, ["question"], ["q", "p"])
    rows += _long(draw, "mcnemar", pairwise, ["question", "option_a", "option_b"], ["p_holm"])
    return pd.DataFrame(rows, columns=COLUMNS)


def run_draws(mats, draws: list[int], pub, codebook, n_q: int, seed: int, n_boot: int) -> pd.DataFrame:
    """Statistics of the given draw numbers, one tidy table (:func:`run_chunk`)."""
    return run_chunk(mats, draws, pub, codebook, n_q, seed, n_boot)[0]
