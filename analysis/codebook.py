"""The questionnaire as data: column names, option and area lists, valid values."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a frame is built, so that the workflow's checks run without pandas
    import pandas as pd


def options(codebook: dict) -> pd.DataFrame:
    """One row per multiple-response option: question, option, column, labels, order."""
    import pandas as pd

    rows = []
    for q in codebook["multiple_response"]["questions"]:
        for i, o in enumerate(q["options"]):
            rows.append(
                {
                    "question": q["id"],
                    "section": q["section"],
                    "question_label": q["label"],
                    "option": o["id"],
                    "column": o["column"],
                    "label": o["label"],
                    "label_zh": o.get("label_zh", ""),
                    "order": i,
                }
            )
    return pd.DataFrame(
        rows, columns=["question", "section", "question_label", "option", "column", "label", "label_zh", "order"]
    )


def areas(codebook: dict) -> pd.DataFrame:
    """One row per ranking area: area, column, label, order."""
    import pandas as pd

    return pd.DataFrame(
        [
            {"area": a["id"], "column": a["column"], "label": a["label"], "label_zh": a.get("label_zh", ""), "order": i}
            for i, a in enumerate(codebook["ranking"]["areas"])
        ],
        columns=["area", "column", "label", "label_zh", "order"],
    )


def questions(codebook: dict) -> list[str]:
    return [q["id"] for q in codebook["multiple_response"]["questions"]]


def scores(codebook: dict) -> list[int]:
    return [int(s) for s in codebook["ranking"]["scores"]]


def columns(codebook: dict) -> list[str]:
    """All raw columns in file order: id, multiple-response options, ranking areas."""
    return [
        codebook["id_column"],
        *(o["column"] for q in codebook["multiple_response"]["questions"] for o in q["options"]),
        *(a["column"] for a in codebook["ranking"]["areas"]),
    ]


def targets(codebook: dict) -> set[str]:
    """What a wave's ``columns:`` mapping may name: codebook columns, question ids (one cell
    per question) and the ranking's id (one cell listing the areas in order)."""
    items = (codebook.get("attributes") or {}).get("items", [])
    return {
        *columns(codebook),
        *(a["column"] for a in items),
        *free_text(codebook),
        *questions(codebook),
        codebook["ranking"]["id"],
    }


def attributes(codebook: dict) -> pd.DataFrame:
    """Optional respondent attributes: id, column, label (English and Chinese) and allowed values."""
    import pandas as pd

    items = (codebook.get("attributes") or {}).get("items", [])
    return pd.DataFrame(
        [
            {
                "attribute": a["id"],
                "column": a["column"],
                "label": a["label"],
                "label_zh": a.get("label_zh", ""),
                "values": [str(v) for v in a["values"]],
            }
            for a in items
        ],
        columns=["attribute", "column", "label", "label_zh", "values"],
    )


def min_cell(codebook: dict) -> int:
    return int((codebook.get("attributes") or {}).get("min_cell", 5))


def free_text(codebook: dict) -> list[str]:
    """Optional free-text columns: kept in the cleaned data, never shown in the paper."""
    return [f["column"] for f in codebook.get("free_text", [])]
