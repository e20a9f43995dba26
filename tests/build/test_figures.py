"""Figures as printed: drawn at the PDF's text width, every text inside the image and no
smaller than the body's footnotes, legend colours distinguishable under common colour-vision
deficiencies, and changes never marked by colour alone."""

import matplotlib
import pandas as pd
import pytest
from matplotlib.text import Text

from analysis.paper import figure_style as fs
from analysis.paper.figurespec import FIGURE_INPUTS, SENSITIVITY_INPUTS, TREND_INPUTS
from analysis.steps.figures import FIGURES

from ..support.colours import min_difference

MIN_DELTA_E = 15  # CIE76: clearly different colours


def text_faults(fig) -> list[str]:
    """Texts outside the image or smaller than figures.MIN_TEXT_PT, and a width other than
    the print width."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    out = []
    # matplotlib's tight bounding box: everything drawn (texts, legends, colour bars), in inches
    tight = fig.get_tightbbox(r)
    w, h = fig.get_size_inches()
    if tight.x0 < -0.01 or tight.y0 < -0.01 or tight.x1 > w + 0.01 or tight.y1 > h + 0.01:
        drawn = [t for ax in fig.axes for t in ax.get_default_bbox_extra_artists() if isinstance(t, Text)]
        for t in [*drawn, *fig.texts]:
            b = t.get_window_extent(r).transformed(fig.dpi_scale_trans.inverted())
            if (
                t.get_visible()
                and t.get_text().strip()
                and (b.x0 < -0.01 or b.y0 < -0.01 or b.x1 > w + 0.01 or b.y1 > h + 0.01)
            ):
                out.append(f"outside the image: {t.get_text()!r}")
        out = out or [f"drawn outside the image: {tight} in a {w:.2f} x {h:.2f} in figure"]
    for t in fig.findobj(lambda a: isinstance(a, Text)):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if t.get_fontsize() < fs.MIN_TEXT_PT - 1e-9:
            out.append(f"{t.get_fontsize():.1f} pt: {t.get_text()!r}")
    if abs(fig.get_figwidth() - fs.PRINT_WIDTH_IN) > 1e-6:
        out.append(f"drawn {fig.get_figwidth():.2f} in wide, printed {fs.PRINT_WIDTH_IN:.2f} in")
    if fig.get_figheight() > fs.MAX_HEIGHT_IN + 1e-6:
        out.append(f"{fig.get_figheight():.2f} in tall: taller than a page with its caption")
    return out


def legend_colours(fig) -> list:
    """The distinct colours of the legend entries (what colour means in the figure)."""
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    colours = []
    for lg in legends:
        for hd in lg.legend_handles:
            c = (
                hd.get_facecolor()
                if hasattr(hd, "get_facecolor") and not isinstance(hd, matplotlib.lines.Line2D)
                else hd.get_color()
            )
            c = tuple(round(float(x), 4) for x in matplotlib.colors.to_rgb(c))
            if c not in colours:
                colours.append(c)
    return colours


def draw(root, name, wave="2021"):
    if name == "sensitivity":
        files = sorted(root.glob(SENSITIVITY_INPUTS.replace("{chunk}", "*")))
    elif name == "trend":
        files = [root / f for f in TREND_INPUTS]
    else:
        files = [root / f.format(wave=wave) for f in FIGURE_INPUTS[name]]
    from analysis import io

    csv = [pd.read_csv(f) for f in files]
    return FIGURES[name](csv, io.read_codebook(root / "data/codebook.yaml"), {})


@pytest.mark.build
@pytest.mark.parametrize("name", [*FIGURE_INPUTS, "sensitivity"])
def test_article_figures_as_printed(build, name):
    fig = draw(build, name)
    assert text_faults(fig) == []
    diff = min_difference(legend_colours(fig))
    assert min(diff.values()) >= MIN_DELTA_E, diff
    matplotlib.pyplot.close(fig)


@pytest.mark.build
@pytest.mark.parametrize("name", [*FIGURE_INPUTS, "trend"])
def test_demo_figures_as_printed(demo_build, name):
    fig = draw(demo_build, name, wave="demo-2026")
    assert text_faults(fig) == []
    diff = min_difference(legend_colours(fig))
    assert min(diff.values()) >= MIN_DELTA_E, diff
    matplotlib.pyplot.close(fig)


@pytest.mark.build
def test_trend_marks_changes_by_shape_weight_and_star_not_colour_alone(demo_build):
    fig = draw(demo_build, "trend")
    changed = pd.read_csv(demo_build / "results/waves/ranking_changes.csv").query("p_holm < .05")
    assert len(changed) >= 1  # the demo plants changes
    ticks = [t for ax in fig.axes for t in ax.get_yticklabels()]
    starred = [t.get_text() for t in ticks if t.get_text().endswith(" *")]
    assert all(t.get_fontweight() == "bold" for t in ticks if t.get_text().endswith(" *"))
    labels = pd.read_csv(demo_build / "results/waves/waves.csv").drop_duplicates("area").set_index("area")["label"]
    assert {labels[a] + " *" for a in changed["area"]} <= set(starred)
    markers = [h.get_marker() for h in fig.legends[0].legend_handles if h.get_marker() not in (None, "None")]
    waves = pd.read_csv(demo_build / "results/waves/waves.csv")["wave"].nunique()
    assert len(markers) == len(set(markers)) == waves == 3  # one marker shape per wave
