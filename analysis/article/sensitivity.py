"""Sensitivity of the conclusions to the reconstruction.

The printed numbers pin down each ranking area's score distribution up to the attainable
count matrices (:func:`analysis.article.audit.table1_attainability`) and each multiple-response
question's shares up to its feasible totals of responses; they do not identify the joint
structure (which respondent gave which answers). Draw ``r`` of ``R`` takes a distinct
attainable count matrix (a seeded permutation of all of them), a seeded random
Birkhoff-von Neumann decomposition, a feasible total of responses per question chosen at
random, and seeded 0/1 selections; every statistic of :mod:`analysis.stats.inference` is then
recomputed. For complete rankings without ties, Friedman's chi-square, Kendall's W and the
Nemenyi and Conover tests depend only on each area's rank total, which Table 1 fixes, so
they are identical across draws; Wilcoxon signed-rank, Plackett-Luce, Cochran's Q and the
McNemar tests are not.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from analysis.article.audit import consistent_totals
from analysis.article.published import mr_targets
from analysis.article.reconstruct import response_counts
from analysis.article.sensitivity_fast import COLUMNS, chunk_statistics, draw_batch, draw_inputs
from analysis.codebook import Codebook
from analysis.stats import inference as inf

BATCH = 500  # draws built and computed together (memory grows with the batch, not with the draws)


def feasible_totals(pub: pd.DataFrame, n_q: int) -> dict[str, list[int]]:
    """Per question, every total number of responses from ``n_q`` respondents consistent
    with the printed percentages (:func:`analysis.article.audit.consistent_totals`)."""
    return {
        q: consistent_totals([(p, d) for _, p, d in t], n_q, len(t) * n_q, cap=n_q) for q, t in mr_targets(pub).items()
    }


def mr_design(pub: pd.DataFrame, codebook: Codebook, n_q: int) -> dict[str, tuple]:
    """Per question: its feasible totals of responses, for each the option counts
    (:func:`analysis.article.reconstruct.response_counts`) in codebook option order, and ``n_q``."""
    totals = feasible_totals(pub, n_q)
    opts = codebook.options
    out = {}
    for q, targets in mr_targets(pub).items():
        order = opts.loc[opts["question"] == q, "option"].tolist()
        printed = [o for o, _, _ in targets]  # response_counts' rows, in the article's order
        idx = [printed.index(o) for o in order]
        counts = {t: response_counts(targets, n_q, totals=[t])["count"].to_numpy()[idx] for t in totals[q]}
        out[q] = (totals[q], counts, n_q)
    return out


def run_chunk(
    mats, draws: list[int], pub, codebook, n_q: int, seed: int, n_boot: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statistics of the given draw numbers (one tidy table) and their design (which
    attainable Table 1 matrix and which total of responses per question each draw used).
    Each draw's random inputs come from its own generator
    (:func:`analysis.article.sensitivity_fast.draw_inputs`); its data are built and its statistics
    computed for all draws of the chunk at once
    (:func:`analysis.article.sensitivity_fast.chunk_statistics`). The bootstrap weights are seeded by
    ``seed`` alone, so a draw's statistics do not depend on the chunk it is in."""
    design = mr_design(pub, codebook, n_q)
    order = np.random.default_rng(seed).permutation(len(mats))
    n = int(mats[0][0].sum())
    weights = np.random.default_rng([seed, 2**31]).multinomial(n, np.full(n, 1 / n), size=n_boot).astype(float)
    scores = np.array(sorted(codebook.scores))
    parts, rows = [], []
    draws = list(draws)
    for i in range(0, len(draws), BATCH):  # bounded memory; each draw is independent of its batch
        inputs = [draw_inputs(mats, d, order, design, seed) for d in draws[i : i + BATCH]]
        x, sel = draw_batch(mats, inputs, scores)
        parts.append(
            chunk_statistics(draws[i : i + BATCH], list(x), {q: list(v) for q, v in sel.items()}, codebook, weights)
        )
        for d in inputs:
            rows.append({"draw": d["draw"], "item": "table1_matrix", "value": d["matrix"], "attainable": len(mats)})
            rows += [
                {"draw": d["draw"], "item": f"mr_total:{q}", "value": v["total"], "attainable": len(design[q][0])}
                for q, v in d["mr"].items()
            ]
    stats_ = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    return stats_, pd.DataFrame(rows, columns=["draw", "item", "value", "attainable"])


def coverage(design: pd.DataFrame) -> pd.DataFrame:
    """How much of the attainable data sets the draws visited: per item (the Table 1 count
    matrix; the total of responses of each question), the number of attainable values, the
    number of distinct values drawn and their share."""
    g = design.groupby("item", sort=False)
    out = g.agg(attainable=("attainable", "max"), visited=("value", "nunique"), draws=("draw", "nunique"))
    out["share_visited"] = out["visited"] / out["attainable"]
    out["all_visited"] = out["visited"] == out["attainable"]
    return out.reset_index()


def summarise(draws: pd.DataFrame) -> pd.DataFrame:
    """min / median / max of every statistic across draws, and whether it is identical in all."""
    g = draws.groupby(["family", "statistic", "subject"], sort=True)["value"]
    out = g.agg(["min", "median", "max", "count"]).reset_index().rename(columns={"count": "n_draws"})
    out["identical"] = np.isclose(out["min"], out["max"], rtol=1e-9, atol=0)
    return out


def conclusions(draws: pd.DataFrame, codebook: Codebook, alpha: float = inf.ALPHA) -> pd.DataFrame:
    """Share of draws in which each conclusion of the analysis holds."""
    ar = codebook.areas["area"].tolist()
    lab = codebook.areas.set_index("area")["label"].to_dict()
    qlab = {q["id"]: q["label"].lower() for q in codebook.question_items}
    top = ar[0]
    piv = draws.pivot_table(index="draw", columns=["family", "statistic", "subject"], values="value")

    def col(f, s, subj):
        return piv[(f, s, subj)]

    others = ar[1:]
    tests = {
        "friedman_significant": (
            "Friedman test rejects equal importance of the areas (p < .05)",
            col("friedman", "p", "") < alpha,
        ),
        f"{top}_above_all_wilcoxon": (
            f"{lab[top]} score above every other area (Wilcoxon, Holm p < .05)",
            np.logical_and.reduce([col("posthoc", "p_adj", f"wilcoxon_holm:{top}:{o}") < alpha for o in others]),
        ),
        f"{top}_above_all_nemenyi": (
            f"{lab[top]} score above every other area (Nemenyi p < .05)",
            np.logical_and.reduce([col("posthoc", "p_adj", f"nemenyi:{top}:{o}") < alpha for o in others]),
        ),
        f"{top}_above_threshold_t": (
            f"{lab[top]}: mean above the key-risk threshold (one-sided t, p < .05)",
            col("threshold", "p_greater", top) < alpha,
        ),
        f"{top}_interval_above_threshold": (
            f"{lab[top]}: bootstrap 95% interval lies above the threshold",
            col("threshold", "boot_low", top) > float(codebook.threshold),
        ),
        f"{top}_largest_worth": (
            f"{lab[top]}: largest Plackett-Luce worth",
            np.logical_and.reduce(
                [col("plackett_luce", "worth", top) > col("plackett_luce", "worth", o) for o in others]
            ),
        ),
    }
    for a, b in combinations(ar, 2):
        tests[f"wilcoxon_{a}_vs_{b}"] = (
            f"{lab[a]} and {lab[b]} differ (Wilcoxon, Holm p < .05)",
            col("posthoc", "p_adj", f"wilcoxon_holm:{a}:{b}") < alpha,
        )
    for q in codebook.questions:
        tests[f"cochran_{q}"] = (
            f"options of '{qlab[q]}' differ (Cochran's Q, p < .05)",
            col("cochran", "p", q) < alpha,
        )
    rows = [
        {"conclusion": k, "statement": s, "holds_in": int(np.sum(v)), "n_draws": len(v), "share": float(np.mean(v))}
        for k, (s, v) in tests.items()
    ]
    return pd.DataFrame(rows)
