"""Parts of the section "Changes across waves" as tables and typed facts for
``report/templates/waves.md.j2`` and ``trends.md.j2`` (which hold the words): mean scores per wave,
the options whose share changed, the risks whose priority moved and (three or more waves) the trends."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.paper import apa
from analysis.paper.labels import area_labels, area_names, wave_labels
from analysis.paper.markup import Md, emph, text
from analysis.paper.results import Results
from analysis.paper.tables import markdown_table
from analysis.rounding import fmt
from analysis.wording import count_phrase


@dataclass(frozen=True)
class PriorityMove:
    risks: list[Md]  # the risks that moved by the same number of places
    up: bool
    places: Md  # "two places", with its source


@dataclass(frozen=True)
class TrendFacts:
    unit: str  # "wave" or "year": what one step of the trend is
    waves: list[Md]  # the waves' labels in field order
    n_significant: int  # items that trended beyond chance (Holm)
    said: list[Md]  # the first three of them with effect and p
    areas: bool  # whether areas' mean scores were tested too
    shares_file: str
    table: Md
    figure: Md


def wave_means(R: Results, waves: pd.DataFrame) -> Md:
    """The table of the mean ranking score of every area in every wave, with each wave's Friedman test."""
    lab = area_labels(R)
    names = area_names(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    t = waves.pivot(index="area", columns="wave", values="mean").loc[list(lab)]
    tab = pd.DataFrame({"Area": [names[a] for a in t.index], **{wn[w]: [fmt(x, 2) for x in t[w]] for w in R.waves}})
    fr = waves.drop_duplicates("wave").set_index("wave")
    tab.loc[len(tab)] = [
        "Friedman / Kendall's W",
        *[
            f"{apa.chi2(fr.at[w, 'friedman_chi2'], 3, int(waves[waves['wave'] == w]['n'].iloc[0]), fr.at[w, 'friedman_p'])}; "
            f"{apa.kendall_w(fr.at[w, 'kendall_w'])}"
            for w in R.waves
        ],
    ]
    return Md(markdown_table(tab, ["left"] + ["right"] * len(R.waves), markdown=tuple(wn[w] for w in R.waves)))


def options_table(R: Results, mr: pd.DataFrame) -> Md:
    """The table of changes in every option's share between consecutive waves (waves/mr_changes.csv)."""
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    show = mr.sort_values("p").copy()
    qname = R.codebook.question_labels
    oname = R.codebook.options.set_index(["question", "option"])["label"]
    opt = pd.DataFrame(
        {
            "Option": [
                oname[(q, o)] + (f" ({qname[q]})" if o == "other" else "")
                for q, o in zip(show["question"], show["option"])
            ],
            "Waves": [f"{wn[a]} to {wn[b]}" for a, b in zip(show["from_wave"], show["to_wave"])],
            "% before": [fmt(x, 1) for x in show["pct_from"]],
            "% after": [fmt(x, 1) for x in show["pct_to"]],
            "Difference [95% CI]": [
                f"{fmt(d, 1)} [{fmt(lo, 1)}, {fmt(hi, 1)}]"
                for d, lo, hi in zip(show["diff"], show["ci_low"], show["ci_high"])
            ],
            "p (Holm)": [apa.p_cell(x) for x in show["p_holm"]],
        }
    )
    if len(R.waves) == 2:
        opt = opt.drop(columns="Waves")
    return Md(markdown_table(opt, ["left"] * (len(opt.columns) - 4) + ["right"] * 4))


def priority_moves(R: Results, pr: pd.DataFrame) -> list[PriorityMove]:
    """The risks whose priority rank moved in the newest wave (waves/priorities.csv), at most five,
    grouped by how far they moved."""
    last = pr[pr["wave"] == R.waves[-1]].sort_values("rank")
    moved = last[last["rank_change"].notna() & last["rank_change"].ne(0)].head(5)
    return [
        PriorityMove(
            [emph(x) for x in g["label"]],
            change < 0,
            R.span(
                count_phrase(abs(int(change)), "place"),
                "waves/priorities.csv",
                f"{', '.join(g['risk'])}: rank_change",
                "",
            ),
        )
        for change, g in moved.groupby("rank_change", sort=False)
    ]


def _trend_item(R: Results):
    """The label of a trend row (an area or a question's option) and its effect with its interval."""
    names = area_names(R)
    olab = R.codebook.options.set_index(["question", "option"])["label"]

    def item(r) -> str:
        return names[r.subject] if r.measure == "area" else olab[(r.question, r.subject)]

    def effect(r) -> str:
        if pd.isna(r.effect):
            return ""
        return f"{fmt(r.effect, 2)} [{fmt(r.ci_low, 2)}, {fmt(r.ci_high, 2)}]"

    return item, effect


def trend_facts(R: Results) -> TrendFacts | None:
    """Three or more waves: the trend of every option and area over the waves in field order
    (results/waves/trends.csv), its significant ones, a table and the figure; ``None`` with fewer."""
    if len(R.waves) < 3:
        return None
    t = R.csv("waves/trends.csv", wave="", dtype={"question": str}, keep_default_na=False, na_values=[""])
    item, effect = _trend_item(R)
    unit = "year" if t["effect_name"].astype(str).str.endswith("per year").any() else "wave"
    shown = t.sort_values(["p", "measure"], na_position="last", kind="stable")
    table = pd.DataFrame(
        {
            "Option or area": [item(r) for r in shown.itertuples()],
            "First wave": [fmt(x, 1 if m == "option" else 2) for x, m in zip(shown["first"], shown["measure"])],
            "Last wave": [fmt(x, 1 if m == "option" else 2) for x, m in zip(shown["last"], shown["measure"])],
            "Effect [95% CI]": [effect(r) for r in shown.itertuples()],
            "z or t": ["" if pd.isna(x) else fmt(x, 2) for x in shown["statistic"]],
            "p (Holm)": ["" if pd.isna(x) else apa.p_cell(x) for x in shown["p_holm"]],
        }
    )
    sig = t[t["p_holm"] < 0.05].sort_values("p", kind="stable")
    wl = wave_labels(R)
    return TrendFacts(
        unit=unit,
        waves=[wl[w] for w in R.waves],
        n_significant=len(sig),
        said=_trends_said(R, sig.head(3), unit),
        areas=bool((t["measure"] == "area").any()),
        shares_file=R.rel(R.path("shares.csv", "waves")),
        table=Md(markdown_table(table, ["left", "right", "right", "right", "right", "right"])),
        figure=R.figure("trends.png", "fig-trends", wave="waves"),
    )


def _trends_said(R: Results, shown: pd.DataFrame, unit: str) -> list[Md]:
    """The significant trends named in the text: each item in italics with its effect and p; the
    effect's name ("odds ratio per wave", "change per wave") only at its measure's first item."""
    item, effect = _trend_item(R)
    first = ~shown["measure"].duplicated().to_numpy()
    return [
        Md(
            f"*{text(item(r))}* ("
            + R.span(
                ((f"odds ratio per {unit} " if r.measure == "option" else f"change per {unit} ") if named else "")
                + effect(r)
                + ", "
                + apa.p(r.p_holm, "p~Holm~"),
                "waves/trends.csv",
                f"{r.question}.{r.subject}: effect, p_holm",
                "",
            )
            + ")"
        )
        for r, named in zip(shown.itertuples(), first)
    ]
