"""`make report`: Snakemake's own report holds every figure and the key tables with captions."""

import shutil
import zipfile

import pytest

from ..conftest import snakemake
from ..support.browser import ARGS

pytestmark = [
    pytest.mark.build,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed"),
]


def test_report_shows_every_figure_with_its_caption(build, tmp_path):
    from playwright.sync_api import sync_playwright

    snakemake(build, "--report", "results/snakemake-report.zip", cores=False)
    with zipfile.ZipFile(build / "results/snakemake-report.zip") as z:
        z.extractall(tmp_path)
    html = next(tmp_path.rglob("report.html"))
    figures = sorted(p.relative_to(build).as_posix() for p in (build / "results").rglob("figures/*.png"))
    assert len(figures) == 9  # six per wave, the sensitivity draws, the identified ranges and the priority ranges
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=[*ARGS, "--allow-file-access-from-files"],
        )
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        entries = page.evaluate("results")
        assert errors == []
        for f in figures + [
            "results/2021/table1.csv",
            "results/2021/multiple_response.csv",
            "results/reproduction.csv",
            "results/audit.csv",
        ]:
            assert f in entries, f
            assert entries[f]["caption"].strip(), f
            if f.endswith(".png"):  # a figure's caption says from which data it is drawn
                assert "results/" in entries[f]["caption"], f
        loaded = page.evaluate(
            """(uris) => Promise.all(uris.map(u => new Promise(ok => {
            const i = new Image(); i.onload = () => ok(i.naturalWidth > 0); i.onerror = () => ok(false); i.src = u; })))""",
            [entries[f]["data_uri"] for f in figures],
        )
        assert all(loaded), dict(zip(figures, loaded))
        assert all(k in page.content() for k in ("Wave 2021", "Article", "Figures", "Tables"))
        browser.close()
