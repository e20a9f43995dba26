"""The section "Results by respondent group" as Markdown: breakdowns by attribute and the tests of
differences between groups."""

from __future__ import annotations

import pandas as pd

from analysis.paper import apa
from analysis.paper.labels import wave_labels
from analysis.paper.markup import text
from analysis.paper.results import Results, prov_span
from analysis.paper.tables import lr_test, markdown_table
from analysis.rounding import fmt
from analysis.wording import count_phrase, join


def group_differences(R: Results, wave: str) -> list[str]:
    """The tests of differences between respondent groups of ``wave`` (results/<wave>/group_tests.csv):
    a sentence on the options, the table of the ranking areas and of the options that differ."""
    t = R.csv("group_tests.csv", wave)
    t = t[t["test"] != "none"]
    if t.empty:
        return []
    code = R.codebook_of(wave)
    names = code.areas.set_index("area")["label"].to_dict()
    olab = code.options.set_index(["question", "option"])["label"]
    attr = {a["id"]: a["label"] for a in R.codebook.attribute_items}
    subject = {**names, **{f"{q}.{o}": lab for (q, o), lab in olab.items()}}
    opts = t[t["measure"] == "option"]
    shown = pd.concat([t[t["measure"] == "area"], opts[opts["p_holm"] < 0.05]])
    table = pd.DataFrame(
        {
            "Attribute": [attr.get(a, a) for a in shown["attribute"]],
            "Area or option": [subject.get(x, x) for x in shown["subject"]],
            "Test": shown["test"].to_numpy(),
            "Statistic": [
                ("" if pd.isna(st) else f"{fmt(st, 2)} (df {int(df)})")
                for st, df in zip(shown["statistic"], shown["df"])
            ],
            "Effect": [
                f"{'V' if m == 'option' else 'ε²'} = {fmt(e, 3)}" for m, e in zip(shown["measure"], shown["effect"])
            ],
            "n": shown["n"].astype(int).astype(str).to_numpy(),
            "p (Holm)": [apa.p_cell(x) for x in shown["p_holm"]],
        }
    )
    n_sig = int((opts["p_holm"] < 0.05).sum())
    lead = (
        f"Of the {count_phrase(len(opts), 'test')} of an option's share between groups, "
        + (f"{n_sig} differ{'s' if n_sig == 1 else ''} beyond chance" if n_sig else "none differs beyond chance")
        + " (Holm across the options of each attribute; chi-square tests, Fisher's exact or permutation tests "
        "where expected counts are small). @tbl-groups-"
        + wave
        + " lists "
        + ("those options and " if n_sig else "")
        + "the ranking areas, compared by Kruskal-Wallis tests."
    )
    lead += _worths_by_group(R, wave, attr)
    return [
        lead,
        "",
        markdown_table(table, ["left", "left", "left", "right", "right", "right", "right"]),
        "",
        ": "
        + R.caption(
            f"Differences between respondent groups, {wave_labels(R)[wave]}: every ranking area and the options "
            "whose share differs",
            "group_tests.csv",
            wave,
        )
        + f". {{#tbl-groups-{wave}}}",
        "",
    ]


def _worths_by_group(R: Results, wave: str, attr: dict[str, str]) -> str:
    """The likelihood-ratio tests of one set of Plackett-Luce worths for every group of each
    attribute (results/<wave>/group_worths.csv), as a sentence (empty when none is tested)."""
    gw = R.csv("group_worths.csv", wave)
    tested = gw.dropna(subset=["p"]).drop_duplicates("covariate")
    if len(tested):
        said = [
            f"{text(attr.get(c, c)).lower()} ({lr_test(R, gw, c, 'group_worths.csv', wave)})"
            for c in tested["covariate"]
        ]
        return (
            " Rank-ordered logits with one attribute as covariate test whether one set of Plackett-Luce worths "
            f"fits every group (likelihood ratio; {R.rel(R.path('group_worths.csv', wave))}): " + join(said) + "."
        )
    return ""


def breakdown_section(R: Results, level: int = 2) -> str:
    """Results by respondent attributes, for the waves that record them (empty otherwise), under
    a heading of ``level``."""
    parts = []
    for w in R.waves:
        lab = R.codebook_of(w).areas.set_index("area")["label"].to_dict()
        b = R.csv("breakdown.csv", w, dtype={"value": str})
        b = b[b["measure"] == "mean_score"]
        if b.empty:
            continue
        k = R.codebook.min_cell
        rows = []
        for (a, v), g in b.groupby(["attribute", "value"], sort=False):
            est = g.set_index("subject")["estimate"]
            rows.append(
                {
                    "Attribute": a.replace("_", " "),
                    "Value": v,
                    "n": str(int(g["n"].iloc[0])),
                    **{lab[x]: ("suppressed" if pd.isna(est[x]) else fmt(est[x], 2)) for x in lab},
                }
            )
        parts += [
            markdown_table(pd.DataFrame(rows), ["left", "left", "right"] + ["right"] * len(lab)),
            "",
            ": "
            + R.caption(
                f"Mean ranking score by respondent attribute, {wave_labels(R)[w]}; cells with fewer than {k} "
                "respondents are suppressed",
                "breakdown.csv",
                w,
            )
            + f". {{#tbl-breakdown-{w}}}",
            "",
        ]
        parts += group_differences(R, w)
    if not parts:
        return ""
    k = prov_span(str(R.codebook.min_cell), R.config["codebook"], "attributes.min_cell")
    return "\n".join(
        [
            "#" * level + " Results by respondent group {#sec-breakdown}",
            "",
            "Waves that record respondent attributes are broken down by them; a group of fewer than "
            f"{k} respondents is shown as suppressed, never with its estimate.",
            "",
            *parts,
        ]
    )
