"""The section "Results by respondent group": breakdowns by attribute and the tests of
differences between groups, as typed facts and tables for ``report/templates/breakdown.md.j2``,
which holds the section's words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.paper import apa
from analysis.paper.labels import wave_labels
from analysis.paper.markup import Md, text
from analysis.paper.results import Results, prov_span
from analysis.paper.tables import lr_test, markdown_table
from analysis.paper.templates import render_template
from analysis.rounding import fmt
from analysis.wording import count_phrase, join


@dataclass(frozen=True)
class GroupTests:
    """The tests of differences between one wave's respondent groups."""

    n_option_tests: str  # "12 tests"
    n_significant: int  # options whose share differs beyond chance (Holm)
    worths: Md  # the likelihood-ratio tests of one set of worths per attribute, joined ("" if none)
    worths_file: str  # their results file
    table: Md  # the ranking areas and the options that differ


@dataclass(frozen=True)
class WaveBreakdown:
    id: str
    label: Md
    table: Md  # mean ranking score per attribute value
    groups: GroupTests | None


@dataclass(frozen=True)
class BreakdownFacts:
    level: int  # the section heading's level
    min_cell: Md  # the smallest group shown, with its source
    min_cell_text: str
    waves: list[WaveBreakdown]


def group_tests(R: Results, wave: str) -> GroupTests | None:
    """The tests of differences between respondent groups of ``wave`` (results/<wave>/group_tests.csv):
    the counts the section's sentence needs and the table of the ranking areas and of the options
    that differ; ``None`` when nothing was tested."""
    t = R.csv("group_tests.csv", wave)
    t = t[t["test"] != "none"]
    if t.empty:
        return None
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
    return GroupTests(
        n_option_tests=count_phrase(len(opts), "test"),
        n_significant=int((opts["p_holm"] < 0.05).sum()),
        worths=_worths_by_group(R, wave, attr),
        worths_file=R.rel(R.path("group_worths.csv", wave)),
        table=Md(markdown_table(table, ["left", "left", "left", "right", "right", "right", "right"])),
    )


def _worths_by_group(R: Results, wave: str, attr: dict[str, str]) -> Md:
    """The likelihood-ratio tests of one set of Plackett-Luce worths for every group of each
    attribute (results/<wave>/group_worths.csv), joined ("" when none is tested)."""
    gw = R.csv("group_worths.csv", wave)
    tested = gw.dropna(subset=["p"]).drop_duplicates("covariate")
    said = [
        f"{text(attr.get(c, c)).lower()} ({lr_test(R, gw, c, 'group_worths.csv', wave)})" for c in tested["covariate"]
    ]
    return Md(join(said))


def breakdown_facts(R: Results, level: int = 2) -> BreakdownFacts:
    """The breakdown of every wave that records respondent attributes (results/<wave>/breakdown.csv)."""
    waves = []
    for w in R.waves:
        lab = R.codebook_of(w).areas.set_index("area")["label"].to_dict()
        b = R.csv("breakdown.csv", w, dtype={"value": str})
        b = b[b["measure"] == "mean_score"]
        if b.empty:
            continue
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
        table = markdown_table(pd.DataFrame(rows), ["left", "left", "right"] + ["right"] * len(lab))
        waves.append(WaveBreakdown(w, Md(wave_labels(R)[w]), Md(table), group_tests(R, w)))
    k = R.codebook.min_cell
    return BreakdownFacts(level, prov_span(str(k), R.config["codebook"], "attributes.min_cell"), str(k), waves)


def breakdown_section(R: Results, level: int = 2) -> str:
    """Results by respondent attributes, for the waves that record them (empty otherwise), under
    a heading of ``level`` (report/templates/breakdown.md.j2)."""
    S = breakdown_facts(R, level)
    if not S.waves:
        return ""
    return str(render_template(R.root, "breakdown.md.j2", S=S, caption=R.caption_block))
