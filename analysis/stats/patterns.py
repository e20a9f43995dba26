"""Patterns of answers as the sufficient statistics of per-group tables: each respondent's
selections in a question (or valid ranking) as one number, so that a table of groups by any
option (or area) comes from one count of (group, pattern) pairs times the table of the
patterns' cells, whatever the number of respondents."""

from __future__ import annotations

import numpy as np


def selection_patterns(x: np.ndarray, values: list[float]):
    """Each row of ``x`` (every cell one of ``values``) as one number (its cells as digits in
    base ``len(values)``), with the table of each pattern's cells: ``(numbers, table)``, or
    ``None`` when a cell is not one of ``values`` or there would be over 2^16 patterns."""
    base, width = len(values), x.shape[1]
    if base**width > 1 << 16 or not len(x):
        return None
    lo = values[0]
    if values != [lo + d for d in range(base)]:  # (consecutive values: a cell's digit is its distance to the first)
        return None
    number = np.zeros(len(x), np.int32)
    for j in range(width):  # column by column (contiguous in pandas' memory)
        col = x[:, j]
        if not (col.min() >= lo and col.max() <= lo + base - 1):  # (a NaN fails both)
            return None
        digit = (col - lo).astype(np.int32) if lo else col.astype(np.int32)
        if col.dtype.kind == "f" and (digit + lo != col).any():
            return None
        number += digit * base**j
    table = np.array(values)[(np.arange(base**width)[:, None] // base ** np.arange(width)) % base]
    return number, table.astype(np.int64)


def tally(codes: np.ndarray, m: int, x: np.ndarray, pattern, selections: bool = False) -> tuple:
    """For each of the ``m`` codes: how many rows count (with ``selections``, only rows with a
    selection, not 0) and, per column of ``x``, the sum of their cells. From one bincount of
    (code, pattern) pairs times the patterns' cells when ``pattern`` (:func:`selection_patterns`)
    is given (integer sums), else one weighted bincount per column (the same sums as floats,
    exact); either way a mean computed from them is the same bits."""
    if pattern is None:
        if selections:
            answered = (x != 0).any(axis=1)
            codes, x = codes[answered], x[answered]
        return (
            np.bincount(codes, minlength=m),
            [np.bincount(codes, weights=x[:, j], minlength=m) for j in range(x.shape[1])],
        )
    number, table = pattern
    count = np.bincount(codes * len(table) + number, minlength=m * len(table)).reshape(m, len(table))
    n = count[:, 1:].sum(axis=1) if selections else count.sum(axis=1)  # (pattern 0: no selection)
    return n, list((count @ table).T)
