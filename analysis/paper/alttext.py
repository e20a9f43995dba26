"""Alt text of the paper's figures: what each shows and its main finding, in plain text with
numbers from the results files (HTML ``alt``, Quarto ``fig-alt``), so that a reader who cannot
see the image gets the figure's message."""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from analysis.codebook import Codebook
from analysis.paper import apa
from analysis.rounding import fmt
from analysis.wording import count_phrase, join


class Results(Protocol):
    """What the alt texts read of the paper's results (:class:`analysis.paper.results.Results`, which
    imports this module to caption its figures)."""

    codebook: Codebook
    wave: str

    def csv(self, name: str, wave: str | None = None, dtype=None) -> pd.DataFrame: ...

    def codebook_of(self, wave: str) -> dict: ...


def _book(R: Results, wave: str | None) -> dict:
    """The codebook as ``wave`` (default: the paper's wave; "" the build's own) asked it."""
    return R.codebook_of(wave or R.wave) if wave != "" else R.codebook


def _areas(R: Results, wave: str | None = "") -> dict[str, str]:
    return _book(R, wave).areas.set_index("area")["label"].to_dict()


def mr(R: Results, wave: str | None = None) -> str:
    d = R.csv("inference/mr_intervals.csv", wave)
    book = _book(R, wave)
    lab = book.options.set_index(["question", "option"])["label"]
    top = d.sort_values("pct_cases", ascending=False).groupby("question", sort=False).head(1)
    order = {q: i for i, q in enumerate(book.questions)}
    top = top.sort_values("question", key=lambda s: s.map(order))
    n = len(order)
    charts = count_phrase(n, "horizontal bar chart").capitalize() + (
        "" if n == 1 else ", one per multiple-response question"
    )
    return (
        f"{charts}, of the percent of respondents naming each option with 95% intervals. Most named: "
        + join([f"{lab[(r.question, r.option)]} ({fmt(r.pct_cases, 1)}%)" for r in top.itertuples()])
        + "."
    )


def identified(R: Results) -> str:
    """Alt text of the percent-of-cases ranges (results/identification.csv)."""
    d = R.csv("identification.csv", wave="")
    d = d[d["quantity"] == "cases"]
    lab = R.codebook.options.assign(s=lambda o: o["question"] + "." + o["option"]).set_index("s")["label"]
    wide = d.loc[(d["upper"] - d["lower"]).idxmax()]
    return (
        "Four panels, one per multiple-response question; for each option a bar spans the percent of respondents "
        "naming it over every data set consistent with the printed shares, a thin line its 95% interval and a dot "
        f"the central reconstruction. The widest range: {lab[wide['subject']]}, "
        f"{fmt(100 * wide['lower'] / wide['denominator'], 1)} to {fmt(100 * wide['upper'] / wide['denominator'], 1)}%."
    )


def ranking(R: Results, wave: str | None = None) -> str:
    d = R.csv("score_distribution.csv", wave)
    lab = _areas(R, wave)
    top = max(_book(R, wave).scores)
    first = d[d["score"] == top].set_index("area")["percent"]
    return (
        f"Grouped horizontal bars of the percent of respondents giving each score to each risk area. Score {top} "
        "(most important) went to " + join([f"{lab[a]} from {fmt(first[a], 1)}%" for a in lab]) + "."
    )


def threshold(R: Results, wave: str | None = None) -> str:
    th = R.csv("inference/threshold.csv", wave).set_index("area")
    lab = _areas(R, wave)
    cut = fmt(float(th["threshold"].iloc[0]), 1)
    parts = [
        f"{lab[a]} {fmt(th.at[a, 'mean'], 2)} [{fmt(th.at[a, 'boot_low'], 2)}, {fmt(th.at[a, 'boot_high'], 2)}]"
        for a in lab
    ]
    above = [lab[a] for a in lab if th.at[a, "boot_low"] > float(th["threshold"].iloc[0])]
    return (
        f"Mean ranking score of each area with its bootstrap 95% interval and a dashed line at the key-risk "
        f"threshold {cut}: "
        + join(parts)
        + ". "
        + (
            f"Only {join(above)} lies entirely above the threshold."
            if above
            else "No interval lies entirely above the threshold."
        )
    )


def worths(R: Results, wave: str | None = None) -> str:
    pl = R.csv("inference/plackett_luce.csv", wave).set_index("area").sort_values("worth", ascending=False)
    lab = _areas(R, wave)
    if pl["worth"].isna().all():
        return (
            "No Plackett-Luce worths are drawn: some areas are ranked above all others by every respondent, so "
            "the worths have no finite estimate."
        )
    first = R.csv("inference/first_choice.csv", wave).set_index("area")["pct"]
    return (
        "Horizontal bars of the share of respondents the Plackett-Luce model expects to rank each area first (its "
        "worth, with bootstrap 95% intervals) and diamonds at the share who do: "
        + join([f"{lab[a]} {fmt(100 * r.worth, 1)}% expected, {fmt(first[a], 1)}% observed" for a, r in pl.iterrows()])
        + "."
    )


def sensitivity(R: Results) -> str:
    d = R.csv("sensitivity/summary.csv", wave="")
    d = d[(d["family"] == "posthoc") & (d["statistic"] == "p_adj") & d["subject"].str.startswith("wilcoxon_holm:")]
    lab = _areas(R)
    n = int(d["n_draws"].max())
    sig = [r for r in d.itertuples() if r.max < 0.05]
    mixed = [r for r in d.itertuples() if r.min < 0.05 <= r.max]
    name = lambda r: " vs ".join(lab[x] for x in r.subject.split(":")[1:])  # noqa: E731
    return (
        f"Strip plot of the Holm-adjusted Wilcoxon p-value of each pair of areas in each of {n} reconstructions, "
        "log scale from one in a million (smaller values drawn there) to 1, with a dashed line at .05. "
        + (f"Below .05 in every reconstruction: {join([name(r) for r in sig])}. " if sig else "")
        + (
            f"On both sides of .05: {join([name(r) for r in mixed])}."
            if mixed
            else "No pair falls on both sides of .05."
        )
    )


def priority(R: Results, wave: str | None = None) -> str:
    """Alt text of the priority ranges (results/priorities.csv) with the reconstruction's values."""
    r = R.csv("countermeasures/risks.csv")
    r = r[r["specific"]].set_index("risk")
    pr = R.csv("priorities.csv", wave="")
    risks = pr[pr["kind"] == "risk"].sort_values(["high", "low"], ascending=False)
    top = risks.iloc[0]
    gaps = r[r["gap"]]
    first = risks[risks["rank_best"] == 1]
    return (
        f"Two panels of horizontal bars: the range of the priority of each of {len(risks)} specific risks and of "
        f"the score of each of {int((pr['kind'] == 'countermeasure').sum())} countermeasures over every data set "
        "consistent with the article, with a dot for the reconstruction's value. Widest reach: "
        f"{r.at[top['subject'], 'label']} ({fmt(top['low'], 3)} to {fmt(top['high'], 3)}); "
        f"{len(first)} risks can rank first. "
        + (
            f"No countermeasure addresses {join([str(g) for g in gaps['label']])} (hatched bars)."
            if len(gaps)
            else "Every risk is addressed by some countermeasure."
        )
    )


def wave_priority(R: Results, wave: str | None = None) -> str:
    """Alt text of a wave's risk priorities with their bootstrap intervals (results/<wave>/countermeasures/risks.csv)."""
    r = R.csv("countermeasures/risks.csv", wave)
    r = r[r["specific"]].sort_values("priority", ascending=False)
    if r.empty:
        return "No specific risk has a priority: the wave answered none of the multiple-response questions."
    top = r.iloc[0]
    gaps = r[r["gap"]]
    return (
        f"Horizontal bars of the priority of each of {len(r)} specific risks with bootstrap 95% intervals, highest "
        f"first: {top['label']} {fmt(top['priority'], 3)} [{fmt(top['ci_low'], 3)}, {fmt(top['ci_high'], 3)}]. "
        + (
            f"No countermeasure addresses {join([str(g) for g in gaps['label']])} (hatched bars)."
            if len(gaps)
            else "Every risk is addressed by some countermeasure."
        )
    )


def coverage(R: Results, wave: str | None = None) -> str:
    cov = R.csv("countermeasures/coverage.csv", wave)
    r = R.csv("countermeasures/risks.csv", wave)
    r = r[r["specific"]]
    hit = cov[cov["priority"] > 0]
    n_cm = cov["countermeasure"].nunique()
    widest = hit.groupby("countermeasure_label").size().sort_values(ascending=False)
    return (
        f"Heat map of {len(r)} specific risks (rows) by {n_cm} countermeasures of the article (columns), shaded "
        f"by the priority of each risk a countermeasure covers; {int(r['gap'].sum())} rows are empty. The "
        f"countermeasure covering most risks is {widest.index[0]} ({int(widest.iloc[0])})."
    )


def trend(R: Results) -> str:
    rk = R.csv("waves/ranking_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    mr_ = R.csv("waves/mr_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    lab = _areas(R)
    olab = R.codebook.options.set_index(["question", "option"])["label"]
    moved = [
        f"{lab[r.area]} ({fmt(r.mean_from, 2)} to {fmt(r.mean_to, 2)}, {apa.p(r.p_holm, 'Holm p')})".replace("*", "")
        for r in rk.itertuples()
        if r.p_holm < 0.05
    ]
    opts = [
        f"{olab[(r.question, r.option)]} ({fmt(r.pct_from, 1)}% to {fmt(r.pct_to, 1)}%)"
        for r in mr_.itertuples()
        if r.p_holm < 0.05
    ]
    return (
        "Dumbbell charts across waves: mean ranking score per area, then the percent of cases of every option "
        "of each question, one marker shape per wave. "
        + (f"Mean scores changed for {join(moved)}. " if moved else "No mean score changed significantly. ")
        + (f"Option shares changed for {join(opts)}." if opts else "No option share changed significantly.")
    )


def trends(R: Results) -> str:
    t = R.csv("waves/trends.csv", wave="")
    t = t[t["p_holm"] < 0.05]
    lab = _areas(R)
    olab = R.codebook.options.set_index(["question", "option"])["label"]
    items = [
        f"{lab[r.subject]} ({fmt(r.first, 2)} to {fmt(r.last, 2)})"
        if r.measure == "area"
        else f"{olab[(r.question, r.subject)]} ({fmt(r.first, 1)}% to {fmt(r.last, 1)}%)"
        for r in t.itertuples()
    ]
    return (
        "Dumbbell charts of every wave: mean ranking score per area, then the percent of cases of every option "
        "of each question, one marker shape per wave. "
        + (
            f"Trends over the waves (Holm p < .05): {join(items)}."
            if items
            else "No trend over the waves is significant after Holm's adjustment."
        )
    )


ALT = {
    "fig-mr": mr,
    "fig-identified": identified,
    "fig-ranking": ranking,
    "fig-threshold": threshold,
    "fig-worths": worths,
    "fig-sensitivity": sensitivity,
    "fig-priority": priority,
    "fig-wave-priority": wave_priority,
    "fig-coverage": coverage,
    "fig-trend": trend,
    "fig-trends": trends,
}


def alt_text(R: Results, label: str, wave: str | None = None) -> str:
    """The alt text of figure ``label`` (plain text, one or two sentences)."""
    f = ALT[label]
    return f(R) if label in ("fig-sensitivity", "fig-trend", "fig-trends", "fig-identified") else f(R, wave)
