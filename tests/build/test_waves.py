"""New survey waves: formats, mapping, cross-wave ids, simulation and change detection."""

import subprocess
import sys

import pandas as pd
import pytest

from ..conftest import ROOT, SNAKEMAKE, quick, snakemake

AREAS = ["credit", "promotion", "logistics", "customer_service"]
BASE_WORTHS = {"credit": 0.55, "promotion": 0.15, "logistics": 0.12, "customer_service": 0.18}


def test_ids_used_by_another_wave_are_other_respondents(base_build, config, tmp_path):
    """A wave of 500 numbered 1..500 beside the article's wave (ids 1..238) keeps all 500:
    a respondent is (wave, id)."""
    import shutil

    import yaml

    root = tmp_path / "project"
    shutil.copytree(base_build, root, symlinks=True)
    cfg = dict(
        config,
        waves=[
            *config["waves"],
            {"id": "w500", "label": "Own survey", "simulate": {"n": 500, "seed": 5, "id_start": 1}},
        ],
    )
    (root / "config" / "own-500.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True))
    snakemake(root, "results/w500/flow.csv", "--configfile", "config/own-500.yaml")
    flow = pd.read_csv(root / "results/w500/flow.csv", keep_default_na=False).set_index(["step", "reason"])["n"]
    assert flow[("read", "")] == 500 and flow[("questionnaires_kept", "")] == 500
    ids = pd.read_csv(root / "results/w500/responses.csv", dtype=str)["respondent_id"]
    assert sorted(ids.astype(int)) == list(range(1, 501))
    article = pd.read_csv(root / "results/2021/responses.csv", dtype=str)["respondent_id"]
    assert set(article) <= set(ids)  # (the article's ids are all reused, none lost)


@pytest.mark.build
def test_adding_a_wave_runs_only_its_jobs(build):
    p = snakemake(build, "-n", "--quiet", "rules", "--configfile", "config/demo-two-waves.yaml")
    jobs = {
        line.split()[0]: int(line.split()[1])
        for line in p.stdout.splitlines()
        if len(line.split()) == 2 and line.split()[1].isdigit()
    }
    jobs.pop("total", None)
    assert set(jobs) == {
        "all",
        "simulation_spec",
        "simulate",
        "wave_layout",
        "clean",
        "statistics",
        "figures",
        "compare_waves",
        "figure_trend",
        "render",
        "effective_config",
    }
    assert jobs["clean"] == 1 and jobs["statistics"] == 1 and jobs["figures"] == 1
    out = snakemake(build, "-n", "--configfile", "config/demo-two-waves.yaml").stdout
    assert "results/2021/" not in "\n".join(l for l in out.splitlines() if l.strip().startswith("output:"))


@pytest.mark.build
def test_readme_walkthrough_works_as_written(base_build, tmp_path):
    import os
    import re
    import shutil

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- walkthrough -->\n```sh\n(.*?)```", readme, re.S).group(1)
    root = tmp_path / "project"
    shutil.copytree(base_build, root, symlinks=True)
    if not (root / ".venv").exists():
        (root / ".venv").symlink_to(sys.prefix)  # the test's environment is the project's venv
    # `make paper` would build a venv first; the test's environment already is one
    script = block.replace("make paper", f"{SNAKEMAKE} --cores 2 {quick([])[0]}")
    original = (root / "config.yaml").read_text()
    env = {**os.environ, "PATH": f"{sys.prefix}/bin{os.pathsep}{os.environ['PATH']}"}
    p = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=root, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    html = " ".join((root / "report/_output/paper.html").read_text(encoding="utf-8").split())
    assert "Changes across waves" in html and "Spring 2026" in html
    supplement = " ".join((root / "report/_output/supplement.html").read_text(encoding="utf-8").split())
    assert "Results by respondent group" in supplement  # (per-wave detail is in the supplement)
    assert (root / "results/2026/exclusions.csv").exists()
    ids = pd.read_csv(root / "results/2026/responses.csv", dtype=str)["respondent_id"]
    assert len(ids) and ids.str.fullmatch(r"R_\d+").all()  # Qualtrics-style text ids, kept as written
    from ..support.docs import undocumented

    assert undocumented(root, ["2021", "2026"]) == []

    def provenance_appendix():
        html = (root / "report/_output/supplement.html").read_text(encoding="utf-8")
        table = html[html.index('id="tbl-provenance"') :]
        return table[: table.index("</table>")].replace("<wbr>", "")

    assert "results/2026/responses.arrow" in provenance_appendix() and "results/waves/" in provenance_appendix()
    # the wave removed again: the appendix lists only the files of the current build
    config = root / "config.yaml"
    assert config.read_text().startswith(original) and 'preset: "qualtrics"' in config.read_text()
    with_wave = config.read_text()
    config.write_text(original)
    p = subprocess.run([str(SNAKEMAKE), "--cores", "2", *quick([])], cwd=root, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "results/2026/" not in provenance_appendix() and "results/waves/" not in provenance_appendix()
    assert "results/2021/table1.csv" in provenance_appendix()
    # the removed wave's results and the comparison are gone from results/, not left stale
    assert not (root / "results/2026").exists() and not (root / "results/waves").exists()
    assert "note: removed results/2026/" in p.stderr
    # Snakemake's metadata removed (a common way out of a stale lock), then the wave added again:
    # the configuration file is an input of the build, so the paper follows it
    shutil.rmtree(root / ".snakemake")
    config.write_text(with_wave)
    p = subprocess.run([str(SNAKEMAKE), "--cores", "2", *quick([])], cwd=root, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-2000:]
    html = " ".join((root / "report/_output/paper.html").read_text(encoding="utf-8").split())
    assert "Changes across waves" in html and "Spring 2026" in html
    assert "results/2026/responses.arrow" in provenance_appendix()


@pytest.mark.build
def test_a_panel_build_links_ids_and_says_its_changes_are_paired(panel_build):
    """Two simulated waves declared one panel (the same ids 1..150) after the article's wave and a
    wave of two: the comparison of the two is paired over the 150 linked respondents, the paper
    says so, and no questionnaire is lost to another wave's ids."""
    root = panel_build
    mr = pd.read_csv(root / "results/waves/mr_changes.csv", dtype={"from_wave": str, "to_wave": str})
    assert set(mr.loc[mr["to_wave"] == "p1", "design"]) == {"independent"}
    panel = mr[mr["to_wave"] == "p2"]
    assert set(panel["design"]) == {"paired"} and panel["n_pairs"].max() <= 150
    mmi = set(pd.read_csv(root / "results/waves/mmi.csv", dtype=str)["to_wave"])
    assert "p1" in mmi and "p2" not in mmi  # (independent waves only: the panel's change is paired)
    html = " ".join((root / "report/_output/paper.html").read_text(encoding="utf-8").split())
    assert "Panel, first and Panel, second are one panel" in html and "paired <em>t</em>-tests" in html
    for w in ("p1", "p2"):
        flow = pd.read_csv(root / f"results/{w}/flow.csv", keep_default_na=False).set_index("step")["n"]
        assert int(flow["questionnaires_kept"]) == 150
