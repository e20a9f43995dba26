"""The weighted-waves demo (config/demo-weighted.yaml, issue 39) built with the README's command
on a copy of the article's build: its paper shows the weighting section with design effects and effective sizes,
its numbers are the results files', and the article's wave's results are byte-identical to those
of the unweighted build."""

from __future__ import annotations

import hashlib
import re
import shutil

import pandas as pd
import pytest

from analysis.rounding import fmt

from ..conftest import built_copy, snakemake
from ..support.docs import undocumented
from ..support.htmlstructure import visible_text
from ..support.layout import html_layout_problems, pdf_layout_problems


@pytest.fixture(scope="module")
def weighted_build(base_build, tmp_path_factory):
    """The weighted demo, built with the README's command on a copy of the article's build whose
    article wave (results/2021) is removed: the demo's configuration makes that wave anew, which
    the byte-identity test compares with the unweighted build's."""
    root = built_copy(base_build, tmp_path_factory.mktemp("weighted") / "project")
    shutil.rmtree(root / "results/2021")
    snakemake(root, "--configfile", "config/demo-weighted.yaml")
    return root


def digests(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_the_article_wave_is_byte_identical_to_the_unweighted_build(weighted_build, base_build):
    ours, theirs = digests(weighted_build / "results/2021"), digests(base_build / "results/2021")
    assert len(ours) > 25 and ours == theirs
    assert not (weighted_build / "results/2021/weighting.csv").exists()


def test_each_weighted_wave_is_weighted_as_configured(weighted_build):
    panel = pd.read_csv(weighted_build / "results/panel-2026/weighting.csv").iloc[0]
    raked = pd.read_csv(weighted_build / "results/raked-2026/weighting.csv").iloc[0]
    assert panel["method"] == "design weights" and panel["n"] == 600
    assert raked["method"] == "equal weights; raked to gender, group" and raked["n"] == 500
    w = pd.read_csv(weighted_build / "results/raked-2026/weights.csv")
    r = pd.read_csv(weighted_build / "results/raked-2026/responses.csv", dtype=str)
    assert w["respondent_id"].astype(str).tolist() == r["respondent_id"].tolist()
    shares = w.groupby(r["gender"].to_numpy())["design_weight"].sum() / w["design_weight"].sum()
    assert shares.round(6).to_dict() == {"female": 0.49, "male": 0.49, "other": 0.02}
    assert w["design_weight"].max() <= 5 * w["design_weight"].mean() * (1 + 1e-6)  # trim: {upper: 5}
    for s, wave in ((panel, "panel-2026"), (raked, "raked-2026")):
        ww = pd.read_csv(weighted_build / f"results/{wave}/weights.csv")["design_weight"]
        assert s["n_effective"] == pytest.approx(ww.sum() ** 2 / (ww**2).sum(), rel=1e-12)
        assert 0.3 < s["efficiency"] < 1


def test_the_paper_shows_the_weighting_section_with_design_effects_and_effective_sizes(weighted_build, base_build):
    html = (weighted_build / "report/_output/paper.html").read_text(encoding="utf-8")
    # (visible_text spaces the text of each element apart: undo that around punctuation)
    words = re.sub(r"\(\s+", "(", re.sub(r"\s+([),.;:%])", r"\1", visible_text(html)))
    assert 'id="sec-weighting"' in html and "Weighted waves" in words
    for wave, label in (("panel-2026", "Simulated panel wave"), ("raked-2026", "Simulated convenience wave")):
        s = pd.read_csv(weighted_build / f"results/{wave}/weighting.csv").iloc[0]
        p = pd.read_csv(weighted_build / f"results/{wave}/design/proportions.csv")
        said = f"weigh as much as {s['n_effective']:,.0f} drawn at random (weighting efficiency {fmt(100 * s['efficiency'], 0)}%)"
        assert said in words, said
        assert f"run from {fmt(p['deff'].min(), 2)} to {fmt(p['deff'].max(), 2)}" in words
        assert f'id="tbl-weighted-{wave}"' in html and label in words
        m = pd.read_csv(weighted_build / f"results/{wave}/design/means.csv")
        assert f"{fmt(m['mean_weighted'][0], 2)} [{fmt(m['ci_low'][0], 2)}, {fmt(m['ci_high'][0], 2)}]" in words
    assert "weights kept at most 5 times their mean" in words
    assert "gender: female 49%, male 49%, other 2%" in words
    assert re.search(r"(\w+) of the 24 options and areas changed over the waves beyond chance", words)
    assert "nothing but the weighting variables" in words
    # an unweighted build's paper has no such section
    assert "sec-weighting" not in (base_build / "report/_output/paper.html").read_text(encoding="utf-8")


def test_every_file_of_the_weighted_build_is_documented(weighted_build):
    assert undocumented(weighted_build, ["2021", "panel-2026", "raked-2026"]) == []


@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdftotext") is None, reason="no chromium or poppler"
)
def test_the_weighted_paper_reads_at_laptop_and_phone_widths_and_in_its_pdf(weighted_build):
    """The weighting section's tables as readers see them: nothing past the window at 1280 and
    390 px, no overlapping or broken words in the PDF's tables, and every rule a caption or source
    names is the one that wrote that file."""
    import json

    out = weighted_build / "report/_output"
    assert html_layout_problems(out / "paper.html") == []
    assert pdf_layout_problems(out / "paper.pdf", (out / "paper.md").read_text(encoding="utf-8")) == []
    wrote = {}
    for f in (weighted_build / "results/provenance").glob("*.json"):
        rec = json.loads(f.read_text())
        wrote.update(dict.fromkeys(rec["outputs"], rec["rule"]))
    md = (out / "paper.md").read_text(encoding="utf-8")
    named = re.findall(r"(results/[\w./-]+\.\w+), rule ([a-z_]+)", md)
    assert {"results/panel-2026/weighting.csv", "results/raked-2026/design/means.csv"} <= {p for p, _ in named}
    assert sorted({(p, r, wrote.get(p)) for p, r in named if wrote.get(p) != r}) == []


def test_estimates_that_do_not_exist_are_dashes_in_the_weighting_section(weighted_build, tmp_path):
    """A wave without valid rankings (NaN means) and options without design effects (none varies):
    the section shows dashes and leaves out the range of design effects, never "nan"."""
    from analysis.paper.results import Results
    from analysis.paper.weighting_section import weighting_section

    root = tmp_path / "project"
    shutil.copytree(weighted_build, root, symlinks=True, ignore=shutil.ignore_patterns(".snakemake", ".venv"))
    wave = root / "results/raked-2026/design"
    m = pd.read_csv(wave / "means.csv")
    m[["mean_weighted", "ci_low", "ci_high", "deff", "mean_unweighted"]] = float("nan")
    m.assign(key_weighted=False, differs=False).to_csv(wave / "means.csv", index=False)
    pd.read_csv(wave / "proportions.csv").assign(deff=float("nan")).to_csv(wave / "proportions.csv", index=False)
    md = weighting_section(Results(root))
    raked = md[md.index("**Simulated convenience wave") :]
    assert not re.search(r"\bnan\b", raked, re.I) and "design effects of its percents" not in raked
    table = raked[raked.index("| Area") : raked.index("{#tbl-weighted-raked-2026}")]
    assert table.count("—") == 4 * 3
