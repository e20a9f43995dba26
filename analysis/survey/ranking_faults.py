"""What is wrong with a ranking, if anything: blank, incomplete, out of range, tied, or a top-k partial ranking, with the cells that show it (the rule the readers and cleaning share)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook


def positions(cells: pd.Series, texts: list[str]) -> np.ndarray:
    """Each cell's position in ``texts`` (-1 for any other cell): one hash lookup per cell, by
    Arrow's ``index_in`` on the column's Arrow data (an Arrow-backed column's own buffers)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    data = pa.array(cells)
    if pa.types.is_null(data.type):  # (no cell, or none but missing ones)
        data = data.cast(pa.string())
    kind = data.type.value_type if pa.types.is_dictionary(data.type) else data.type
    return np.asarray(pc.index_in(data, value_set=pa.array(texts, kind)).fill_null(-1), dtype=np.int64)


def ranking_problem(raw: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Why each row's ranking is invalid ('' when valid): :func:`ranking_faults` of the
    area columns against the codebook's scores."""
    return ranking_faults(raw[codebook.areas["column"].tolist()], [str(s) for s in codebook.scores])


def ranking_faults(cells: pd.DataFrame, allowed: list[str]) -> pd.Series:
    """Why each row of ``cells`` (one column per area) is not a ranking that uses every value
    of ``allowed`` exactly once ('' when it is), checked in this order: ``blank`` (all
    empty), ``out_of_range`` (a value not allowed), ``incomplete`` (some empty), ``tie``
    (a value used more than once). Vectorised over the rows: one pass per column and per
    pair of columns (a tie is two allowed cells of one row that are equal)."""
    return ranking_faults_and_values(cells, allowed)[0]


# The reasons of :func:`ranking_faults` by their code in ``ranking_faults_and_values`` (0: valid).
RANKING_REASONS = np.array(["", "blank", "out_of_range", "incomplete", "tie"], dtype=object)


def ranking_faults_and_values(cells: pd.DataFrame, allowed: list[str]) -> tuple[pd.Series, np.ndarray]:
    """:func:`ranking_faults` and the cells as integers (rows x columns; 0 where a cell is
    not an allowed value). Each column's flags are one contiguous row of a columns x rows
    array, so that every test is an element-wise operation on whole columns (a reduction
    along rows of four cells costs a loop per row in NumPy)."""
    x = cells if all(isinstance(d, (pd.StringDtype, pd.CategoricalDtype)) for d in cells.dtypes) else cells.astype(str)
    k, n = x.shape[1], len(x)
    empty = np.zeros((k, n), bool)
    ok = np.zeros((k, n), bool)
    values = np.zeros((k, n), np.int8 if all(-100 < int(a) < 100 for a in allowed) else np.int64)
    number = np.array([0, *map(int, allowed)], values.dtype)
    for j, c in enumerate(x.columns):  # each cell looked up once among '' and the allowed texts
        position = positions(x[c], ["", *allowed])
        empty[j] = position == 0
        ok[j] = position > 0
        values[j] = number[np.maximum(position, 0)]
    tie = np.zeros(n, bool)
    for i in range(k):
        for j in range(i + 1, k):
            tie |= ok[i] & ok[j] & (values[i] == values[j])
    code = np.zeros(n, np.int8)  # the first reason that applies, in the order above
    code[tie] = 4
    code[empty.any(axis=0)] = 3
    code[~(ok | empty).all(axis=0)] = 2
    code[empty.all(axis=0)] = 1
    return pd.Series(RANKING_REASONS[code], index=cells.index, dtype=object), values.T


def fault_detail(
    kind: str, vals: dict[str, str], cols: list[str], allowed: list[str], unit: str = "score"
) -> tuple[str, str, str]:
    """Column, value and a sentence explaining why one ranking is invalid; ``unit`` names
    what the cells hold (``score`` or ``position``)."""
    if kind == "blank":
        return "", "", "ranking question left blank"
    if kind == "out_of_range":
        c = next(c for c in cols if vals[c] not in ("", *allowed))
        return c, vals[c], f"{unit} {vals[c][:40]!r} is not one of {', '.join(allowed)}"
    if kind == "incomplete":
        empty = [c for c in cols if vals[c] == ""]
        return empty[0], "", f"{len(empty)} area(s) not ranked: {', '.join(empty)}"
    seen = {}
    for c in cols:
        if vals[c] in seen:
            return c, vals[c], f"{unit} {vals[c]} given to both {seen[vals[c]]} and {c}"
        seen[vals[c]] = c
    return "", "", kind


def top_k(values: np.ndarray, scores: list[int]) -> np.ndarray:
    """Whether each row of ``values`` (rows x areas; 0 where a cell is blank) ranks only its top
    areas: k >= 1 cells filled with the k highest ``scores``, each once. k distinct scores
    reach the sum of the k highest only as those very scores."""
    top = np.sort(np.asarray(scores))[::-1]
    filled = values > 0
    k = filled.sum(axis=1)
    best = np.concatenate([[0], np.cumsum(top)])[k]
    ordered = np.sort(values, axis=1)
    distinct = ~((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] > 0)).any(axis=1)
    return (k >= 1) & (k < values.shape[1]) & distinct & (values.sum(axis=1) == best)
