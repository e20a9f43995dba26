"""wave-init reads the data before its preset: the ranking's coding from the question text, one
column per area never read as the preset's one-cell ranking, an id from the file's folder or
date, and every decision printed with its evidence."""

import subprocess
import sys

import pytest

from analysis import exports
from analysis.io import read_raw, read_yaml
from analysis.simulate import simulate
from analysis.waveinit import propose, suggested_id

from .conftest import ROOT


@pytest.fixture(scope="module")
def codebook():
    return read_yaml(ROOT / "data/codebook.yaml")


@pytest.mark.parametrize("path, wave", [("data/raw/2026/export.csv", "2026"), ("data/raw/spring-26/x.xlsx", "spring-26"),
                                        ("incoming/export_2026-05-01.csv", "2026-05-01"),
                                        ("data/raw/问卷 2024.csv", "2024"), ("survey.csv", "survey")])
def test_the_id_comes_from_the_folder_or_a_date(path, wave):
    assert suggested_id(path) == wave


def test_qualtrics_question_text_settles_positions(codebook, tmp_path):
    """The README's simulated Qualtrics file ranks by positions and its question text says so."""
    path = tmp_path / "data/raw/2026/q.csv"
    path.parent.mkdir(parents=True)
    exp = exports.export(simulate(codebook, 30, 1, compact=False), codebook, "qualtrics")
    exports.write(exp, path)
    assert "(1 = most important, 4 = least)" in path.read_text(encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "analysis.cli", "wave-init", str(path)], cwd=ROOT, capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    assert '  - id: "2026"\n' in p.stdout
    assert 'ranking: "positions"  # the question text says \'1 = most important\'' in p.stdout
    assert "wave-init: ranking: positions (the question text says '1 = most important')" in p.stderr
    assert "cannot settle" not in p.stderr


def test_the_codebooks_note_settles_scores(codebook, tmp_path):
    exp = exports.export(simulate(codebook, 30, 1, compact=False), codebook, "qualtrics")
    text = exp.header[0]
    exp.header[0] = [t.replace("(1 = most important, 4 = least)", "(4 = most important, 1 = least)") for t in text]
    exports.write(exp, tmp_path / "q.csv")
    p = propose(read_raw(tmp_path / "q.csv", "csv", "utf-8"), codebook, "csv")
    assert p.entry["ranking"] == "scores" and p.comments["ranking"] == "the question text says '4 = most important'"


def test_position_columns_in_a_text_download_are_not_its_one_cell_ranking(codebook, tmp_path):
    """A 问卷星 text download (answers joined by ┋) whose ranking comes as one column per area."""
    raw = simulate(codebook, 30, 1, compact=False)
    exp = exports.export(raw, codebook, "wenjuanxing-text")
    table = exp.table.drop(columns=[c for c in exp.table.columns if "排序题" in c])
    positions = exports.export(raw, codebook, "wenjuanxing").table
    for c in positions.columns:
        if "按重要性" in c:
            table[c] = positions[c]
    exports.write(exports.Export(table, exp.header, exp.entry, exp.shape), tmp_path / "w.csv")
    p = propose(read_raw(tmp_path / "w.csv", "csv", "gb18030"), codebook, "csv")  # (问卷星 writes GB18030)
    assert p.entry["preset"] == "wenjuanxing-text" and p.entry["ranking"] == "positions"
    assert "one column of numbers per area, read as positions" in p.comments["ranking"]
    assert p.unsettled == ["whether the ranking's numbers are scores or positions (`ranking:`)"]
