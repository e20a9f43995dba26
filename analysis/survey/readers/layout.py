"""The layout of an export: header rows below the column names, platform metadata columns,
the id column and the renaming of the file's columns to the codebook's vocabulary."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.errors import InputError
from analysis.survey.readers.spec import WaveFormat


def apply_layout(raw: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, path) -> tuple[pd.DataFrame, int, dict]:
    """``raw`` without header rows and dropped columns, its columns renamed to the codebook's.

    Returns ``(frame, first_row, source)``: ``first_row`` is the file row of the first
    questionnaire (the column names are row 1), ``source`` maps each renamed column to the
    file's name for messages."""
    if fmt.header_rows:
        if fmt.header_rows > len(raw):
            raise InputError(
                path,
                f"the wave's `header_rows: {fmt.header_rows}` is more than the file's "
                f"{len(raw)} row(s) below the column names",
                row=2,
            )
        raw = raw.iloc[fmt.header_rows :].reset_index(drop=True)
    first_row = 2 + fmt.header_rows
    absent = [c for c in fmt.ignore if c not in raw.columns]
    if absent:
        raise InputError(
            path,
            f"column(s) {', '.join(map(repr, absent))} listed under the wave's `ignore` are not in the file",
            row=1,
            column=absent[0],
        )
    drop = [c for c in raw.columns if c in fmt.ignore or c in fmt.metadata]
    raw = raw.drop(columns=drop)
    mapping = fmt.mapping
    if fmt.id_column and fmt.id_column != codebook.id_column:
        if fmt.id_column not in raw.columns:
            raise InputError(
                path,
                f"no id column '{fmt.id_column}' (the wave's `id_column`"
                + (f", from preset '{fmt.preset}'" if fmt.preset else "")
                + ")",
                row=1,
                column=fmt.id_column,
            )
        mapping = {fmt.id_column: codebook.id_column, **mapping}
    absent = [k for k in mapping if k not in raw.columns]
    if absent:
        raise InputError(
            path,
            f"column(s) {', '.join(map(repr, absent))} named in the wave's `columns` mapping are not in the file",
            row=1,
            column=absent[0],
        )
    allowed = codebook.targets
    wrong = [(k, v) for k, v in mapping.items() if v not in allowed]
    if wrong:
        k, v = wrong[0]
        raise InputError(
            path,
            f"the wave's `columns` maps '{k}' to '{v}', which is neither a codebook column, "
            "a question id nor the ranking's id",
            row=1,
            column=k,
        )
    return raw.rename(columns=mapping), first_row, {v: k for k, v in mapping.items() if k != v}


def split_design(frame: pd.DataFrame, fmt: WaveFormat, path, wave: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame`` without the design columns the wave names (``weights``, ``strata``, ``cluster``),
    and those columns under their canonical names (:data:`~analysis.survey.readers.spec.DESIGN_COLUMNS`;
    no columns for a wave without a design). A named column the file lacks is an
    :class:`InputError` naming the wave, the key and the column."""
    if not fmt.design:
        return frame, pd.DataFrame(index=frame.index)
    for key, column in ((k, getattr(fmt, k)) for k in ("weights", "strata", "cluster")):
        if column and column not in frame.columns:
            raise InputError(
                path,
                f"wave '{wave}': its `{key}: {column}` names a column the file lacks",
                row=1,
                column=column,
            )
    design = frame[list(fmt.design)].rename(columns=fmt.design)
    return frame.drop(columns=list(fmt.design)), design
