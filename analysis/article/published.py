"""The article's printed numbers as a table."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

FIELDS = [
    "id",
    "section",
    "statistic",
    "question",
    "area",
    "option",
    "theme",
    "printed",
    "printed_decimals",
    "decimals",
    "corresponds_to",
    "claim",
    "meaning",
]


def published_table(doc: dict) -> pd.DataFrame:
    """One row per printed number, with ``value`` as a float and the fields of the YAML."""
    df = pd.DataFrame(doc["numbers"]).reindex(columns=FIELDS)
    df["printed"] = df["printed"].astype(str)
    df["value"] = [float(Fraction(p)) for p in df["printed"]]
    return df


def table1_targets(pub: pd.DataFrame) -> dict[str, dict[str, tuple[str, int]]]:
    """``{area: {statistic: (printed, decimals)}}`` for Table 1."""
    t = pub[pub["id"].str.startswith("t1.")]
    out: dict[str, dict[str, tuple[str, int]]] = {}
    for r in t.itertuples():
        out.setdefault(r.area, {})[r.statistic] = (r.printed, int(r.decimals))
    return out


def mr_targets(pub: pd.DataFrame) -> dict[str, list[tuple[str, str, int]]]:
    """``{question: [(option, printed, decimals), ...]}`` for sections 4.1-4.4."""
    t = pub[pub["id"].str.startswith("mr.")]
    out: dict[str, list[tuple[str, str, int]]] = {}
    for r in t.itertuples():
        out.setdefault(r.question, []).append((r.option, r.printed, int(r.decimals)))
    return out


def scalar(pub: pd.DataFrame, id_: str) -> float:
    return float(pub.loc[pub["id"] == id_, "value"].iloc[0])
