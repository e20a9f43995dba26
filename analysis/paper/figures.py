"""Seaborn figures, one style throughout: a colour-blind-safe palette (seaborn's
"colorblind", after Wong 2011) with marker shapes or labels wherever colour carries meaning,
drawn at the width they are printed (the PDF's text width) so that no text is smaller than the
body's footnotes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from analysis import codebook as cb  # noqa: E402
from analysis.article.identification import cases_either_base  # noqa: E402
from analysis.io import atomic  # noqa: E402

DPI = 200
# The PDF's text width: A4 (8.27 in) less the Typst template's 1.25 in margins. Figures are drawn
# at this width and set at 100 % of it, so a point in a figure is a point on paper.
PRINT_WIDTH_IN = 8.27 - 2 * 1.25
# The tallest figure that fits on a page with its caption: A4 (11.69 in) less the 1.25 in margins
# and about an inch for the caption.
MAX_HEIGHT_IN = 11.69 - 2 * 1.25 - 1.0
# The smallest text in a figure: the size of the body's footnotes (0.8 of the 11 pt body).
MIN_TEXT_PT = 9.0
MARKERS = ["o", "s", "D", "^", "v", "P"]  # one per wave: waves differ by shape, not colour alone


def whiskers(point, low, high) -> np.ndarray:
    """Matplotlib's ``xerr`` (2 x n: below, above) of intervals ``low``-``high`` around
    ``point``. An interval computed separately from its point can end a rounding error inside it
    (an option every respondent named: 100 % with an upper end of 99.999...), so each length is
    at least 0."""
    p, lo, hi = (np.asarray(x, dtype=float) for x in (point, low, high))
    return np.clip(np.vstack([p - lo, hi - p]), 0.0, None)


def apply_style() -> None:
    """The project's figure style: white grid, colour-blind palette, no text under
    :data:`MIN_TEXT_PT`. Also seeds numpy's global generator, which seaborn's strip-plot
    jitter draws from, so that the same data give the same bytes."""
    np.random.seed(0)
    sns.set_theme(
        style="whitegrid",
        palette="colorblind",
        context="paper",
        rc={
            "font.size": 9.5,
            "axes.titlesize": 10,
            "axes.labelsize": 9.5,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "legend.title_fontsize": 9,
            "svg.hashsalt": "microstore-risk",
            "figure.dpi": DPI,
            # labels are text: a "$" in a label is drawn, not read as mathtext
            "text.parse_math": False,
        },
    )


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _power_of_ten(x: float, _pos=None) -> str:
    """A log axis' tick label as text, ``10⁻³`` (mathtext is off: labels are text)."""
    return "1" if x == 1 else f"10{str(round(np.log10(x))).translate(_SUPERSCRIPT)}"


def ranking_distribution(dist: pd.DataFrame, codebook: dict) -> plt.Figure:
    """Horizontal bars: percent of respondents giving each score (4 = highest risk) to each area."""
    apply_style()
    labels = cb.areas(codebook).set_index("area")["label"]
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


def save(fig: plt.Figure, path) -> None:
    """Save with fixed metadata so that the same figure gives the same bytes."""
    fmt = str(path).rsplit(".", 1)[-1].lower()
    meta = {"Software": None} if fmt == "png" else {}
    atomic(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=DPI, metadata=meta))
    plt.close(fig)


def _labels(codebook: dict) -> dict[str, str]:
    return cb.areas(codebook).set_index("area")["label"].to_dict()


def _question_panels(codebook: dict) -> tuple[dict[str, str], plt.Figure, np.ndarray]:
    """Each multiple-response question's title (section and label) and one panel per question,
    stacked at print width, each as tall as its options are many."""
    questions = {q["id"]: f"{q['section']} {q['label']}" for q in codebook["multiple_response"]["questions"]}
    sizes = cb.options(codebook).groupby("question", sort=False).size().reindex(list(questions)).tolist()
    fig, axes = plt.subplots(
        len(sizes), 1, figsize=(PRINT_WIDTH_IN, 7.4), sharex=True, gridspec_kw={"height_ratios": sizes}
    )
    return questions, fig, np.atleast_1d(axes)


def multiple_response(mr: pd.DataFrame, codebook: dict) -> plt.Figure:
    """One panel per multiple-response question: percent of cases per option with Wilson 95% intervals."""
    apply_style()
    questions, fig, axes = _question_panels(codebook)
    opts = cb.options(codebook)
    d = mr.merge(opts[["question", "option", "label"]], on=["question", "option"], suffixes=("", "_cb"))
    colours = sns.color_palette("colorblind", 4)
    for ax, (q, title), colour in zip(axes.ravel(), questions.items(), colours):
        g = d[d["question"] == q]
        sns.barplot(data=g, y="label", x="pct_cases", color=colour, ax=ax, orient="h")
        ax.errorbar(
            g["pct_cases"],
            range(len(g)),
            xerr=whiskers(g["pct_cases"], g["ci_low"], g["ci_high"]),
            fmt="none",
            ecolor="black",
            elinewidth=0.8,
            capsize=2,
        )
        ax.set_title(title, loc="left")
        ax.set_ylabel("")
        ax.set_xlabel("Respondents naming the option (% of cases)")
    fig.tight_layout()
    return fig


def identified_cases(ident: pd.DataFrame, mr: pd.DataFrame, codebook: dict) -> plt.Figure:
    """One panel per multiple-response question: for each option, the exact range of the percent
    of respondents naming it over every data set consistent with the printed shares, on either
    base (thick bar; :func:`analysis.article.identification.cases_either_base`), the 95% interval for
    that range (thin line) and the central reconstruction's value (dot)."""
    apply_style()
    questions, fig, axes = _question_panels(codebook)
    opts = cb.options(codebook).assign(subject=lambda o: o["question"] + "." + o["option"])
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


def threshold(th: pd.DataFrame, codebook: dict) -> plt.Figure:
    """Mean score per area with its bootstrap 95% interval against the key-risk threshold."""
    apply_style()
    lab = _labels(codebook)
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


def worths(pl: pd.DataFrame, codebook: dict) -> plt.Figure:
    """Plackett-Luce worths with bootstrap 95% intervals."""
    apply_style()
    d = pl.assign(Area=pl["area"].map(_labels(codebook)))
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
    ax.errorbar(
        d["worth"],
        range(len(d)),
        xerr=whiskers(d["worth"], d["ci_low"], d["ci_high"]),
        fmt="none",
        ecolor="black",
        elinewidth=0.8,
        capsize=3,
    )
    ax.set_xlabel("Plackett-Luce worth (probability of being ranked first)")
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


def sensitivity(draws: pd.DataFrame, codebook: dict, alpha: float = 0.05) -> plt.Figure:
    """Holm-adjusted Wilcoxon p-values of every pair of areas across reconstructions (log scale)."""
    apply_style()
    lab = _labels(codebook)
    d = draws[
        (draws["family"] == "posthoc")
        & (draws["statistic"] == "p_adj")
        & draws["subject"].str.startswith("wilcoxon_holm:")
    ].copy()
    d["Pair"] = d["subject"].str.split(":").map(lambda s: f"{lab[s[1]]} vs {lab[s[2]]}")
    d["value"] = d["value"].clip(lower=1e-300)
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH_IN, 3.0))
    sns.stripplot(
        data=d,
        y="Pair",
        x="value",
        hue="Pair",
        palette="colorblind",
        legend=False,
        size=3,
        alpha=0.6,
        jitter=0.25,
        ax=ax,
        orient="h",
    )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_power_of_ten))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.axvline(alpha, color="black", linestyle="--", linewidth=1)
    ax.set_xlabel("Holm-adjusted Wilcoxon p (log scale)")
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


def coverage_heatmap(cov: pd.DataFrame, risks: pd.DataFrame) -> plt.Figure:
    """Risks (rows, by priority) x countermeasures: the risk's priority where the countermeasure addresses it."""
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
        linewidths=0.5,
        linecolor="#dddddd",
        ax=ax,
        cbar_kws={"label": "Priority of the risk covered"},
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
    ax.errorbar(
        d["priority"],
        range(len(d)),
        xerr=whiskers(d["priority"], d["ci_low"], d["ci_high"]),
        fmt="none",
        ecolor="black",
        elinewidth=0.8,
        capsize=2,
    )
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


def _dumbbell(ax, rows: pd.DataFrame, order: list[str], value: str, changed: set[str]) -> None:
    """One row per item (``rows``: item, label, wave, ``value``): each wave's value as a marker
    of its own shape, joined by a line; items that changed are drawn in the accent colour with
    a thicker line and a label ending in " *" (never colour alone)."""
    accent, grey = sns.color_palette("colorblind")[3], "#7f7f7f"
    items = list(dict.fromkeys(rows["item"]))
    for i, item in enumerate(items):
        g = rows[rows["item"] == item].set_index("wave").reindex(order)
        hit = item in changed
        ax.plot(g[value], [i] * len(g), color=accent if hit else grey, linewidth=2.4 if hit else 1.0, zorder=1)
        for k, (w, v) in enumerate(g[value].items()):
            ax.scatter(
                [v],
                [i],
                marker=MARKERS[k % len(MARKERS)],
                s=34,
                zorder=2,
                color=accent if hit else "#404040",
                edgecolor="white",
                linewidth=0.5,
            )
    labels = rows.drop_duplicates("item").set_index("item")["label"]
    ax.set_yticks(range(len(items)), [labels[i] + (" *" if i in changed else "") for i in items])
    for tick, item in zip(ax.get_yticklabels(), items):
        if item in changed:
            tick.set_fontweight("bold")
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_ylabel("")


def _panel_title(ax, text: str) -> None:
    """A panel's title at the figure's left edge (over the tick labels, so that long titles
    are not cut at the right)."""
    ax.annotate(
        text,
        xy=(0.01, 1.0),
        xycoords=("figure fraction", "axes fraction"),
        xytext=(0, 4),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=10,
        fontweight="bold",
    )


def trend(
    waves: pd.DataFrame,
    mr_changes: pd.DataFrame,
    ranking_changes: pd.DataFrame | None,
    codebook: dict,
    alpha: float = 0.05,
    wave_labels: dict[str, str] | None = None,
) -> plt.Figure:
    """Across waves, as dumbbell charts: each area's mean score (top panel) and each option's
    percent of cases per question (one panel each), one marker shape per wave (named in the
    legend by ``wave_labels``, else by id); items whose change between consecutive waves is
    significant after Holm's adjustment are highlighted, bold and starred."""
    lab = _labels(codebook)
    w = waves.assign(item=waves["area"], label=waves["area"].map(lab), wave=waves["wave"].astype(str))
    changed = (
        set(ranking_changes.loc[ranking_changes["p_holm"] < alpha, "area"]) if ranking_changes is not None else set()
    )
    first = mr_changes.drop_duplicates(["question", "option"])
    pts = pd.concat(
        [
            first.assign(wave=first["from_wave"].astype(str), pct=first["pct_from"]),
            mr_changes.assign(wave=mr_changes["to_wave"].astype(str), pct=mr_changes["pct_to"]),
        ]
    )
    pts = pts.drop_duplicates(["question", "option", "wave"])
    hit = mr_changes[mr_changes["p_holm"] < alpha]
    changed |= set(hit["question"] + "." + hit["option"])
    return _across_waves(w, pts, codebook, changed, wave_labels, "changed (Holm p < .05), bold *")


def trends(
    shares: pd.DataFrame,
    tests: pd.DataFrame,
    codebook: dict,
    alpha: float = 0.05,
    wave_labels: dict[str, str] | None = None,
) -> plt.Figure:
    """Three or more waves: each area's mean score and each option's percent of cases per wave
    (``shares``, :func:`analysis.stats.trends.shares`), items with a significant trend over the waves
    (``tests``: ``p_holm`` below ``alpha``, :func:`analysis.stats.trends.trends`) highlighted."""
    lab = _labels(codebook)
    s = shares.assign(wave=shares["wave"].astype(str))
    areas = s[s["measure"] == "area"]
    areas = areas.assign(item=areas["subject"], label=areas["subject"].map(lab), mean=areas["value"])
    opts = s[s["measure"] == "option"]
    opts = opts.assign(option=opts["subject"], pct=opts["value"])
    hit = tests[tests["p_holm"] < alpha]
    changed = {(x if m == "area" else f"{q}.{x}") for m, q, x in zip(hit["measure"], hit["question"], hit["subject"])}
    return _across_waves(areas, opts, codebook, changed, wave_labels, "trend over the waves (Holm p < .05), bold *")


def _across_waves(
    areas: pd.DataFrame,
    options: pd.DataFrame,
    codebook: dict,
    changed: set[str],
    wave_labels: dict[str, str] | None,
    marked: str,
) -> plt.Figure:
    """The dumbbell panels of :func:`trend` and :func:`trends`: ``areas`` (item, label, wave,
    mean) on top, then ``options`` (question, option, wave, pct) one panel per question, waves in
    the order of ``areas``; items in ``changed`` (area ids, question.option) drawn as ``marked``."""
    apply_style()
    order = list(dict.fromkeys([*areas["wave"], *options["wave"]]))
    opts = cb.options(codebook)
    qs = {
        q["id"]: f"{q['section']} {q['label']}"
        for q in codebook["multiple_response"]["questions"]
        if (opts["question"] == q["id"]).any()
    }
    ranked = len(_labels(codebook)) > 0  # (no panel for a ranking the waves did not share)
    heights = [len(_labels(codebook))] * ranked + [int((opts["question"] == q).sum()) for q in qs]
    tall = min(MAX_HEIGHT_IN, 0.8 + 0.2 * sum(heights) + 0.45 * len(heights))
    fig, axes = plt.subplots(
        len(heights), 1, figsize=(PRINT_WIDTH_IN, tall), gridspec_kw={"height_ratios": heights}, squeeze=False
    )
    axes = list(axes[:, 0])
    if ranked:
        _dumbbell(axes[0], areas, order, "mean", changed)
        _panel_title(axes[0], f"{codebook['ranking']['section']} Mean ranking score (1-4) per area")
    names = opts.set_index(["question", "option"])["label"]
    pts = options.assign(
        label=[names[(q, o)] for q, o in zip(options["question"], options["option"])],
        item=options["question"] + "." + options["option"],
    )
    for ax, (q, title) in zip(axes[int(ranked) :], qs.items()):
        _dumbbell(ax, pts[pts["question"] == q], order, "pct", changed)
        _panel_title(ax, f"{title} (% of cases)")
    from matplotlib.lines import Line2D

    names = wave_labels or {}
    handles = [
        Line2D([], [], marker=MARKERS[k % len(MARKERS)], linestyle="", color="#404040", label=names.get(o, o))
        for k, o in enumerate(order)
    ]
    handles.append(Line2D([], [], color=sns.color_palette("colorblind")[3], linewidth=2.4, label=marked))
    # one row when the wave labels fit the width, else one entry per row (labels are never cut)
    ncol = min(len(handles), 3) if sum(len(h.get_label()) for h in handles) <= 70 else 1
    rows = -(-len(handles) // ncol)
    fig.legend(handles=handles, loc="upper center", ncol=ncol, frameon=False, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 1 - (0.2 + 0.22 * rows) / fig.get_figheight()))
    return fig
