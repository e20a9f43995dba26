"""The section "Changes across waves": each wave's size and cleaning flow, revisions of the
questionnaire, changes between consecutive waves and the worths per wave, as tables and typed facts
for ``report/templates/waves.md.j2``, which holds the section's words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.codebook import Codebook
from analysis.paper import apa
from analysis.paper.changes_section import (
    PriorityMove,
    TrendFacts,
    options_table,
    priority_moves,
    trend_facts,
    wave_means,
)
from analysis.paper.labels import area_labels, area_names, option_labels, wave_labels
from analysis.paper.markup import Md, text
from analysis.paper.results import Results
from analysis.paper.tables import lr_test, markdown_table
from analysis.paper.templates import render_template
from analysis.rounding import fmt
from analysis.survey.mass_exclusion import WARN_SHARE
from analysis.wording import join


@dataclass(frozen=True)
class WaveSize:
    label: Md
    valid: Md  # valid rankings, with their source
    partial: Md | None  # partial rankings kept (None: the wave has none)


@dataclass(frozen=True)
class AreaRevision:
    k: int  # areas the revised wave ranks (the highest score)
    lowest: int  # the lowest score
    added: list[Md]
    dropped: list[Md]


@dataclass(frozen=True)
class Revision:
    """What one wave's revision of the questionnaire did, each item named as Markdown."""

    label: Md
    added: list[Md]
    dropped: list[Md]
    renamed: list[Md]  # "old (question) as new"
    split: list[Md]  # "old (question) into a and b"
    areas: AreaRevision | None


@dataclass(frozen=True)
class LeftOut:
    label: Md  # the wave that asked them
    items: list[Md]  # what not every wave asked


@dataclass(frozen=True)
class FlowNote:
    """A reason that excluded :data:`WARN_SHARE` or more of a wave's questionnaires."""

    label: Md
    count: Md  # "k of n", with its source
    questionnaires: bool  # whole questionnaires (else rankings)
    reason: Md
    percent: str


@dataclass(frozen=True)
class PairChanges:
    """The changes between two consecutive waves ``a`` and ``b``."""

    a: Md
    b: Md
    paired: bool  # one panel: changes paired over the respondents in both
    n_pairs: Md | None
    n_moved: int  # options whose share changed beyond chance (Holm)
    moved: list[Md]  # the largest of them (at most three), with their change
    mmi: list[Md]  # whole questions' tests of multiple marginal independence
    areas: list[Md]  # areas whose mean score changed beyond chance


@dataclass(frozen=True)
class WorthsByWave:
    test: Md  # the likelihood-ratio test of one set of worths for every wave
    differ: bool
    gone: list[Md]  # waves without finite worths, left out of the test
    table: Md


@dataclass(frozen=True)
class WavesFacts:
    ranked: bool  # every wave ranked the same areas
    panel: bool  # a wave is declared a panel
    any_paired: bool  # a pair of waves is compared as one panel
    sizes: list[WaveSize]
    revisions: list[Revision]
    left_out: list[LeftOut]
    flow_notes: list[FlowNote]
    flow_table: Md
    pairs: list[PairChanges]
    means_table: Md | None
    worths: WorthsByWave | None
    options_table: Md
    priority_moves: list[PriorityMove]
    trend_figure: Md
    trends: TrendFacts | None


def wave_worths(R: Results) -> WorthsByWave | None:
    """Plackett-Luce worths per wave with the likelihood-ratio test of the same worths in every
    wave (results/waves/wave_worths.csv); ``None`` when it was not tested."""
    t = R.csv("waves/wave_worths.csv", wave="", dtype={"group": str})
    if t.empty or t["p"].isna().all():
        return None
    names = area_names(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    table = pd.DataFrame({"Area": [names[a] for a in dict.fromkeys(t["area"])]})
    for w in dict.fromkeys(t["group"]):
        g = t[t["group"] == w].set_index("area")
        table[wn.get(w, w)] = [
            f"{fmt(g.at[a, 'worth'], 3)} [{fmt(g.at[a, 'ci_low'], 3)}, {fmt(g.at[a, 'ci_high'], 3)}]"
            if pd.notna(g.at[a, "worth"])
            else "no finite estimate"
            for a in dict.fromkeys(t["area"])
        ]
    return WorthsByWave(
        test=lr_test(R, t, "wave", "waves/wave_worths.csv", ""),
        differ=bool(t.dropna(subset=["p"]).iloc[0].p < 0.05),
        gone=[text(wn.get(w, w)) for w in dict.fromkeys(t.loc[t["worth"].isna(), "group"])],
        table=Md(markdown_table(table, ["left"] + ["right"] * (len(table.columns) - 1))),
    )


def revisions(R: Results) -> tuple[list[Revision], list[LeftOut]]:
    """What each wave with a ``revision`` changed in the questionnaire, and what the comparisons
    and trends leave out because not every wave asked it (:mod:`analysis.revision`)."""
    from analysis.revision import left_out

    wl = wave_labels(R)
    books = {w: R.codebook_of(w) for w in R.waves}
    done = [_revision(R, books[w], wl[w]) for w in R.waves if books[w].revision]
    if not done:
        return [], []
    names = {
        f"{q}.{o}": lab
        for w in R.waves
        for (q, o), lab in books[w].options.set_index(["question", "option"])["label"].items()
    }
    gone = [
        LeftOut(
            wl[w],
            list(dict.fromkeys(text(names.get(x, "the ranking" if x.startswith("ranking.") else x)) for x in items)),
        )
        for w, items in left_out(books).items()
        if items
    ]
    return done, gone


def _revision(R: Results, book: Codebook, label: Md) -> Revision:
    """What one wave's revision did (its codebook ``book``): options added, dropped, renamed and
    split, areas added and dropped (dropped items named as the project's codebook names them)."""
    rev = book.revision
    olab = book.options.set_index(["question", "option"])["label"]
    base = R.codebook.options.set_index(["question", "option"])["label"]
    qlab = R.codebook.question_labels
    base_areas = R.codebook.areas.set_index("area")["label"].to_dict()

    def opt(oid: str, labels=olab) -> str:
        q, o = oid.split(".", 1)
        return f"*{text(labels[(q, o)])}* ({text(qlab[q])})"

    areas = None
    if rev.get("added_areas") or rev.get("dropped_areas"):
        areas = AreaRevision(
            len(book.areas),
            min(book.scores),
            [Md(f"*{text(a['label'])}*") for a in rev.get("added_areas", [])],
            [Md(f"*{text(base_areas[a])}*") for a in rev.get("dropped_areas", [])],
        )
    return Revision(
        label=label,
        added=[Md(opt(f"{o['question']}.{o['id']}")) for o in rev.get("added_options", [])],
        dropped=[Md(opt(o, base)) for o in rev.get("dropped_options", [])],
        renamed=[Md(f"{opt(o, base)} as *{text(lab)}*") for o, lab in rev.get("renamed_options", {}).items()],
        split=[
            Md(f"{opt(o, base)} into " + join([f"*{text(olab[(o.split('.')[0], x)])}*" for x in xs]))
            for o, xs in rev.get("split_options", {}).items()
        ],
        areas=areas,
    )


FLOW_ORDER = [
    "read",
    "excluded_questionnaire",
    "questionnaires_kept",
    "excluded_ranking",
    "valid_rankings",
    "partial_rankings",
    "attribute_not_coded",
]


def waves_flow(R: Results) -> tuple[Md, list[FlowNote]]:
    """Every wave's cleaning flow as one table (step and reason by wave), and each reason that
    excluded :data:`analysis.survey.mass_exclusion.WARN_SHARE` or more of a wave's questionnaires
    (the build warned of it too)."""
    steps, reasons = R.words["flow_steps"], R.words["exclusion_reasons"]
    wl = wave_labels(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    flows = {w: R.csv("flow.csv", w, na_values=[]) for w in R.waves}
    keys = list(dict.fromkeys((r.step, r.reason) for f in flows.values() for r in f.itertuples()))
    keys.sort(key=lambda k: (FLOW_ORDER.index(k[0]) if k[0] in FLOW_ORDER else len(FLOW_ORDER), k[1]))
    table = pd.DataFrame(
        {
            "Step": [steps.get(k[0], k[0].replace("_", " ")) for k in keys],
            "Reason": [reasons.get(k[1], k[1].replace("_", " ")) for k in keys],
        }
    )
    notes = []
    for w, f in flows.items():
        n = f.set_index(["step", "reason"])["n"]
        table[wn[w]] = [
            R.span(f"{int(n[k]):,}" if k in n.index else "0", "flow.csv", f"{k[0]}: {k[1]}".rstrip(": "), w)
            for k in keys
        ]
        read = int(n[("read", "")])
        notes += [
            FlowNote(
                wl[w],
                R.span(f"{int(k):,} of {read:,}", "flow.csv", f"{step}: {reason}", w),
                step == "excluded_questionnaire",
                text(reasons.get(reason, reason.replace("_", " "))),
                fmt(100 * k / read, 0),
            )
            for (step, reason), k in n.items()
            if step.startswith("excluded_") and read and k / read >= WARN_SHARE
        ]
    md = markdown_table(table, ["left", "left"] + ["right"] * len(R.waves), markdown=tuple(wn[w] for w in R.waves))
    return Md(md), notes


def waves_facts(R: Results) -> WavesFacts:
    """The facts and tables of the section "Changes across waves" (two or more waves)."""
    waves = R.csv("waves/waves.csv", wave="", dtype={"wave": str})
    mr = R.csv("waves/mr_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    pr = R.csv("waves/priorities.csv", wave="", dtype={"wave": str})
    ranked = not waves.empty  # (every wave ranked the same areas)
    done, gone = revisions(R)
    flow_table, notes = waves_flow(R)
    return WavesFacts(
        ranked=ranked,
        panel=any(w.get("panel") for w in R.config["waves"]),
        any_paired=bool("design" in mr and (mr["design"] == "paired").any()),
        sizes=_sizes(R),
        revisions=done,
        left_out=gone,
        flow_notes=notes,
        flow_table=flow_table,
        pairs=[_pair_changes(R, w1, w2, g, ranked) for (w1, w2), g in mr.groupby(["from_wave", "to_wave"], sort=False)],
        means_table=wave_means(R, waves) if ranked else None,
        worths=wave_worths(R),
        options_table=options_table(R, mr),
        priority_moves=priority_moves(R, pr),
        trend_figure=R.figure("trend.png", "fig-trend", wave="waves"),
        trends=trend_facts(R),
    )


def waves_section(R: Results) -> str:
    """The section "Changes across waves" as Markdown (report/templates/waves.md.j2; empty with a
    single wave)."""
    if len(R.waves) < 2:
        return ""
    return str(render_template(R.root, "waves.md.j2", W=waves_facts(R), caption=R.caption_block))


def _sizes(R: Results) -> list[WaveSize]:
    """Each wave with its valid (and partial) rankings."""
    wl = wave_labels(R)
    out = []
    for w in R.waves:
        f = R.csv("flow.csv", w).set_index("step")["n"]
        partial = (
            R.span(str(int(f["partial_rankings"])), "flow.csv", "partial_rankings", w)
            if "partial_rankings" in f.index
            else None
        )
        out.append(WaveSize(wl[w], R.span(str(int(f["valid_rankings"])), "flow.csv", "valid_rankings", w), partial))
    return out


def _pair_changes(R: Results, w1: str, w2: str, g: pd.DataFrame, ranked: bool) -> PairChanges:
    """One pair of consecutive waves: a panel's pairing, the options whose share changed
    (waves/mr_changes.csv rows ``g``), the whole questions (waves/mmi.csv) and the mean scores
    (waves/ranking_changes.csv)."""
    wl = wave_labels(R)
    qlab = {q["id"]: text(q["label"]) for q in R.codebook.question_items}
    paired = bool("design" in g and (g["design"] == "paired").any())
    mmi = R.csv("waves/mmi.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    m = mmi[(mmi["from_wave"] == w1) & (mmi["to_wave"] == w2)]
    sig = g[g["p_holm"] < 0.05]
    return PairChanges(
        a=wl[w1],
        b=wl[w2],
        paired=paired,
        n_pairs=R.span(f"{int(g['n_pairs'].max()):,}", "waves/mr_changes.csv", "n_pairs", "") if paired else None,
        n_moved=len(sig),
        moved=_options_moved(R, sig, qlab),
        mmi=[
            Md(
                f"{qlab[r.question]} ("
                + R.span(f"*X*²~S~ = {apa.num(r.x2_s)}, {apa.p(r.p_holm, 'p~Holm~')}", "waves/mmi.csv", r.question, "")
                + ")"
            )
            for r in m.itertuples()
        ],
        areas=_areas_moved(R, w1, w2) if ranked else [],
    )


def _options_moved(R: Results, sig: pd.DataFrame, qlab: dict[str, str]) -> list[Md]:
    """The options (rows ``sig`` of waves/mr_changes.csv) whose share changed most, at most three."""
    olab = option_labels(R)
    largest = sig.reindex(sig["diff"].abs().sort_values(ascending=False, kind="stable").index).head(3)
    return [
        Md(
            f"*{olab[(r.question, r.option)]}*"
            + (f" in {qlab[r.question].lower()}" if r.option == "other" else "")
            + " ("
            + R.span(f"{apa.num(r.diff, 1)} points", "waves/mr_changes.csv", f"{r.question}.{r.option}: diff", "")
            + ")"
        )
        for r in largest.itertuples()
    ]


def _areas_moved(R: Results, w1: str, w2: str) -> list[Md]:
    """The areas whose mean score changed beyond chance between two waves (waves/ranking_changes.csv)."""
    lab = area_labels(R)
    rk = R.csv("waves/ranking_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    r2 = rk[(rk["from_wave"] == w1) & (rk["to_wave"] == w2)]
    return [
        Md(
            f"{lab[r.area]} ("
            + R.span(
                f"{apa.num(r.diff)}, {apa.ci(r.ci_low, r.ci_high)}, {apa.p(r.p_holm, 'p~Holm~')}",
                "waves/ranking_changes.csv",
                f"{r.area}: diff, ci, p_holm",
                "",
            )
            + ")"
        )
        for r in r2.itertuples()
        if r.p_holm < 0.05
    ]
