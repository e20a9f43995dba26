"""One full build of a fresh copy of the project, checked as its users would."""

import json
import re

import pandas as pd
import pytest

from analysis.rounding import fmt

from ..conftest import SLURM_SNAKEMAKE, SNAKEMAKE, snakemake, tree_digest

pytestmark = pytest.mark.build


def test_build_leaves_data_untouched(build):
    before = eval(build.parent.joinpath("data-before.txt").read_text())
    assert tree_digest(build / "data") == before


def test_reproduction_table_every_section4_and_table1_number_matches(build, published):
    rep = pd.read_csv(build / "results/reproduction.csv", dtype=str, keep_default_na=False)
    assert rep["id"].tolist() == published["id"].tolist()
    s4 = rep[rep["id"].str.match(r"^(n\.|mr\.|t1\.|rule\.)")]
    assert len(s4) == 47 and (s4["status"] == "match").all()
    s22 = rep[rep["id"].str.startswith("s22.")]
    assert (s22["status"] == "not-reproducible").all() and s22["reason"].str.len().gt(0).all()


def test_exclusion_log_has_23_rows(build):
    exc = pd.read_csv(build / "results/2021/exclusions.csv")
    assert len(exc) == 23 and exc["reason"].notna().all()


def test_committed_raw_file_equals_fresh_reconstruction(build):
    assert json.loads((build / "results/reconstructed/check.json").read_text())["identical"] is True


def test_snakemake_reconstruct_rewrites_raw_file_byte_for_byte(build):
    path = build / "data/raw/2021/responses.csv"
    before = path.read_bytes()
    path.write_bytes(b"respondent_id\n")  # damage it; the target must restore it exactly
    snakemake(build, "reconstruct", "--forcerun", "reconstruct", cores=False)  # as the README prints it
    assert path.read_bytes() == before


def test_documented_snakemake_commands_run_as_printed(build):
    import shlex

    readme = "\n".join(
        p.read_text(encoding="utf-8") for p in [build / "README.md", *sorted((build / "docs").glob("*.md"))]
    )
    commands = sorted(set(re.findall(r"`(snakemake [^`]*)`", readme)))
    assert len(commands) >= 4
    for command in commands:
        args = shlex.split(command)[1:]
        if "--use-conda" in args or "--unlock" in args:
            continue  # conda is not installed here; --unlock has nothing to unlock
        # docs/engineering.md runs profiles/slurm with .venv's Snakemake, which has the plugin
        exe = SLURM_SNAKEMAKE if "profiles/slurm" in args else SNAKEMAKE
        p = snakemake(build, *args, "--dry-run", check=False, cores=False, exe=exe)
        assert p.returncode == 0, (command, p.stderr[-1500:])


def test_html_shows_computed_key_numbers(build):
    html = (build / "report/_output/paper.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    flow = pd.read_csv(build / "results/2021/flow.csv", keep_default_na=False).set_index("step")["n"]
    t1 = pd.read_csv(build / "results/2021/table1.csv").set_index("area")
    for n in (flow["read"], flow["valid_rankings"]):
        assert re.search(rf"\b{n}\b", text)
    for area in t1.index:
        assert fmt(t1.at[area, "mean"], 2) in text
    assert 'class="prov"' in html and "results/2021/table1.csv" in html
    assert "<img" in html and 'src="data:image/png;base64' in html  # self-contained
    assert re.search(r'href="#tbl-table1"[^>]*>Table&nbsp;2<', html) or 'href="#tbl-table1">Table' in html
    assert "reconstructed" in text.lower()


def test_pdf_is_a_pdf_with_pages(build):
    pdf = (build / "report/_output/paper.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_extension_results_written_with_documented_columns(build):
    doc = (build / "docs/results.md").read_text()
    for name in [
        "mr_intervals",
        "cochran",
        "mr_pairwise",
        "friedman",
        "posthoc",
        "threshold",
        "first_choice",
        "plackett_luce",
    ]:
        df = pd.read_csv(build / f"results/2021/inference/{name}.csv")
        row = next(line for line in doc.splitlines() if f"`inference/{name}.csv`" in line)
        for col in df.columns:
            assert f"`{col}`" in row, (name, col)
    f = pd.read_csv(build / "results/2021/inference/friedman.csv").iloc[0]
    assert f["df"] == 3 and f["n"] == 215 and f["p"] < 1e-3
    draws = json.loads((build / "results/config.effective.json").read_text())["sensitivity"]["draws"]
    s = pd.read_csv(build / "results/sensitivity/summary.csv", keep_default_na=False)
    assert (s["n_draws"] == draws).all()
    cov = pd.read_csv(build / "results/sensitivity/coverage.csv").set_index("item")
    assert cov.at["table1_matrix", "visited"] == min(draws, cov.at["table1_matrix", "attainable"])
    assert s.query("family == 'friedman'")["identical"].astype(str).eq("True").all()


def test_paper_shows_no_nan_or_none(build):
    import subprocess

    for doc in ("paper", "supplement"):
        html = (build / f"report/_output/{doc}.html").read_text(encoding="utf-8")
        assert not re.search(r">\s*(nan|NaN|None)\s*<", html)
        text = subprocess.run(
            ["pdftotext", str(build / f"report/_output/{doc}.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert not re.search(r"\b(nan|NaN)\b", text) and not re.search(r"^None$", text, re.M)
    rep = html[html.index('id="tbl-reproduction"') :]  # (the supplement's reproduction report)
    assert "\u2014" in rep[: rep.index("</table>")]  # the section 2.2 rows' empty "Reproduced" cells


def test_the_draws_table_says_what_the_bounds_say_of_every_conclusion(build):
    """Issue 38: no blank cell (a conclusion the exact bounds do not reach says so), the t test of
    the key-risk rule identified by the rank total and sum of squares, and the number of draws said
    once in the header instead of "n of N" in every row."""
    from analysis.paper.results import Results
    from analysis.paper.tables import sensitivity_table

    t = sensitivity_table(Results(build))
    n = int(pd.read_csv(build / "results/sensitivity/conclusions.csv")["n_draws"].iloc[0])
    col = "Over every consistent data set"
    assert list(t.columns) == ["Conclusion", f"Holds in (of {n:,} draws)", col]
    assert (t[col] != "").all() and "not bounded (the draws only)" in set(t[col])
    threshold = t[t["Conclusion"].str.contains("mean above the key-risk threshold")]
    assert threshold[col].tolist() == ["identified (rank total and sum of squares)"]
