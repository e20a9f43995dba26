"""Respondent attributes in the codebook's values: a wave's ``recode:`` (attribute column ->
{file value: codebook value}) applied to the canonical frame. A value that still does not code
is not a reader's fault: cleaning keeps the questionnaire and leaves that attribute missing
(:func:`analysis.survey.clean.attribute_faults`)."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.errors import InputError
from analysis.survey.readers.spec import WaveFormat


def recode_attributes(frame: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, path) -> pd.DataFrame:
    """``frame`` with each ``fmt.recode`` map applied to its attribute column (cells not in
    the map unchanged); a map naming a column that is no codebook attribute, or a value the
    codebook does not allow, is an :class:`InputError` naming it."""
    if not fmt.recode:
        return frame
    allowed = {a.column: list(a.values) for a in codebook.attributes.itertuples()}
    for column, pairs in fmt.recode:
        if column not in allowed:
            raise InputError(
                path,
                f"`recode:` names '{column}', which is not a respondent attribute of the "
                f"codebook ({', '.join(allowed) or 'none'})",
            )
        bad = [b for _, b in pairs if b not in allowed[column]]
        if bad:
            raise InputError(
                path,
                f"`recode: {column}` maps to {bad[0]!r}, which is not one of {', '.join(allowed[column])}",
                column=column,
            )
        if column in frame.columns:
            frame[column] = frame[column].replace(dict(pairs))
    return frame
