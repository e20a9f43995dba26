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
    ``first_row`` the file row of the first questionnaire, ``source`` the file's name of
    each renamed column and ``design`` the wave's design columns (weight, stratum, cluster; as
    text, row for row with ``frame``; no columns without a design)."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    first_row: int
    source: dict
    design: pd.DataFrame


def to_canonical(raw: pd.DataFrame, fmt: WaveFormat, codebook: Codebook, path, wave: str = "") -> Canonical:
    """Layout, then selections, then ranking: ``raw`` (strings, as read) in canonical form;
    the design columns set apart (``wave`` names the wave in their messages)."""
    # here, not at import: the workflow reads presets without pandas
    from analysis.survey.readers.attributes import recode_attributes
    from analysis.survey.readers.layout import apply_layout, split_design
    from analysis.survey.readers.problems import problems
    from analysis.survey.readers.rankings import rankings
    from analysis.survey.readers.selections import selections

    frame, first_row, source = apply_layout(raw, fmt, codebook, path)
    frame, design = split_design(frame, fmt, path, wave)
    frame, faults_s = selections(frame, fmt, codebook, source, path)
    frame, faults_r = rankings(frame, fmt, codebook, source, path)
    frame = recode_attributes(frame, fmt, codebook, path)
    return Canonical(frame, problems(faults_s + faults_r), first_row, source, design)
