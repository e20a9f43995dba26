"""The house style of the paper's figures (seaborn, colour-blind palette, type no smaller than the text's notes at print width), the shared drawing helpers (whiskers that never go negative, question panels) and the atomic PNG writer."""

from __future__ import annotations

import matplotlib

from analysis.codebook import Codebook

matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402

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


def interval_bars(ax, point, low, high, capsize: float = 2) -> None:
    """Black whiskers of the intervals ``low``-``high`` around ``point``, one per row of a
    horizontal bar chart (rows 0, 1, ...), as every interval over a bar is drawn."""
    ax.errorbar(
        point,
        range(len(point)),
        xerr=whiskers(point, low, high),
        fmt="none",
        ecolor="black",
        elinewidth=0.8,
        capsize=capsize,
    )


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


SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def power_of_ten(x: float, _pos=None) -> str:
    """A log axis' tick label as text, ``10⁻³`` (mathtext is off: labels are text)."""
    return "1" if x == 1 else f"10{str(round(np.log10(x))).translate(SUPERSCRIPT)}"


def save(fig: plt.Figure, path) -> None:
    """Save with fixed metadata so that the same figure gives the same bytes."""
    fmt = str(path).rsplit(".", 1)[-1].lower()
    meta = {"Software": None} if fmt == "png" else {}
    atomic(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=DPI, metadata=meta))
    plt.close(fig)


def area_label_map(codebook: Codebook) -> dict[str, str]:
    return codebook.areas.set_index("area")["label"].to_dict()


def question_panels(codebook: Codebook) -> tuple[dict[str, str], plt.Figure, np.ndarray]:
    """Each multiple-response question's title (section and label) and one panel per question,
    stacked at print width, each as tall as its options are many."""
    questions = {q["id"]: f"{q['section']} {q['label']}" for q in codebook.question_items}
    sizes = codebook.options.groupby("question", sort=False).size().reindex(list(questions)).tolist()
    fig, axes = plt.subplots(
        len(sizes), 1, figsize=(PRINT_WIDTH_IN, 7.4), sharex=True, gridspec_kw={"height_ratios": sizes}
    )
    return questions, fig, np.atleast_1d(axes)
