"""The citable archive (`make archive`): a Workflow Run RO-Crate 0.5 of the whole build, checked
on the crate itself against the profile's MUST points (and those of Process Run Crate 0.5,
Workflow RO-Crate 1.0 and RO-Crate 1.1 it inherits), file for file against the paper's
provenance appendix, and rebuilt from its own contents byte for byte."""

import hashlib
import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from analysis.workflow.archive import PROCESS_RUN, WORKFLOW_RO_CRATE, WORKFLOW_RUN, flatten
from analysis.workflow.sources import source_files

from ..conftest import ROOT, built_copy, path_without_quarto, snakemake, with_quick_settings

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def archived(base_build, tmp_path_factory) -> Path:
    """`snakemake archive` in a copy of the article's clean build, with the tests' quick
    settings written into its config.yaml (the values the build was made with), so that the
    crate's own `make paper`, which reads config.yaml alone, rebuilds the same."""
    root = built_copy(base_build, tmp_path_factory.mktemp("archived") / "project")
    with_quick_settings(root / "config.yaml")
    snakemake(root, "archive", fast=False)
    return root


@pytest.fixture(scope="module")
def crate(archived) -> Path:
    (zipped,) = (archived / "results/archive").glob("microstore-risk-*.crate.zip")
    return zipped


@pytest.fixture(scope="module")
def graph(crate) -> dict:
    with zipfile.ZipFile(crate) as z:
        meta = json.loads(z.read("ro-crate-metadata.json"))
    return {e["@id"]: e for e in meta["@graph"]}


def ids(value) -> list[str]:
    return [v["@id"] for v in (value if isinstance(value, list) else [value])]


def types(entity) -> set[str]:
    t = entity["@type"]
    return set(t if isinstance(t, list) else [t])


def test_name_is_the_projects_version(crate):
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert crate.name == f"microstore-risk-{version}.crate.zip"
    assert f"unzip -q ../{crate.name}" in (ROOT / "docs/archive.md").read_text()  # the commands, as printed


def test_crate_meets_the_workflow_run_crate_requirements(graph):
    """The MUST points, one by one (profiles' tables of requirements)."""
    desc = graph["ro-crate-metadata.json"]  # RO-Crate 1.1: the metadata descriptor
    assert "https://w3id.org/ro/crate/1.1" in ids(desc["conformsTo"]) and ids(desc["about"]) == ["./"]
    root = graph["./"]  # the root data entity
    assert "Dataset" in types(root) and all(root.get(k) for k in ("name", "description", "datePublished"))
    assert graph[ids(root["license"])[0]]["identifier"] == "MIT"
    for profile in (PROCESS_RUN, WORKFLOW_RUN, WORKFLOW_RO_CRATE):  # MUST reference a CreativeWork with the permalink
        assert profile in ids(root["conformsTo"]) and "CreativeWork" in types(graph[profile])
    (main,) = ids(root["mainEntity"])  # Workflow RO-Crate: the main workflow
    assert main == "Snakefile" and types(graph[main]) >= {"File", "SoftwareSourceCode", "ComputationalWorkflow"}
    lang = graph[ids(graph[main]["programmingLanguage"])[0]]
    assert lang["name"] == "Snakemake" and "ComputerLanguage" in types(lang) and lang["version"]
    actions = [e for e in graph.values() if "CreateAction" in types(e)]
    runs = [a for a in actions if ids(a["instrument"]) == [main]]  # the workflow's execution
    assert len(runs) == 1 and runs[0]["@id"] in ids(root["mentions"])
    assert runs[0]["endTime"] >= runs[0]["startTime"] and runs[0]["object"] and runs[0]["result"]
    for a in actions:  # Process Run Crate: every action names an instrument of a software type
        assert types(graph[ids(a["instrument"])[0]]) & {
            "SoftwareApplication",
            "SoftwareSourceCode",
            "ComputationalWorkflow",
        }
    for p in ids(graph[main]["input"]) + ids(graph[main]["output"]):  # FormalParameters with additionalType
        assert types(graph[p]) == {"FormalParameter"} and graph[p]["additionalType"] and graph[p]["name"]
    for e in graph.values():  # every reference resolves
        for v in e.values():
            for r in v if isinstance(v, list) else [v]:
                if isinstance(r, dict) and "@id" in r and not r["@id"].startswith("http"):
                    assert r["@id"] in graph, (e["@id"], r["@id"])


def test_every_file_is_in_the_crate_with_its_sha256(crate, graph, archived):
    """Every source file, data file, results file and the paper is in the zip, listed from the
    root, its SHA-256 that of the bytes archived; nothing else is in the zip."""
    with zipfile.ZipFile(crate) as z:
        digests = {n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if not n.endswith("/")}
    files = {i: e for i, e in graph.items() if "File" in types(e)}
    assert set(files) == set(digests) - {"ro-crate-metadata.json"}
    assert set(ids(graph["./"]["hasPart"])) == {*files, "data/raw/2021/"}  # (the reconstructed data set)
    assert all(e["sha256"] == digests[i] for i, e in files.items())
    assert set(source_files(archived)) < set(files)
    run = graph["#build"]
    assert {
        "report/_output/paper.html",
        "report/_output/paper.pdf",
        "report/_output/supplement.html",
        "report/_output/supplement.pdf",
        "results/reproduction.csv",
    } <= set(ids(run["result"]))
    assert set(ids(run["result"])) == {f for f in files if f.startswith(("results/", "report/_output/"))}
    built = {p.relative_to(archived).as_posix() for p in (archived / "results").rglob("*") if p.is_file()}
    assert {
        f
        for f in built
        if not f.startswith(("results/logs/", "results/benchmarks/", "results/provenance/", "results/archive/"))
    } == {f for f in files if f.startswith("results/")}


def test_each_results_file_names_the_rule_the_paper_names(graph, archived):
    """The paper's provenance appendix and the crate agree file for file: each file the paper
    rests on is the result of one job whose rule is the one the appendix gives, and the job read
    what the provenance record says."""
    from analysis.paper.results import Results
    from analysis.paper.tables import provenance_table

    R = Results(archived)
    table = provenance_table(R, R.build_files)
    jobs = {
        f: e for e in graph.values() if "CreateAction" in types(e) and e["@id"] != "#build" for f in ids(e["result"])
    }
    assert len(table) >= 40
    for f, rule in zip(table["File"], table["Rule"]):
        assert ids(jobs[f]["instrument"]) == [f"#rule-{rule}"], f
        rec = R.provenance[f]
        assert set(ids(jobs[f]["object"])) == {*rec["inputs"], *rec["code"]}, f
        assert graph[f]["sha256"] == rec["outputs"][f]


def test_configuration_values_are_the_workflows_parameters(graph, archived):
    """Every value of the build's configuration is a PropertyValue of the run that realizes a
    FormalParameter of the workflow (typed); the data files realize File parameters."""
    config = json.loads((archived / "results/config.effective.json").read_text())
    inputs = set(ids(graph["Snakefile"]["input"]))
    objects = set(ids(graph["#build"]["object"]))
    data = {config["codebook"], config["countermeasures"], config["published"], "data/raw/2021/responses.csv"}
    for key, value in flatten(config).items():
        if value in data:
            fp = graph[ids(graph[value]["exampleOfWork"])[0]]
            assert value in objects and fp["additionalType"] == "File" and fp["@id"] in inputs
            continue
        pv = graph[f"#value-{key}"]
        assert pv["@id"] in objects and pv["value"] == value, key
        fp = graph[ids(pv["exampleOfWork"])[0]]
        assert fp["@id"] in inputs and fp["name"] == key
    assert graph["#param-inference.seed"]["additionalType"] == "Integer"


def test_crate_cites_the_article_and_says_the_data_are_reconstructed(graph):
    root = graph["./"]
    article = graph[ids(root["citation"])[0]]
    assert article["@id"] == "https://doi.org/10.4018/JOEUC.20210901.oa5" and "ScholarlyArticle" in types(article)
    assert ids(article["license"]) == ["https://creativecommons.org/licenses/by/4.0/"]
    data = graph["data/raw/2021/"]
    notice = graph[ids(data["additionalProperty"])[0]]
    assert notice["name"] == "reconstruction notice" and notice["value"].startswith("RECONSTRUCTED")
    assert "RECONSTRUCTED" in root["description"]
    versions = {graph[i]["name"]: graph[i]["softwareVersion"] for i in ids(graph["Snakefile"]["softwareRequirements"])}
    assert versions["pandas"] == "3.1.1" and versions["snakemake"] == "9.27.1" and versions["python"].startswith("3.11")


def test_rebuild_from_the_crate_alone_is_byte_identical(crate, tmp_path):
    """The commands of docs/archive.md in the unpacked crate (an empty folder; the project's installed
    environment linked in, as `make install` would create it) give every results file and the
    paper byte for byte as archived: a second clean build, in another folder, is the first's."""
    with zipfile.ZipFile(crate) as z:
        z.extractall(tmp_path)
        archived = {
            n: z.read(n) for n in z.namelist() if n.startswith(("results/", "report/_output/")) and not n.endswith("/")
        }
    for n in archived:  # the crate's results removed: the rebuild makes them anew
        (tmp_path / n).unlink()
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    env = {**os.environ, "PATH": path_without_quarto()}
    p = subprocess.run(
        ["make", "-o", ".venv/.installed", "paper"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr[-3000:]
    rebuilt = {n: (tmp_path / n).read_bytes() for n in archived}
    assert [n for n in archived if rebuilt[n] != archived[n]] == []
