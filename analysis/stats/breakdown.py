"""Results broken down by respondent attributes (group, gender, age band), with small cells suppressed.

A cell is suppressed (value missing, ``suppressed`` true) when fewer than ``min_cell``
respondents form it, so that no published figure describes fewer than five people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.stats.patterns import selection_patterns, tally

COLUMNS = ["attribute", "value", "measure", "subject", "n", "estimate", "suppressed"]


def breakdown(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per attribute value: mean ranking score per area (valid rankings) and percent of cases
    per option; ``n`` is the number of respondents behind each cell.

    Each attribute is coded once (``pd.factorize``). Each valid ranking and each respondent's
    selections in a question are one pattern number (at most 4^4 rankings, 2^6 selection
    patterns), so an attribute's counts and sums for a question or the ranking come from one
    ``np.bincount`` of (code, pattern) pairs times the table of the patterns' cells, instead
    of a mask and a copy per cell or one weighted bincount per column. The sums are of small
    integers (scores 1-4, selections 0/1), exact, so each estimate is the bit-identical
    ``sum / n`` of NumPy's mean over the cell (tested against a pandas groupby)."""
    k = codebook.min_cell
    ar, opts = codebook.areas, codebook.options
    valid_all = responses["ranking_valid"].astype(bool).to_numpy()
    scores = np.zeros((int(valid_all.sum()), len(ar)), order="F")
    for j, col in enumerate(ar["column"]):
        scores[:, j] = responses[col].to_numpy(dtype=float, na_value=np.nan)[valid_all]
    # each valid ranking, and each respondent's selections in a question, as one pattern
    # number, so that an attribute's cells come from one count per pattern (below)
    ranking = selection_patterns(scores, sorted({float(s) for s in codebook.scores}))
    questions = []
    for q, go in opts.groupby("question", sort=False):
        x = responses[go["column"]].to_numpy()
        questions.append((q, go["option"].tolist(), x, selection_patterns(x, [0.0, 1.0])))
    rows = []
    for a in codebook.attributes.itertuples():
        if a.column in responses.columns:
            rows += _attribute_rows(a, responses[a.column], valid_all, scores, ranking, questions, ar["area"], k)
    return pd.DataFrame(rows, columns=COLUMNS)


def _attribute_rows(
    a,
    values: pd.Series,
    valid_all: np.ndarray,
    scores: np.ndarray,
    ranking: np.ndarray,
    questions: list,
    areas: pd.Series,
    k: int,
) -> list[list]:
    """One attribute's rows: per codebook value, each area's mean score over the valid rankings
    and each option's percent of cases, suppressed (NaN) below ``k`` respondents."""
    rows = []
    codes, uniques = pd.factorize(values)  # missing: -1
    # the codebook's values as codes (a value never given: a code no row has)
    code_of = {str(u): i for i, u in enumerate(uniques)}
    want = np.array([code_of.get(str(v), len(uniques)) for v in a.values])
    m = len(uniques) + 1
    codes = np.where(codes < 0, len(uniques), codes)
    n_valid, score_sums = tally(codes[valid_all], m, scores, ranking)
    per_q = [(q, options, *tally(codes, m, x, pattern, selections=True)) for q, options, x, pattern in questions]
    for v, c in zip(a.values, want):
        n = int(n_valid[c]) if c < len(uniques) else 0
        for j, area in enumerate(areas):
            mean = float(score_sums[j][c] / n) if n >= k and n else np.nan
            rows.append([a.attribute, v, "mean_score", area, n, mean, n < k])
        for q, options, n_q, sums in per_q:
            n = int(n_q[c]) if c < len(uniques) else 0
            for j, o in enumerate(options):
                pct = 100 * (sums[j][c] / n) if n >= k and n else np.nan
                rows.append([a.attribute, v, "pct_cases", f"{q}.{o}", n, pct, n < k])
    return rows
