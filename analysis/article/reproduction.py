"""Published versus reproduced: one row per number the article prints."""

from __future__ import annotations

import pandas as pd

from analysis.rounding import fmt, matches

COLUMNS = ["id", "section", "statistic", "published", "reproduced", "decimals", "status", "reason"]


def reproduce(
    pub: pd.DataFrame, table1: pd.DataFrame, mr: pd.DataFrame, flow: pd.DataFrame, threshold: float
) -> pd.DataFrame:
    """Compare every published number with the value computed from the cleaned data.

    ``status`` is ``match`` when the computed value displays as printed at ``decimals``
    (half away from zero), ``mismatch`` otherwise, and ``not-reproducible`` for section
    2.2 values, which no question of section 4 produces (``reason`` says why).
    """
    rows = []
    for r in pub.itertuples():
        value, reason = computed(r, table1, mr, flow, threshold)
        row = {"id": r.id, "section": r.section, "statistic": r.statistic, "published": r.printed}
        if value is None:
            rows.append(
                {
                    **row,
                    "reproduced": "",
                    "decimals": int(r.decimals),
                    "status": "not-reproducible",
                    "reason": not_reproducible(r, pub),
                }
            )
            continue
        d = int(r.decimals)
        ok = matches(float(value), r.printed, d)
        rows.append(
            {
                **row,
                "reproduced": fmt(float(value), d),
                "decimals": d,
                "status": "match" if ok else "mismatch",
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def computed(r, table1: pd.DataFrame, mr: pd.DataFrame, flow: pd.DataFrame, threshold: float):
    """The value the pipeline computes for one printed number ``r`` (None for a section 2.2
    share, which no question produces) and, for the key-risk rule, why it matches or not."""
    steps = flow.set_index("step")["n"]
    if r.id == "n.questionnaires":
        return steps["read"], ""
    if r.id == "n.valid_rankings":
        return steps["valid_rankings"], ""
    if r.id.startswith("t1."):
        return table1.set_index("area").at[r.area, r.statistic], ""
    if r.id.startswith("mr."):
        return mr.set_index(["question", "option"]).at[(r.question, r.option), r.statistic], ""
    if r.id == "rule.key_risk_threshold":
        # the article's claim: these areas (and only these) have a mean above the threshold
        claimed = sorted(str(r.claim).split(",")) if isinstance(r.claim, str) else []
        found = sorted(table1.loc[table1["key_risk"], "area"])
        key_areas = ", ".join(table1.loc[table1["key_risk"], "area"])
        reason = (
            f"article: key risk {', '.join(claimed) or 'none'}; reproduced: "
            f"{key_areas or 'none'} above {fmt(threshold, int(r.decimals))}"
        )
        return (threshold if found == claimed else float("nan")), reason
    return None, ""


def not_reproducible(r, pub: pd.DataFrame) -> str:
    """Why a section 2.2 share has no reproduction: the section 4 option it corresponds to, if any."""
    other = pub.loc[pub["id"] == r.corresponds_to]
    if len(other):
        o = other.iloc[0]
        return (
            f"section 2.2 prints {r.printed} where section {o.section} prints {o.printed} "
            f"for the same option ({o.id}); no survey question in section 4 produces it"
        )
    return "section 2.2 theme with no corresponding option in section 4"


def table1_side_by_side(rep: pd.DataFrame, pub: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Table 1 as printed and as reproduced, two rows per area (strings, for display)."""
    stats = {
        "n": "N",
        "missing": "Missing",
        "mean": "Mean",
        "se_mean": "SE of mean",
        "sd": "SD",
        "variance": "Variance",
    }
    t = rep[rep["id"].str.startswith("t1.")].merge(pub[["id", "area"]], on="id")
    rows = []
    for area in labels:
        a = t[t["area"] == area].set_index("statistic")
        for source, col in (("Article", "published"), ("Reproduced", "reproduced")):
            rows.append({"Area": labels[area], "Source": source, **{stats[s]: a.at[s, col] for s in stats}})
    return pd.DataFrame(rows)
