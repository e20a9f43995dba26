"""Parts of the section "Changes across waves": mean scores per wave, the options whose share
changed, and (three or more waves) the trends."""

from __future__ import annotations

import pandas as pd

from analysis.paper import apa
from analysis.paper.labels import area_labels, area_names, wave_labels
from analysis.paper.markup import emph, text
from analysis.paper.results import Results
from analysis.paper.tables import markdown_table
from analysis.rounding import fmt
from analysis.wording import count_phrase, join


def wave_means(R: Results, waves: pd.DataFrame) -> list[str]:
    """The mean ranking score of every area in every wave, with each wave's Friedman test."""
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
    return [
        markdown_table(tab, ["left"] + ["right"] * len(R.waves), markdown=tuple(wn[w] for w in R.waves)),
        "",
        f": {R.caption('Mean ranking score per area and wave', 'waves.csv', 'waves')}. {{#tbl-wave-means}}",
        "",
    ]


def options_changes(R: Results, mr: pd.DataFrame, pr: pd.DataFrame) -> list[str]:
    """The table of changes in every option's share, the risk priorities' moves, the trend
    figure and, with three or more waves, the trends section."""
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    out = []
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
    out += [
        markdown_table(opt, ["left"] * (len(opt.columns) - 4) + ["right"] * 4),
        "",
        ": "
        + R.caption(
            "Change in percent of cases per option, "
            + (
                "Newcombe intervals (paired Wald intervals between waves of one panel)"
                if "design" in mr and (mr["design"] == "paired").any()
                else "Newcombe intervals"
            ),
            "mr_changes.csv",
            "waves",
        )
        + ". {#tbl-wave-options}",
        "",
    ]
    out.append(_priority_moves(R, pr))
    out += ["", R.figure("trend.png", "fig-trend", wave="waves"), ""]
    if len(R.waves) >= 3:
        out += trends_section(R)
    return out


def _priority_moves(R: Results, pr: pd.DataFrame) -> str:
    """The risks whose priority rank moved in the newest wave (waves/priorities.csv), at most five."""
    last = pr[pr["wave"] == R.waves[-1]].sort_values("rank")
    moved = last[last["rank_change"].notna() & last["rank_change"].ne(0)]
    shown = moved.head(5)
    groups = [(change, g) for change, g in shown.groupby("rank_change", sort=False)]
    return (
        "Risk priorities per wave (results/waves/priorities.csv) change the order of the risks: "
        + (
            "; ".join(
                [
                    join([emph(x) for x in g["label"]])
                    + f" moved {'up' if change < 0 else 'down'} "
                    + R.span(
                        count_phrase(abs(int(change)), "place"),
                        "waves/priorities.csv",
                        f"{', '.join(g['risk'])}: rank_change",
                        "",
                    )
                    for change, g in groups
                ]
            )
            if len(moved)
            else "no risk changed its rank"
        )
        + "."
    )


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


def trends_section(R: Results) -> list[str]:
    """Three or more waves: the trend of every option and area over the waves in field order
    (results/waves/trends.csv), its significant ones named, a table and the figure."""
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
    return [
        "## Trends over the waves {#sec-trends}",
        "",
        _trends_lead(R, t, unit),
        "",
        markdown_table(table, ["left", "right", "right", "right", "right", "right"]),
        "",
        ": "
        + R.caption(
            f"Trend over the waves of every option (percent of cases; effect: odds ratio per {unit}) and area "
            f"(mean score; effect: change per {unit})",
            "trends.csv",
            "waves",
        )
        + ". {#tbl-trends}",
        "",
        R.figure("trends.png", "fig-trends", wave="waves"),
        "",
    ]


def _trends_lead(R: Results, t: pd.DataFrame, unit: str) -> str:
    """The trends paragraph: the significant trends (at most three named), the tests, how the
    waves are scored, and the caveats of three waves and of panels."""
    item, effect = _trend_item(R)
    wl = wave_labels(R)
    spacing = (
        "The waves are scored by the years since the first wave's field date."
        if unit == "year"
        else "The waves are scored 0, 1, 2, ... in field order, which assumes they are equally spaced in time (give "
        "every wave a field_date to score them by their dates)."
    )
    sig = t[t["p_holm"] < 0.05].sort_values("p", kind="stable")
    shown = sig.head(3)
    # the effect is named at its measure's first item only (a list does not repeat it)
    first = ~shown["measure"].duplicated().to_numpy()
    said = [
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
        for r, named in zip(shown.itertuples(), first)
    ]
    return (
        f"Over the {count_phrase(len(R.waves), 'wave')} in field order ({join([wl[w] for w in R.waves])}), "
        + (
            f"{count_phrase(len(sig), 'item')} trended beyond chance"
            + (", most clearly " if len(sig) > 3 else ": ")
            + f"{join(said)}."
            if len(sig)
            else "no option's share and no area's mean score trended beyond chance."
        )
        + " Each option's share is tested with the Cochran-Armitage trend test (effect: the odds ratio of naming "
        f"it per {unit}, from a logistic regression)"
        + (
            f", each area's mean score with a least-squares slope per {unit} (HC3 standard errors)"
            if (t["measure"] == "area").any()
            else ""
        )
        + f"; Holm's adjustment runs across all of them (@tbl-trends, @fig-trends). {spacing}"
        + (
            " With three waves a linear trend rests on three points and is weakly identified: a change between two "
            "waves can make it, so read it beside the per-wave estimates in @fig-trends "
            f"({R.rel(R.path('shares.csv', 'waves'))})."
            if len(R.waves) == 3
            else ""
        )
        + (
            " These trend tests treat the waves as independent samples; the waves declared a panel share "
            "respondents, so their *p* values are only approximate (the paired changes above are not)."
            if any(w.get("panel") for w in R.config["waves"])
            else ""
        )
    )
