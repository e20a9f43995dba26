"""The section "Weighted waves" (only when a wave is weighted): how each weighted wave was
weighted and what it cost, its weighted and unweighted estimates side by side where they differ by
more than a standard error, its design effects, Rao-Scott group tests and pseudo-likelihood worths,
and the design-based changes over the waves; typed facts for ``report/templates/weighting.md.j2``,
which holds the section's words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.paper.labels import area_names, wave_labels
from analysis.paper.markup import Md, text
from analysis.paper.results import Results, md_table
from analysis.paper.templates import render_template
from analysis.rounding import fmt
from analysis.survey.readers.spec import DESIGN_KEYS


@dataclass(frozen=True)
class WaveWeighting:
    """One weighted wave: how it was weighted, what it cost, where weighting moved an estimate."""

    id: str
    label: Md
    column: Md | None  # the file's weight column
    strata: bool
    clusters: bool
    targets: list[Md]  # "gender: female 49%, male 49%, other 2%"
    trim_lower: str | None  # the trimming bounds, as multiples of the mean weight
    trim_upper: str | None
    n: Md
    n_effective: Md
    efficiency: Md  # percent
    deff_range: Md | None  # the design effects of the percents of cases, lowest to highest (None: none exists)
    n_means_differ: int  # areas whose weighted mean differs from the unweighted by more than its SE
    n_moved: int  # options whose weighted percent of cases does
    key_areas: list[Md]  # areas above the key-risk threshold, weighted
    threshold: str
    n_group_tests: int
    n_group_differ: int  # Rao-Scott tests significant after Holm
    worth_order: list[Md]  # areas by weighted pseudo-likelihood worth, highest first
    means_table: Md  # the areas' mean scores, weighted beside unweighted
    moved_table: Md | None  # the options whose percent weighting moves by more than its SE


@dataclass(frozen=True)
class DesignChanges:
    n_items: int
    n_changed: int
    changed: list[Md]  # the items that changed beyond chance (at most four), with their direction
    unit: str
    two_waves: bool


@dataclass(frozen=True)
class WeightingFacts:
    waves: list[WaveWeighting]
    summary_table: Md
    changes: DesignChanges | None


def weighted_waves(R: Results) -> list[str]:
    """The waves whose entry names a weight, strata, clusters or raking targets."""
    return [w["id"] for w in R.config["waves"] if any(k in w for k in DESIGN_KEYS)]


def _pct(x: float) -> str:
    return f"{fmt(100 * x, 0)}%"


def _num(x: float, decimals: int) -> str | None:
    """``x`` at ``decimals``; ``None`` (a table's dash) where it does not exist (NaN)."""
    return fmt(x, decimals) if pd.notna(x) else None


def _means_table(R: Results, wave: str) -> Md:
    """The wave's mean score per area, weighted [95% CI] beside unweighted, with the design effect."""
    m = R.csv("design/means.csv", wave)
    names = area_names(R)
    table = pd.DataFrame(
        {
            "Area": [names.get(a, lab) for a, lab in zip(m["area"], m["label"])],
            "Weighted [95% CI]": [
                f"{fmt(x, 2)} [{fmt(lo, 2)}, {fmt(hi, 2)}]" if pd.notna(x) else None
                for x, lo, hi in zip(m["mean_weighted"], m["ci_low"], m["ci_high"])
            ],
            "Unweighted": [_num(x, 2) for x in m["mean_unweighted"]],
            "Design effect": [_num(x, 2) for x in m["deff"]],
        }
    )
    return Md(md_table(table, ["left", "right", "right", "right"], source=R.source("design/means.csv", wave)).data)


def _moved_table(R: Results, wave: str) -> tuple[Md | None, int]:
    """The options whose weighted percent of cases differs from the unweighted one by more than
    its standard error (``None`` when none does), and how many they are."""
    p = R.csv("design/proportions.csv", wave)
    moved = p[p["differs"]]
    if moved.empty:
        return None, 0
    qlab = R.codebook_of(wave).question_labels
    table = pd.DataFrame(
        {
            "Option": [f"{lab} ({qlab.get(q, q)})" for lab, q in zip(moved["label"], moved["question"])],
            "Weighted % [95% CI]": [
                f"{fmt(x, 1)} [{fmt(lo, 1)}, {fmt(hi, 1)}]"
                for x, lo, hi in zip(moved["pct_weighted"], moved["ci_low"], moved["ci_high"])
            ],
            "Unweighted %": [fmt(x, 1) for x in moved["pct_unweighted"]],
            "Design effect": [_num(x, 2) for x in moved["deff"]],
        }
    )
    md = md_table(table, ["left", "right", "right", "right"], source=R.source("design/proportions.csv", wave))
    return Md(md.data), len(moved)


def _wave(R: Results, entry: dict, label: Md) -> WaveWeighting:
    w = entry["id"]
    s = R.csv("weighting.csv", w).iloc[0]
    p = R.csv("design/proportions.csv", w)
    m = R.csv("design/means.csv", w)
    g = R.csv("design/group_tests.csv", w)
    pl = R.csv("design/worths.csv", w).sort_values("worth", ascending=False, kind="stable")
    names = area_names(R)
    moved, n_moved = _moved_table(R, w)
    trim = entry.get("trim") or {}
    return WaveWeighting(
        id=w,
        label=label,
        column=Md(f"*{text(entry['weights'])}*") if entry.get("weights") else None,
        strata="strata" in entry,
        clusters="cluster" in entry,
        targets=[
            Md(f"{text(a)}: " + ", ".join(f"{text(v)} {_pct(x)}" for v, x in shares.items()))
            for a, shares in (entry.get("rake") or {}).items()
        ],
        trim_lower=f"{trim['lower']:g}" if "lower" in trim else None,
        trim_upper=f"{trim['upper']:g}" if "upper" in trim else None,
        n=R.span(f"{int(s.n):,}", "weighting.csv", "n", w),
        n_effective=R.span(f"{s.n_effective:,.0f}", "weighting.csv", "n_effective", w),
        efficiency=R.span(_pct(s.efficiency), "weighting.csv", "efficiency", w),
        deff_range=(
            R.span(f"{fmt(p['deff'].min(), 2)} to {fmt(p['deff'].max(), 2)}", "design/proportions.csv", "deff", w)
            if p["deff"].notna().any()
            else None
        ),
        n_means_differ=int(m["differs"].sum()),
        n_moved=n_moved,
        key_areas=[Md(text(names.get(a, a))) for a in m.loc[m["key_weighted"], "area"]],
        threshold=fmt(float(R.codebook_of(w).threshold), 1),
        n_group_tests=len(g),
        n_group_differ=int((g["p_holm"] < 0.05).sum()),
        worth_order=[Md(text(names.get(a, a))) for a in pl.dropna(subset=["worth"])["area"]],
        means_table=_means_table(R, w),
        moved_table=moved,
    )


def _summary_table(R: Results, waves: list[str]) -> Md:
    """One column per weighted wave (its weighting.csv the source of its numbers): how it was
    weighted, its size, Kish's effective size, the efficiency, the weights' range, those at a bound."""
    wl = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    table = pd.DataFrame(
        {
            "": ["Weighting", "Questionnaires", "Effective n (Kish)", "Efficiency", "Weights", "At a trimming bound"],
        }
    )
    for w in waves:
        s = R.csv("weighting.csv", w).iloc[0]
        table[wl[w]] = [
            s.method,
            f"{int(s.n):,}",
            f"{s.n_effective:,.0f}",
            _pct(s.efficiency),
            f"{fmt(s.min_weight, 2)} to {fmt(s.max_weight, 2)}",
            f"{int(s.trimmed):,}",
        ]
    sources = {wl[w]: R.source("weighting.csv", w) for w in waves}
    return Md(md_table(table, ["left"] + ["right"] * len(waves), source=sources).data)


def _changes(R: Results) -> DesignChanges | None:
    path = R.path("waves/design_trends.csv", "")
    if not path.exists():
        return None
    t = R.csv("waves/design_trends.csv", "")
    names = area_names(R)
    labels = R.codebook.options.set_index(["question", "option"])["label"]
    sig = t[t["p_holm"] < 0.05].sort_values("p", kind="stable")

    def item(r) -> Md:
        what = names.get(r.item, r.item) if r.kind == "area" else labels.get((r.question, r.item), r.item)
        return Md(f"{text(what)} ({'up' if r.estimate > 0 else 'down'})")

    return DesignChanges(
        n_items=len(t),
        n_changed=len(sig),
        changed=[item(r) for r in sig.head(4).itertuples()],
        unit=str(t["unit"].iloc[0]) if len(t) else "wave",
        two_waves=len(R.waves) == 2,
    )


def weighting_facts(R: Results) -> WeightingFacts | None:
    """The facts of the section, ``None`` without a weighted wave."""
    waves = weighted_waves(R)
    if not waves:
        return None
    wl = wave_labels(R)
    entries = {w["id"]: w for w in R.config["waves"]}
    return WeightingFacts(
        waves=[_wave(R, entries[w], wl[w]) for w in waves],
        summary_table=_summary_table(R, waves),
        changes=_changes(R),
    )


def weighting_section(R: Results, level: int = 1) -> str:
    """The section "Weighted waves" as Markdown (report/templates/weighting.md.j2), its heading at
    ``level``; empty without a weighted wave, so an unweighted build's paper is unchanged."""
    W = weighting_facts(R)
    if W is None:
        return ""
    return str(render_template(R.root, "weighting.md.j2", W=W, level=level, caption=R.caption_block))
