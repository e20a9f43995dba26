"""Readers of survey-platform exports: each turns its part of a file (layout, selections,
ranking) into the one canonical wide frame of the codebook that :mod:`analysis.survey.clean`
validates, plus the faults of single cells it found. Nothing downstream knows which
platform a wave came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.codebook import Codebook
from analysis.survey.readers.spec import WaveFormat, presets

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Canonical", "WaveFormat", "presets", "to_canonical"]


@dataclass(frozen=True)
class Canonical:
    """A wave in the codebook's columns and coding (text cells), ready for
    :func:`analysis.survey.clean.clean`: ``problems`` are cell faults found while translating,
    ``first_row`` the file row of the first questionnaire and ``source`` the file's name of
    each renamed column."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    first_row: int
    source: dict


def to_canonical(raw: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, path) -> Canonical:
    """Layout, then selections, then ranking: ``raw`` (strings, as read) in canonical form."""
    # here, not at import: the workflow reads presets without pandas
    from analysis.survey.readers.attributes import recode_attributes
    from analysis.survey.readers.layout import apply_layout
    from analysis.survey.readers.problems import problems
    from analysis.survey.readers.rankings import rankings
    from analysis.survey.readers.selections import selections

    frame, first_row, source = apply_layout(raw, fmt, codebook, path)
    frame, faults_s = selections(frame, fmt, codebook, source, path)
    frame, faults_r = rankings(frame, fmt, codebook, source, path)
    frame = recode_attributes(frame, fmt, codebook, path)
    return Canonical(frame, problems(faults_s + faults_r), first_row, source)
