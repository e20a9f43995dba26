"""The figures across waves: dumbbell charts of the mean scores and option shares per wave, changes between two waves (trend) and trends over three or more (trends), significant ones highlighted."""

from __future__ import annotations

import matplotlib

from analysis.codebook import Codebook

matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from analysis.paper.figure_style import (
    MARKERS,
    MAX_HEIGHT_IN,
    PRINT_WIDTH_IN,
    apply_style,
    area_label_map,
)


def dumbbell(ax, rows: pd.DataFrame, order: list[str], value: str, changed: set[str]) -> None:
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


def panel_title(ax, text: str) -> None:
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
    codebook: Codebook,
    alpha: float = 0.05,
    wave_labels: dict[str, str] | None = None,
) -> plt.Figure:
    """Across waves, as dumbbell charts: each area's mean score (top panel) and each option's
    percent of cases per question (one panel each), one marker shape per wave (named in the
    legend by ``wave_labels``, else by id); items whose change between consecutive waves is
    significant after Holm's adjustment are highlighted, bold and starred."""
    lab = area_label_map(codebook)
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
    return across_waves(w, pts, codebook, changed, wave_labels, "changed (Holm p < .05), bold *")


def trends(
    shares: pd.DataFrame,
    tests: pd.DataFrame,
    codebook: Codebook,
    alpha: float = 0.05,
    wave_labels: dict[str, str] | None = None,
) -> plt.Figure:
    """Three or more waves: each area's mean score and each option's percent of cases per wave
    (``shares``, :func:`analysis.stats.trends.shares`), items with a significant trend over the waves
    (``tests``: ``p_holm`` below ``alpha``, :func:`analysis.stats.trends.trends`) highlighted."""
    lab = area_label_map(codebook)
    s = shares.assign(wave=shares["wave"].astype(str))
    areas = s[s["measure"] == "area"]
    areas = areas.assign(item=areas["subject"], label=areas["subject"].map(lab), mean=areas["value"])
    opts = s[s["measure"] == "option"]
    opts = opts.assign(option=opts["subject"], pct=opts["value"])
    hit = tests[tests["p_holm"] < alpha]
    changed = {(x if m == "area" else f"{q}.{x}") for m, q, x in zip(hit["measure"], hit["question"], hit["subject"])}
    return across_waves(areas, opts, codebook, changed, wave_labels, "trend over the waves (Holm p < .05), bold *")


def across_waves(
    areas: pd.DataFrame,
    options: pd.DataFrame,
    codebook: Codebook,
    changed: set[str],
    wave_labels: dict[str, str] | None,
    marked: str,
) -> plt.Figure:
    """The dumbbell panels of :func:`trend` and :func:`trends`: ``areas`` (item, label, wave,
    mean) on top, then ``options`` (question, option, wave, pct) one panel per question, waves in
    the order of ``areas``; items in ``changed`` (area ids, question.option) drawn as ``marked``."""
    apply_style()
    order = list(dict.fromkeys([*areas["wave"], *options["wave"]]))
    opts = codebook.options
    qs = {
        q["id"]: f"{q['section']} {q['label']}" for q in codebook.question_items if (opts["question"] == q["id"]).any()
    }
    ranked = len(area_label_map(codebook)) > 0  # (no panel for a ranking the waves did not share)
    heights = [len(area_label_map(codebook))] * ranked + [int((opts["question"] == q).sum()) for q in qs]
    tall = min(MAX_HEIGHT_IN, 0.8 + 0.2 * sum(heights) + 0.45 * len(heights))
    fig, axes = plt.subplots(
        len(heights), 1, figsize=(PRINT_WIDTH_IN, tall), gridspec_kw={"height_ratios": heights}, squeeze=False
    )
    axes = list(axes[:, 0])
    if ranked:
        dumbbell(axes[0], areas, order, "mean", changed)
        panel_title(axes[0], f"{codebook.ranking_section} Mean ranking score (1-4) per area")
    names = opts.set_index(["question", "option"])["label"]
    pts = options.assign(
        label=[names[(q, o)] for q, o in zip(options["question"], options["option"])],
        item=options["question"] + "." + options["option"],
    )
    for ax, (q, title) in zip(axes[int(ranked) :], qs.items()):
        dumbbell(ax, pts[pts["question"] == q], order, "pct", changed)
        panel_title(ax, f"{title} (% of cases)")
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
