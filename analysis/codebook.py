"""The questionnaire as data: one immutable :class:`Codebook` per questionnaire (per wave where a
revision applies, :mod:`analysis.revision`), parsed once from its YAML mapping, with its columns,
options, areas, questions, attributes and scores as cached frames and lookups."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where a frame is built, so that the workflow's checks run without pandas
    import pandas as pd

OPTION_COLUMNS = ["question", "section", "question_label", "option", "column", "label", "label_zh", "order"]
AREA_COLUMNS = ["area", "column", "label", "label_zh", "order"]
ATTRIBUTE_COLUMNS = ["attribute", "column", "label", "label_zh", "values"]


@dataclass(frozen=True, eq=False)
class Codebook:
    """A questionnaire (``data/codebook.yaml``'s mapping, or a wave's revised one). Frames are
    built once and handed out as copies; :meth:`to_dict` gives the mapping back for writing."""

    mapping: dict = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mapping", copy.deepcopy(dict(self.mapping)))

    def to_dict(self) -> dict:
        """A deep copy of the mapping (what :func:`analysis.io.write_codebook` writes)."""
        return copy.deepcopy(self.mapping)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Codebook) and self.mapping == other.mapping

    __hash__ = None  # type: ignore[assignment]  # (a mapping is not hashable)

    # --- the raw structure, as copies -------------------------------------------------------
    @property
    def question_items(self) -> list[dict]:
        """The multiple-response questions as written (id, section, label, options: [...])."""
        return copy.deepcopy(self.mapping["multiple_response"]["questions"])

    @property
    def ranking_item(self) -> dict:
        """The ranking question as written (id, section, label, label_zh, areas, scores, ...)."""
        return copy.deepcopy(self.mapping["ranking"])

    @property
    def area_items(self) -> list[dict]:
        """The ranking's areas as written (id, column, label, label_zh)."""
        return copy.deepcopy(self.mapping["ranking"]["areas"])

    @property
    def attribute_items(self) -> list[dict]:
        """The respondent attributes as written (id, column, label, label_zh, values)."""
        return copy.deepcopy((self.mapping.get("attributes") or {}).get("items", []))

    @property
    def free_text_items(self) -> list[dict]:
        """The free-text questions as written (id, column, label, label_zh)."""
        return copy.deepcopy(self.mapping.get("free_text", []))

    @property
    def revision(self) -> dict:
        """What the wave's revision changed (:data:`analysis.revision.KEYS`, ``unions``); ``{}`` for none."""
        return copy.deepcopy(self.mapping.get("revision") or {})

    # --- scalars and lookups -----------------------------------------------------------------
    @property
    def id_column(self) -> str:
        return self.mapping["id_column"]

    @property
    def ranking_id(self) -> str:
        """The ranking question's id (the target of a one-cell ranking)."""
        return self.mapping["ranking"]["id"]

    @property
    def ranking_section(self) -> str:
        return self.mapping["ranking"]["section"]

    @property
    def threshold(self) -> Any:
        """The key-risk rule's threshold on the mean score, as written (3.2 in the article)."""
        return self.mapping["ranking"]["key_risk_threshold"]

    @property
    def selection_values(self) -> dict[str, Any]:
        """The multiple-response codes: ``{selected: 1, not_selected: 0}``."""
        return dict(self.mapping["multiple_response"]["values"])

    @property
    def questions(self) -> list[str]:
        return [q["id"] for q in self.mapping["multiple_response"]["questions"]]

    @property
    def question_labels(self) -> dict[str, str]:
        return {q["id"]: q["label"] for q in self.mapping["multiple_response"]["questions"]}

    @property
    def question_sections(self) -> dict[str, str]:
        return {q["id"]: q["section"] for q in self.mapping["multiple_response"]["questions"]}

    @property
    def scores(self) -> list[int]:
        return [int(s) for s in self.mapping["ranking"]["scores"]]

    @property
    def columns(self) -> list[str]:
        """All raw columns in file order: id, multiple-response options, ranking areas."""
        m = self.mapping
        return [
            m["id_column"],
            *(o["column"] for q in m["multiple_response"]["questions"] for o in q["options"]),
            *(a["column"] for a in m["ranking"]["areas"]),
        ]

    @property
    def free_text(self) -> list[str]:
        """Optional free-text columns: kept in the cleaned data, never shown in the paper."""
        return [f["column"] for f in self.mapping.get("free_text", [])]

    @cached_property
    def targets(self) -> frozenset[str]:
        """What a wave's ``columns:`` mapping may name: codebook columns, question ids (one cell
        per question) and the ranking's id (one cell listing the areas in order)."""
        attrs = (a["column"] for a in (self.mapping.get("attributes") or {}).get("items", []))
        return frozenset({*self.columns, *attrs, *self.free_text, *self.questions, self.ranking_id})

    @property
    def min_cell(self) -> int:
        """The smallest group a respondent-group comparison reports (default 5)."""
        return int((self.mapping.get("attributes") or {}).get("min_cell", 5))

    # --- frames ------------------------------------------------------------------------------
    @property
    def options(self) -> pd.DataFrame:
        """One row per multiple-response option: question, option, column, labels, order."""
        return self._options.copy()

    @property
    def areas(self) -> pd.DataFrame:
        """One row per ranking area: area, column, label, order."""
        return self._areas.copy()

    @property
    def attributes(self) -> pd.DataFrame:
        """Optional respondent attributes: id, column, label (English and Chinese) and allowed values."""
        return self._attributes.copy()

    @cached_property
    def _options(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            (q["id"], q["section"], q["label"], o["id"], o["column"], o["label"], o.get("label_zh", ""), i)
            for q in self.mapping["multiple_response"]["questions"]
            for i, o in enumerate(q["options"])
        ]
        return pd.DataFrame(rows, columns=OPTION_COLUMNS)

    @cached_property
    def _areas(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            (a["id"], a["column"], a["label"], a.get("label_zh", ""), i)
            for i, a in enumerate(self.mapping["ranking"]["areas"])
        ]
        return pd.DataFrame(rows, columns=AREA_COLUMNS)

    @cached_property
    def _attributes(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            (a["id"], a["column"], a["label"], a.get("label_zh", ""), [str(v) for v in a["values"]])
            for a in (self.mapping.get("attributes") or {}).get("items", [])
        ]
        return pd.DataFrame(rows, columns=ATTRIBUTE_COLUMNS)
