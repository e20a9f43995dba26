"""How one wave's file is laid out and coded: a small typed object built from the wave's
config entry, after its preset (``presets.yaml``) and then its own fields."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

from analysis import yamlfile

SELECTIONS = ("1/0", "1/blank", "selected/blank", "text/blank", "delimited")
RANKINGS = ("scores", "positions", "ordered")
AS = ("label", "number")
# config keys of a wave that describe the data, not the file's layout or coding
NOT_LAYOUT = (
    "id",
    "path",
    "label",
    "field_date",
    "simulate",
    "preset",
    "acknowledge_exclusions",
    "revision",
    "panel",
    "rake",
    "trim",
)
# a wave's keys that make it weighted: its design columns and its raking to population margins
DESIGN_KEYS = ("weights", "strata", "cluster", "rake", "trim")
# the file's design columns a wave may name (weights, strata, cluster) -> their canonical names
DESIGN_COLUMNS = {"weights": "design_weight", "strata": "design_stratum", "cluster": "design_cluster"}


@cache
def presets() -> dict[str, dict]:
    """The named presets (``analysis/survey/readers/presets.yaml``)."""
    return yamlfile.load((Path(__file__).with_name("presets.yaml")).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class WaveFormat:
    """Layout and coding of a wave's file.

    * ``format`` csv, xlsx or sav (default: the file's extension); ``encoding`` of a CSV;
      ``sheet`` of a workbook (default: the first); ``value_labels``: read an SPSS file's
      value labels instead of its codes (``True``: every variable; a list: those variables).
    * ``header_rows``: rows below the column names that are not questionnaires (Qualtrics: 2).
    * ``id_column``: the file's respondent-id column; ``metadata``: platform columns dropped
      when present (a preset's list); ``ignore``: columns the user drops (must exist);
      ``columns``: file column -> codebook column, question id (one cell per question) or
      the ranking's id (one cell listing the areas in order).
    * ``selections``: how a multiple-response option is written: ``1/0`` (the codebook's
      coding), ``1/blank``, ``selected/blank`` (``selected_text``), ``text/blank`` (the
      option's label), or ``delimited`` (one cell per question, options joined by
      ``delimiter``, written as ``options_as`` label or 1-based number); ``not_answered``:
      cells that mean the question was not answered (never an option).
    * ``ranking``: ``scores`` (the codebook's: 4 = most important), ``positions`` (1 = ranked
      first, one column per area) or ``ordered`` (one cell, areas in order joined by
      ``ranking_separator``, written as ``areas_as`` label or 1-based number).
    * ``recode``: respondent attribute column (the codebook's) -> {file value: codebook value},
      e.g. 问卷星's codes or Chinese answers to a demographic question.
    * ``weights``, ``strata``, ``cluster``: the file's design columns (:data:`DESIGN_COLUMNS`).
    * ``partial_rankings``: keep a ranking of only the top areas as a partial ranking
      (:func:`analysis.survey.clean.clean`).
    """

    format: str | None = None
    encoding: str = "utf-8"
    sheet: str | None = None
    value_labels: bool | tuple[str, ...] = False
    header_rows: int = 0
    id_column: str | None = None
    metadata: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()
    selections: str = "1/0"
    selected_text: str = "Selected"
    delimiter: str = ","
    options_as: str = "label"
    not_answered: tuple[str, ...] = ()
    ranking: str = "scores"
    ranking_separator: str = "→"
    areas_as: str = "label"
    recode: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    partial_rankings: bool = False
    weights: str | None = None
    strata: str | None = None
    cluster: str | None = None
    preset: str | None = field(default=None, compare=False)

    @property
    def codebook_coding(self) -> bool:
        """Whether cells are in the codebook's own coding (1/0 selections, scores), so that
        the readers only drop rows and rename columns (no cell is rewritten)."""
        return self.selections == "1/0" and not self.not_answered and self.ranking == "scores"

    @classmethod
    def from_entry(cls, entry: dict) -> "WaveFormat":
        """The format of a wave's config entry: its preset's fields, then its own."""
        merged = dict(presets()[entry["preset"]]) if entry.get("preset") else {}
        merged.update({k: v for k, v in entry.items() if k not in NOT_LAYOUT})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(merged) - known)
        if unknown:
            raise ValueError(f"unknown wave key(s): {', '.join(unknown)}")
        if isinstance(merged.get("value_labels"), list):
            merged["value_labels"] = tuple(str(x) for x in merged["value_labels"])
        for k in ("metadata", "ignore", "not_answered"):
            if k in merged:
                merged[k] = tuple(str(x) for x in merged[k])
        if "recode" in merged:
            merged["recode"] = tuple(
                (str(c), tuple((str(a), str(b)) for a, b in (m or {}).items()))
                for c, m in (merged["recode"] or {}).items()
            )
        if "columns" in merged:
            merged["columns"] = tuple((str(a), str(b)) for a, b in (merged["columns"] or {}).items())
        return cls(preset=entry.get("preset"), **merged)

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self.columns)

    @property
    def design(self) -> dict[str, str]:
        """The file's design columns this wave names -> their canonical names."""
        return {getattr(self, k): v for k, v in DESIGN_COLUMNS.items() if getattr(self, k)}
