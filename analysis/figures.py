"""Seaborn figures, one style throughout (colour-blind-safe palette, print-readable)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from . import codebook as cb  # noqa: E402

DPI = 200


def apply_style() -> None:
    """The project's figure style: white grid, colour-blind palette, 10 pt text."""
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
    meta = {"Software": None} if str(path).endswith(".png") else {}
    fig.savefig(path, dpi=DPI, metadata=meta)
    plt.close(fig)
