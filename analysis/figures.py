"""Seaborn figures, one style throughout (colour-blind-safe palette, print-readable)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from . import codebook as cb  # noqa: E402
from .io import atomic  # noqa: E402

DPI = 200


def apply_style() -> None:
    """The project's figure style: white grid, colour-blind palette, 10 pt text. Also seeds
    numpy's global generator, which seaborn's strip-plot jitter draws from, so that the
    same data give the same bytes."""
    import numpy as np

    np.random.seed(0)
    sns.set_theme(style="whitegrid", palette="colorblind", context="paper",
                  rc={"font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10,
                      "svg.hashsalt": "microstore-risk", "figure.dpi": DPI})


def ranking_distribution(dist: pd.DataFrame, codebook: dict) -> plt.Figure:
    """Horizontal bars: percent of respondents giving each score (4 = highest risk) to each area."""
    apply_style()
    labels = cb.areas(codebook).set_index("area")["label"]
    d = dist.assign(Area=dist["area"].map(labels), Score=dist["score"].astype(str))
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    sns.barplot(data=d, y="Area", x="percent", hue="Score", hue_order=["4", "3", "2", "1"],
                palette="colorblind", orient="h", ax=ax)
    ax.set_xlabel("Respondents giving the score (%)")
    ax.set_ylabel("")
    ax.legend(title="Score (4 = most important)", loc="lower right", frameon=True)
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


def multiple_response(mr: pd.DataFrame, codebook: dict) -> plt.Figure:
    """One panel per multiple-response question: percent of cases per option with Wilson 95% intervals."""
    apply_style()
    questions = {q["id"]: f"{q['section']} {q['label']}" for q in codebook["multiple_response"]["questions"]}
    opts = cb.options(codebook)
    d = mr.merge(opts[["question", "option", "label"]], on=["question", "option"], suffixes=("", "_cb"))
    fig, axes = plt.subplots(2, 2, figsize=(7.2, 5.6), sharex=True)
    colours = sns.color_palette("colorblind", 4)
    for ax, (q, title), colour in zip(axes.ravel(), questions.items(), colours):
        g = d[d["question"] == q]
        sns.barplot(data=g, y="label", x="pct_cases", color=colour, ax=ax, orient="h")
        ax.errorbar(g["pct_cases"], range(len(g)), xerr=[g["pct_cases"] - g["ci_low"], g["ci_high"] - g["pct_cases"]],
                    fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
        ax.set_title(title, fontsize=9, loc="left")
        ax.set_ylabel("")
        ax.set_xlabel("Respondents naming the option (% of cases)")
        ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    return fig


def threshold(th: pd.DataFrame, codebook: dict) -> plt.Figure:
    """Mean score per area with its bootstrap 95% interval against the key-risk threshold."""
    apply_style()
    lab = _labels(codebook)
    d = th.assign(Area=th["area"].map(lab))
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    colours = sns.color_palette("colorblind", len(d))
    for i, r in enumerate(d.itertuples()):
        ax.errorbar(r.mean, i, xerr=[[r.mean - r.boot_low], [r.boot_high - r.mean]], fmt="o", color=colours[i],
                    capsize=3)
    ax.axvline(float(d["threshold"].iloc[0]), color="black", linestyle="--", linewidth=1)
    ax.text(float(d["threshold"].iloc[0]), len(d) - 0.4, " key-risk threshold", fontsize=8, va="bottom")
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
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    sns.barplot(data=d, y="Area", x="worth", hue="Area", palette="colorblind", legend=False, ax=ax, orient="h")
    ax.errorbar(d["worth"], range(len(d)), xerr=[d["worth"] - d["ci_low"], d["ci_high"] - d["worth"]],
                fmt="none", ecolor="black", elinewidth=0.8, capsize=3)
    ax.set_xlabel("Plackett-Luce worth (probability of being ranked first)")
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


def sensitivity(draws: pd.DataFrame, codebook: dict, alpha: float = 0.05) -> plt.Figure:
    """Holm-adjusted Wilcoxon p-values of every pair of areas across reconstructions (log scale)."""
    apply_style()
    lab = _labels(codebook)
    d = draws[(draws["family"] == "posthoc") & (draws["statistic"] == "p_adj")
              & draws["subject"].str.startswith("wilcoxon_holm:")].copy()
    d["Pair"] = d["subject"].str.split(":").map(lambda s: f"{lab[s[1]]} vs {lab[s[2]]}")
    d["value"] = d["value"].clip(lower=1e-300)
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    sns.stripplot(data=d, y="Pair", x="value", hue="Pair", palette="colorblind", legend=False, size=3, alpha=0.6,
                  jitter=0.25, ax=ax, orient="h")
    ax.set_xscale("log")
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
    m = m[cov["countermeasure"].drop_duplicates()]
    m.index = order["label"].to_numpy()
    fig, ax = plt.subplots(figsize=(7.2, 5.4))
    sns.heatmap(m.where(m > 0), cmap="cividis_r", linewidths=0.5, linecolor="#dddddd", ax=ax,
                cbar_kws={"label": "Priority of the risk covered"})
    ax.set_xlabel("Countermeasure of the article")
    ax.set_ylabel("Specific risk (highest priority first)")
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    return fig


def priority(risks: pd.DataFrame) -> plt.Figure:
    """Risk priorities with bootstrap 95% intervals; risks no countermeasure addresses marked."""
    apply_style()
    d = risks[risks["specific"]].sort_values("priority", ascending=False).copy()
    d["Addressed"] = d["gap"].map({True: "no countermeasure (gap)", False: "addressed"})
    fig, ax = plt.subplots(figsize=(6.8, 4.6))
    sns.barplot(data=d, y="label", x="priority", hue="Addressed", dodge=False, palette="colorblind",
                hue_order=["addressed", "no countermeasure (gap)"], ax=ax, orient="h")
    ax.errorbar(d["priority"], range(len(d)), xerr=[d["priority"] - d["ci_low"], d["ci_high"] - d["priority"]],
                fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
    ax.set_xlabel("Priority = area weight x share of respondents naming the risk")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(title="", loc="lower right")
    fig.tight_layout()
    return fig


def trend(waves: pd.DataFrame, mr_changes: pd.DataFrame, codebook: dict) -> plt.Figure:
    """Across waves: mean score per area (left) and percent of cases of each question's options (right)."""
    apply_style()
    lab = _labels(codebook)
    order = list(dict.fromkeys(waves["wave"].astype(str)))
    w = waves.assign(Area=waves["area"].map(lab), Wave=waves["wave"].astype(str))
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(7.2, 3.4))
    sns.pointplot(data=w, x="Wave", y="mean", hue="Area", order=order, palette="colorblind", ax=a1, markers="o")
    a1.set_ylabel("Mean ranking score (1-4)")
    a1.legend(fontsize=7, title="")
    first = mr_changes.drop_duplicates(["question", "option"])
    pts = pd.concat([first.assign(Wave=first["from_wave"].astype(str), pct=first["pct_from"]),
                     mr_changes.assign(Wave=mr_changes["to_wave"].astype(str), pct=mr_changes["pct_to"])])
    pts["Question"] = pts["question"].str.replace("_", " ")
    sns.stripplot(data=pts, x="Wave", y="pct", hue="Question", order=order, palette="colorblind", dodge=True,
                  ax=a2, size=4)
    a2.set_ylabel("Respondents naming the option (% of cases)")
    a2.legend(fontsize=7, title="")
    fig.tight_layout()
    return fig
