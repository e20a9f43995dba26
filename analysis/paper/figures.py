"""Seaborn figures, one style throughout: a colour-blind-safe palette (seaborn's
"colorblind", after Wong 2011) with marker shapes or labels wherever colour carries meaning,
drawn at the width they are printed (the PDF's text width) so that no text is smaller than the
body's footnotes."""

from __future__ import annotations

import matplotlib

from analysis.codebook import Codebook

matplotlib.use("Agg")
import matplotlib.lines  # noqa: E402
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from analysis.article.identification import cases_either_base  # noqa: E402
from analysis.paper.figure_style import (
    MAX_HEIGHT_IN,
    MIN_TEXT_PT,
    PRINT_WIDTH_IN,
    apply_style,
    area_label_map,
    interval_bars,
    power_of_ten,
    question_panels,
    whiskers,
)


def ranking_distribution(dist: pd.DataFrame, codebook: Codebook) -> plt.Figure:
    """Horizontal bars: percent of respondents giving each score (4 = highest risk) to each area."""
    apply_style()
    labels = codebook.areas.set_index("area")["label"]
    d = dist.assign(Area=dist["area"].map(labels), Score=dist["score"].astype(str))
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH_IN, 3.2))
    # scores are ordered: a sequential palette made for colour-vision deficiencies (cividis)
    sns.barplot(
        data=d,
        y="Area",
        x="percent",
        hue="Score",
        hue_order=["4", "3", "2", "1"],
        palette=sns.color_palette("cividis", 4)[::-1],
        saturation=1,
        orient="h",
        ax=ax,
    )
    ax.set_xlabel("Respondents giving the score (%)")
    ax.set_ylabel("")
    ax.legend(title="Score (4 = most\nimportant)", loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.tight_layout()
    return fig


def multiple_response(mr: pd.DataFrame, codebook: Codebook) -> plt.Figure:
    """One panel per multiple-response question: percent of cases per option with Wilson 95% intervals."""
    apply_style()
    questions, fig, axes = question_panels(codebook)
    opts = codebook.options
    d = mr.merge(opts[["question", "option", "label"]], on=["question", "option"], suffixes=("", "_cb"))
    colours = sns.color_palette("colorblind", 4)
    for ax, (q, title), colour in zip(axes.ravel(), questions.items(), colours):
        g = d[d["question"] == q]
        sns.barplot(data=g, y="label", x="pct_cases", color=colour, ax=ax, orient="h")
        interval_bars(ax, g["pct_cases"], g["ci_low"], g["ci_high"])
        ax.set_title(title, loc="left")
        ax.set_ylabel("")
        ax.set_xlabel("Respondents naming the option (% of cases)")
    fig.tight_layout()
    return fig


def identified_cases(ident: pd.DataFrame, mr: pd.DataFrame, codebook: Codebook) -> plt.Figure:
    """One panel per multiple-response question: for each option, the exact range of the percent
    of respondents naming it over every data set consistent with the printed shares, on either
    base (thick bar; :func:`analysis.article.identification.cases_either_base`), the 95% interval for
    that range (thin line) and the central reconstruction's value (dot)."""
    apply_style()
    questions, fig, axes = question_panels(codebook)
    opts = codebook.options.assign(subject=lambda o: o["question"] + "." + o["option"])
    cases = cases_either_base(ident).merge(opts[["subject", "question", "label"]], on="subject")
    point = mr.assign(subject=mr["question"] + "." + mr["option"]).set_index("subject")["pct_cases"]
    colours = sns.color_palette("colorblind", 4)
    for ax, (q, title), colour in zip(axes.ravel(), questions.items(), colours):
        g = cases[cases["question"] == q].reset_index(drop=True)
        y = np.arange(len(g))
        lo, hi = 100 * g["share_low"], 100 * g["share_high"]
        ax.hlines(y, 100 * g["ci_low"], 100 * g["ci_high"], color="black", linewidth=0.8)
        ax.hlines(y, lo, hi, color=colour, linewidth=7)
        ax.plot(g["subject"].map(point), y, "o", color="black", markersize=4)
        ax.set_yticks(y, g["label"])
        ax.set_ylim(len(g) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.set_title(title, loc="left")
    axes[-1].set_xlabel("Respondents naming the option (% of cases)")
    fig.tight_layout()
    return fig


def threshold(th: pd.DataFrame, codebook: Codebook) -> plt.Figure:
    """Mean score per area with its bootstrap 95% interval against the key-risk threshold."""
    apply_style()
    lab = area_label_map(codebook)
    d = th.assign(Area=th["area"].map(lab))
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH_IN, 2.6))
    colours = sns.color_palette("colorblind", len(d))
    for i, r in enumerate(d.itertuples()):
        ax.errorbar(
            r.mean, i, xerr=whiskers([r.mean], [r.boot_low], [r.boot_high]), fmt="o", color=colours[i], capsize=3
        )
    ax.axvline(float(d["threshold"].iloc[0]), color="black", linestyle="--", linewidth=1)
    ax.text(float(d["threshold"].iloc[0]), len(d) - 0.4, " key-risk threshold", va="bottom")
    ax.set_yticks(range(len(d)), d["Area"])
    ax.set_ylim(-0.6, len(d) - 0.1)
    ax.invert_yaxis()
    ax.set_xlabel("Mean ranking score (1-4) with bootstrap 95% interval")
    fig.tight_layout()
    return fig


def worths(pl: pd.DataFrame, first: pd.DataFrame, codebook: Codebook) -> plt.Figure:
    """How the Plackett-Luce model fits the first choices: each area's worth, the model's probability
    of ranking it first (bar, bootstrap 95% interval), beside the share of respondents who rank it
    first (dot, Wilson 95% interval); where the dot leaves the bar's interval the model misfits."""
    apply_style()
    d = pl.assign(Area=pl["area"].map(area_label_map(codebook)))
    for c in ("worth", "ci_low", "ci_high"):
        d[c] = 100 * d[c]
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH_IN, 2.6))
    if d["worth"].isna().all():  # the worths do not exist (analysis.stats.plackett_luce.pl_mle_exists)
        ax.text(
            0.5,
            0.5,
            "No finite Plackett-Luce worths: some areas are ranked\nabove all others by every respondent",
            transform=ax.transAxes,
            ha="center",
            va="center",
        )
        ax.set_axis_off()
        return fig
    sns.barplot(data=d, y="Area", x="worth", hue="Area", palette="colorblind", legend=False, ax=ax, orient="h")
    interval_bars(ax, d["worth"], d["ci_low"], d["ci_high"], capsize=3)
    fc = first.set_index("area").reindex(pl["area"])
    ax.errorbar(
        fc["pct"],
        range(len(d)),
        xerr=whiskers(fc["pct"], fc["ci_low"], fc["ci_high"]),
        fmt="D",
        color="black",
        markerfacecolor="white",
        markersize=5,
        elinewidth=1.4,
        capsize=0,
    )
    bar = matplotlib.patches.Patch(facecolor="0.75", edgecolor="black", label="Plackett-Luce model (bootstrap 95%)")
    dot = matplotlib.lines.Line2D(
        [], [], marker="D", color="black", markerfacecolor="white", label="Respondents ranking it first (Wilson 95%)"
    )
    ax.legend(handles=[bar, dot], loc="lower right")
    ax.set_xlabel("Ranked first (%)")
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


P_FLOOR = 1e-6  # p-values below it are drawn at it: what matters is where they fall near alpha


def sensitivity(draws: pd.DataFrame, codebook: Codebook, alpha: float = 0.05) -> plt.Figure:
    """Holm-adjusted Wilcoxon p-values of every pair of areas across reconstructions, on a log
    scale from :data:`P_FLOOR` (smaller values drawn at it) to 1, so that the pairs near
    ``alpha`` are readable; one neutral colour (a pair is not an area)."""
    apply_style()
    lab = area_label_map(codebook)
    d = draws[
        (draws["family"] == "posthoc")
        & (draws["statistic"] == "p_adj")
        & draws["subject"].str.startswith("wilcoxon_holm:")
    ].copy()
    d["Pair"] = d["subject"].str.split(":").map(lambda s: f"{lab[s[1]]} vs {lab[s[2]]}")
    d["value"] = d["value"].clip(lower=P_FLOOR)
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH_IN, 3.0))
    sns.stripplot(data=d, y="Pair", x="value", color="0.3", size=3, alpha=0.6, jitter=0.25, ax=ax, orient="h")
    ax.set_xscale("log")
    ax.set_xlim(P_FLOOR / 2, 2)
    ticks = [P_FLOOR, 1e-4, 1e-3, alpha, 1]
    ax.set_xticks(ticks)
    ax.set_xticklabels(
        ["\u2264" + power_of_ten(P_FLOOR), *map(power_of_ten, ticks[1:3]), f"{alpha:g}".lstrip("0"), "1"]
    )
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.axvline(alpha, color="black", linestyle="--", linewidth=1)
    ax.set_xlabel("Holm-adjusted Wilcoxon p (log scale)")
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


def coverage_heatmap(cov: pd.DataFrame, risks: pd.DataFrame) -> plt.Figure:
    """Risks (rows, by priority) x countermeasures: the risk's priority where the countermeasure addresses it,
    written in its cell (readable without colour: cividis runs from light to dark)."""
    apply_style()
    order = risks[risks["specific"]].sort_values("priority", ascending=False)
    m = cov.pivot(index="risk", columns="countermeasure", values="priority").loc[order["risk"]]
    names = cov.drop_duplicates("countermeasure").set_index("countermeasure")["countermeasure_label"]
    m = m[names.index]
    m.index, m.columns = order["label"].to_numpy(), names.to_numpy()
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH_IN, 7.6), layout="constrained")
    sns.heatmap(
        m.where(m > 0),
        cmap="cividis_r",
        annot=m.map(lambda v: f"{v:.2f}".lstrip("0") if v > 0 else ""),  # (".30": a narrow cell holds it)
        fmt="",
        annot_kws={"fontsize": MIN_TEXT_PT},
        linewidths=0.5,
        linecolor="#dddddd",
        ax=ax,
        cbar=False,  # (each cell is labelled with its value)
    )
    ax.set_xlabel("Countermeasure of the article")
    ax.set_ylabel("Specific risk (highest priority first)")
    ax.tick_params(axis="x", labelrotation=90)
    return fig


def priority(risks: pd.DataFrame) -> plt.Figure:
    """Risk priorities with bootstrap 95% intervals; risks no countermeasure addresses marked."""
    apply_style()
    d = risks[risks["specific"]].sort_values("priority", ascending=False).copy()
    d["Addressed"] = d["gap"].map({True: "no countermeasure (gap)", False: "addressed"})
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH_IN, 5.4), layout="constrained")
    sns.barplot(
        data=d,
        y="label",
        x="priority",
        hue="Addressed",
        dodge=False,
        palette="colorblind",
        hue_order=["addressed", "no countermeasure (gap)"],
        saturation=1,
        ax=ax,
        orient="h",
    )
    for bar in ax.containers[1] if len(ax.containers) > 1 else []:  # gaps hatched, not coloured only
        bar.set_hatch("///")
        bar.set_edgecolor("white")
    interval_bars(ax, d["priority"], d["ci_low"], d["ci_high"])
    ax.set_xlabel("Priority (area weight x share naming the risk)")
    ax.set_ylabel("")
    handles, labels = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    if len(handles) > 1:
        handles[1].set_hatch("///")
        handles[1].set_edgecolor("white")
    fig.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False)
    return fig


def priority_ranges(prio: pd.DataFrame, risks: pd.DataFrame, cms: pd.DataFrame) -> plt.Figure:
    """Two panels: each specific risk's priority and each countermeasure's score as its exact range
    over every data set consistent with the article (bar; results/priorities.csv) with the
    reconstruction's value marked as one point of it (dot); risks that no countermeasure addresses
    hatched, each row labelled with the ranks it can take."""
    apply_style()
    colour = sns.color_palette("colorblind")[0]
    panels = [
        (
            "risk",
            risks[risks["specific"]].rename(columns={"risk": "subject", "priority": "value"}),
            "Priority of the risk",
        ),
        (
            "countermeasure",
            cms.rename(columns={"countermeasure": "subject", "score": "value"}),
            "Score of the countermeasure",
        ),
    ]
    sizes = [len(p[1]) for p in panels]
    fig, axes = plt.subplots(
        2,
        1,
        figsize=(PRINT_WIDTH_IN, min(MAX_HEIGHT_IN, 0.24 * sum(sizes) + 1.8)),
        layout="constrained",
        gridspec_kw={"height_ratios": sizes},
    )
    for ax, (kind, point, xlabel) in zip(axes, panels):
        rng = prio[prio["kind"] == kind].merge(point, on="subject").sort_values(["high", "low"], ascending=False)
        y = np.arange(len(rng))
        gap = rng["gap"].astype(bool).to_numpy() if "gap" in rng else np.zeros(len(rng), bool)
        bars = ax.barh(y, rng["high"] - rng["low"], left=rng["low"], height=0.6, color=colour, edgecolor="white")
        for bar, hit in zip(bars, gap):
            if hit:
                bar.set_hatch("///")
        ax.plot(rng["value"], y, "o", color="black", markersize=4, label="reconstruction (one point of the range)")
        ranks = [
            f"{int(b)}" if b == w else f"{int(b)}\u2013{int(w)}" for b, w in zip(rng["rank_best"], rng["rank_worst"])
        ]
        ax.set_yticks(y, rng["label"])
        ax.set_ylim(len(rng) - 0.5, -0.5)
        ax.set_xlim(0, 1.25 * float(rng["high"].max()))
        for yy, hi, r in zip(y, rng["high"], ranks):  # the ranks it can take, right of its range
            ax.text(hi, yy, f" rank {r}", va="center", fontsize=9)
        ax.set_xlabel(xlabel)
    handles = [
        matplotlib.patches.Patch(facecolor=colour, label="range over every consistent data set"),
        matplotlib.patches.Patch(facecolor=colour, hatch="///", edgecolor="white", label="no countermeasure (gap)"),
        *axes[0].get_legend_handles_labels()[0],
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=1, frameon=False)
    return fig
