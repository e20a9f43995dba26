"""wave-init reads the data before its preset: the ranking's coding from the question text, one
column per area never read as the preset's one-cell ranking, an id from the file's folder or
date, and every decision printed with its evidence."""

import subprocess
import sys

import pytest

from analysis.survey import exports
from analysis.survey.raw_files import read_raw
from analysis.survey.simulate import simulate
from analysis.survey.waveinit import propose, suggested_id

from ..conftest import ROOT


@pytest.mark.parametrize(
    "path, wave",
    [
        ("data/raw/2026/export.csv", "2026"),
        ("data/raw/spring-26/x.xlsx", "spring-26"),
        ("incoming/export_2026-05-01.csv", "2026-05-01"),
        ("data/raw/问卷 2024.csv", "2024"),
        ("survey.csv", "survey"),
    ],
)
def test_the_id_comes_from_the_folder_or_a_date(path, wave):
    assert suggested_id(path) == wave


def test_qualtrics_question_text_settles_positions(codebook, tmp_path):
    """The README's simulated Qualtrics file ranks by positions and its question text says so."""
    path = tmp_path / "data/raw/2026/q.csv"
    path.parent.mkdir(parents=True)
    exp = exports.export(simulate(codebook, 30, 1, compact=False), codebook, "qualtrics")
    exports.write(exp, path)
    assert "(1 = most important, 4 = least)" in path.read_text(encoding="utf-8")
    p = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "wave-init", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr
    assert '  - id: "2026"\n' in p.stdout
    assert "ranking: \"positions\"  # the question text says '1 = most important'" in p.stdout
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


def _english(codebook, n=60, seed=2):
    """A simulated export with English question - option headers (analysis/survey/exports.py)."""
    raw = simulate(codebook, n, seed, compact=False)
    return raw, exports.export(raw, codebook, "one-blank")


def test_a_reworded_option_is_proposed_as_renamed_with_its_evidence(codebook, tmp_path):
    raw, e = _english(codebook)
    col = next(c for c in e.table.columns if c.endswith("- Fraud - paid but not shipped"))
    e.table = e.table.rename(
        columns={col: col.replace("Fraud - paid but not shipped", "Paid but never shipped (fraud)")}
    )
    exports.write(e, tmp_path / "w.csv")
    p = propose(read_raw(tmp_path / "w.csv", "csv", "utf-8"), codebook, "csv")
    assert p.revision == {"renamed_options": {"credit.fraud_not_shipped": "Paid but never shipped (fraud)"}}
    assert (
        p.entry["columns"][col.replace("Fraud - paid but not shipped", "Paid but never shipped (fraud)")]
        == "credit_fraud_not_shipped"
    )
    assert (
        "credit.fraud_not_shipped ('Fraud - paid but not shipped') renamed: its wording is like "
        "'Paid but never shipped (fraud)' 0.65" in p.comments["revision"]
    )


def test_an_option_asked_as_two_is_proposed_as_split_and_read_back(codebook, tmp_path):
    """The 'Commodity counterfeit' of docs/waves.md asked as brand-name and no-name goods: wave-init
    proposes both halves as added options and the split; the entry reads every questionnaire."""
    import json

    import numpy as np
    import pandas as pd

    from analysis.revision import revised
    from analysis.steps import clean as steps_clean

    raw, e = _english(codebook)
    t = e.table
    col = next(c for c in t.columns if c.endswith("- Commodity counterfeit"))
    half = np.random.default_rng(1).random(len(t)) < 0.5
    named = t[col].eq("1").to_numpy()
    i = t.columns.get_loc(col)
    t.insert(i + 1, col + " (brand-name goods)", np.where(named & half, "1", ""))
    t.insert(i + 2, col + " (no-name goods)", np.where(named & ~half, "1", ""))
    e.table = t.drop(columns=col)
    exports.write(e, tmp_path / "w.csv")
    p = propose(read_raw(tmp_path / "w.csv", "csv", "utf-8"), codebook, "csv")
    ids = ["commodity_counterfeit_brand_name_goods", "commodity_counterfeit_no_name_goods"]
    assert p.revision["split_options"] == {"credit.counterfeit": ids} and "dropped_options" not in p.revision
    assert [o["id"] for o in p.revision["added_options"]] == ids
    book = revised(codebook, p.revision)
    (tmp_path / "codebook.yaml").write_text(json.dumps(book.to_dict()))
    (tmp_path / "layout.json").write_text(json.dumps({k: v for k, v in p.entry.items() if k != "revision"}))
    status = steps_clean.main(
        [
            "--raw",
            str(tmp_path / "w.csv"),
            "--codebook",
            str(tmp_path / "codebook.yaml"),
            "--wave",
            str(tmp_path / "layout.json"),
            "--responses",
            str(tmp_path / "r.csv"),
            "--exclusions",
            str(tmp_path / "e.csv"),
            "--flow",
            str(tmp_path / "f.csv"),
        ]
    )
    assert status == 0
    r = pd.read_csv(tmp_path / "r.csv")
    assert len(r) + len(pd.read_csv(tmp_path / "e.csv").query("scope == 'questionnaire'")) == len(raw)
    either = r[[f"credit_{x}" for x in ids]].max(axis=1).to_numpy()
    assert np.array_equal(either, raw["credit_counterfeit"].astype(int).to_numpy()[: len(r)])


def test_a_ranking_text_that_states_both_codings_is_undecidable(codebook, tmp_path):
    exp = exports.export(simulate(codebook, 30, 1, compact=False), codebook, "qualtrics")
    exp.header[0] = [
        t.replace("(1 = most important, 4 = least)", "(4 = most important; 1 = most important)") for t in exp.header[0]
    ]
    exports.write(exp, tmp_path / "q.csv")
    p = propose(read_raw(tmp_path / "q.csv", "csv", "utf-8"), codebook, "csv")
    assert p.unsettled == [
        "the ranking's coding: the question texts say both '4 = most important' and '1 = most important' (`ranking:`)"
    ]
    assert p.comments["ranking"].startswith("the question texts say both")


def test_wenjuanxing_headers_in_its_own_wording_map_by_position(codebook, tmp_path):
    """问卷星 downloads as it writes them: leading columns 序号, 提交答卷时间, 所用时间, 来源, 来源详情,
    来自IP; options under the questionnaire's real wording ("4、问题—选项", "4、问题(选项)") or
    by option only ("4、(选项)"); demographics as numbered answers. wave-init maps every column
    (by position where the wording differs, said as unsettled), proposes the demographics' recode,
    and the entry reads the same questionnaires as the codebook's own headers."""
    import json

    import pandas as pd

    from analysis.steps import clean as steps_clean

    raw = simulate(codebook, 40, 3, attributes=True, compact=False)
    e = exports.export(raw, codebook, "wenjuanxing")
    assert list(e.table.columns[:6]) == ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
    real = {
        "1": "您在微店购物时遇到过哪些信用问题？",
        "2": "您认为微店的推广方式有哪些问题？",
        "3": "您遇到过哪些物流问题？",
        "4": "您遇到过哪些客服问题？",
        "5": "请按重要性排序",
    }
    names = {}
    for c in e.table.columns:
        num, rest = (c.split("、", 1) + [""])[:2] if "、" in c else (None, None)
        if num in ("1", "5"):  # option only
            names[c] = f"{num}、({rest.rsplit('(', 1)[1]}"
        elif num in ("2", "4"):  # question text — option
            names[c] = f"{num}、{real[num]}—{rest.rsplit('(', 1)[1].rstrip(')')}x"
        elif num == "3":  # question text (option), options reworded
            names[c] = f"{num}、{real[num]}(选项{e.table.columns.get_loc(c)})"
    e.table = e.table.rename(columns=names)
    e.entry["columns"] = {names.get(k, k): v for k, v in e.entry["columns"].items()}  # (what the user would write)
    path = tmp_path / "wjx" / "export.xlsx"
    exports.write(e, path)
    p = propose(read_raw(path, "xlsx", "utf-8"), codebook, "xlsx")
    assert p.unplaced == [] and p.missing == [] and "revision" not in p.entry
    assert p.entry["recode"] == e.entry["recode"]
    assert p.comments["columns"].startswith("by position where the wording differs: question 1 of the file as credit")
    assert any(u.startswith("the columns matched by position") for u in p.unsettled)
    entry = {k: v for k, v in p.entry.items()}
    out = {}
    for name, ent in (("proposed", entry), ("export", e.entry)):
        (tmp_path / f"{name}.json").write_text(json.dumps(ent, ensure_ascii=False))
        status = steps_clean.main(
            [
                "--raw",
                str(path),
                "--codebook",
                str(ROOT / "data/codebook.yaml"),
                "--wave",
                str(tmp_path / f"{name}.json"),
                "--responses",
                str(tmp_path / f"{name}.csv"),
                "--exclusions",
                str(tmp_path / f"{name}-e.csv"),
                "--flow",
                str(tmp_path / f"{name}-f.csv"),
            ]
        )
        assert status == 0
        out[name] = pd.read_csv(tmp_path / f"{name}.csv", dtype=str)
    assert len(out["proposed"]) == 40
    pd.testing.assert_frame_equal(out["proposed"], out["export"])
    assert set(out["proposed"]["group"]) <= {"student", "working"}


def test_spss_variable_labels_are_the_question_text_and_value_labels_go_per_variable(codebook, tmp_path):
    """An SPSS file whose variables are named Q1_1 ... with the question text in their variable
    labels, 0/1 options labelled Not selected/Selected and a demographic coded 1-3 with value
    labels: wave-init maps every variable by its label and proposes value labels for the
    demographic only; the entry reads every questionnaire. Value labels for every variable make
    the options labels: one message says so."""
    import json

    import numpy as np
    import pandas as pd
    import pyreadstat

    from analysis import cli
    from analysis.steps import clean as steps_clean

    raw = simulate(codebook, 30, 4, attributes=True, compact=False).drop(columns=["group", "age_band"])
    e = exports.export(raw, codebook, "one-blank")  # English question - option texts, as variable labels
    texts = dict(zip(raw.columns, e.table.columns))
    names = {
        c: ("ID" if c == "respondent_id" else "SEX" if c == "gender" else f"Q{i}") for i, c in enumerate(raw.columns)
    }
    num = raw.drop(columns="gender").apply(pd.to_numeric).rename(columns=names)
    sex = {"female": 1, "male": 2, "other": 3}
    num["SEX"] = raw["gender"].map(sex).astype(float)
    opts = [names[c] for c in raw.columns if c.split("_")[0] in ("credit", "promotion", "logistics", "customer")]
    labels = {**{o: {0: "Not selected", 1: "Selected"} for o in opts}, "SEX": {v: k for k, v in sex.items()}}
    path = tmp_path / "spss" / "survey.sav"
    path.parent.mkdir()
    pyreadstat.write_sav(
        num,
        str(path),
        variable_value_labels=labels,
        column_labels=[texts[c] if c != "gender" else "Gender" for c in raw.columns if c != "gender"] + ["Gender"],
    )
    p = propose(read_raw(path, "sav"), codebook, "sav")
    assert p.unplaced == [] and p.missing == [] and p.entry["value_labels"] == ["SEX"]
    assert (
        p.entry["columns"]["SEX"] == "gender"
        and p.entry["columns"][names["credit_counterfeit"]] == "credit_counterfeit"
    )
    (tmp_path / "layout.json").write_text(json.dumps(p.entry))
    status = steps_clean.main(
        [
            "--raw",
            str(path),
            "--codebook",
            str(ROOT / "data/codebook.yaml"),
            "--wave",
            str(tmp_path / "layout.json"),
            "--responses",
            str(tmp_path / "r.csv"),
            "--exclusions",
            str(tmp_path / "e.csv"),
            "--flow",
            str(tmp_path / "f.csv"),
        ]
    )
    assert status == 0
    got = pd.read_csv(tmp_path / "r.csv", dtype=str)
    assert len(got) == 30 and got["gender"].tolist() == raw["gender"].tolist()
    assert np.array_equal(got["credit_counterfeit"].astype(int), raw["credit_counterfeit"].astype(int))
    (tmp_path / "all.json").write_text(json.dumps({**p.entry, "value_labels": True}))
    from ..support.steps import clean

    p = clean(path, tmp_path / "w2", "--wave", str(tmp_path / "all.json"))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert (
        "its cells hold 'Not selected'" in p.stderr and "list only the demographics under `value_labels:`" in p.stderr
    )
    assert cli.main(["wave-init", str(path)]) == 0


def test_a_reworded_five_area_ranking_is_recognised_by_its_structure(codebook, tmp_path):
    """Qualtrics, "Rank the five risk areas by importance (1 = most important)" with a fifth area:
    the five columns hold a permutation of 1..5 per respondent, so they are the ranking (the four
    known areas by their words, the fifth added), never options of the multiple-response questions."""
    import numpy as np

    exp = exports.export(simulate(codebook, 50, 6, id_prefix="R_", compact=False), codebook, "qualtrics")
    t, h = exp.table.copy(), [list(r) for r in exp.header]
    rng = np.random.default_rng(2)
    pos = np.array([rng.permutation(5) + 1 for _ in range(len(t))])
    for j in range(5):
        t[f"Q5_{j + 1}"] = pos[:, j].astype(str)
    h[0] = [
        x.replace(
            "Rank the four risk areas by importance (1 = most important, 4 = least)",
            "Rank the five risk areas by importance (1 = most important)",
        )
        for x in h[0]
    ]
    h[0].append("Rank the five risk areas by importance (1 = most important) - Platform risks")
    h[1].append('{"ImportId": "QID5_5"}')
    exports.write(exports.Export(t, h, exp.entry, exp.shape), tmp_path / "q.csv")
    p = propose(read_raw(tmp_path / "q.csv", "csv", "utf-8"), codebook, "csv")
    assert p.revision == {"added_areas": [{"id": "platform_risks", "label": "Platform risks"}]}
    assert p.missing == [] and p.unplaced == []
    cols = p.entry["columns"]
    assert [cols[f"Q5_{j}"] for j in range(1, 6)] == [
        "rank_credit",
        "rank_promotion",
        "rank_logistics",
        "rank_customer_service",
        "rank_platform_risks",
    ]
    assert p.entry["ranking"] == "positions"
    assert p.comments["ranking"].startswith("5 columns holding a permutation of 1..5 per respondent")


def test_partial_rankings_are_reported(codebook, tmp_path):
    """40 % of a Qualtrics wave ranked only their top two areas: wave-init says how many."""
    exp = exports.export(simulate(codebook, 50, 6, id_prefix="R_", compact=False), codebook, "qualtrics")
    t = exp.table
    cols = [f"Q5_{j}" for j in range(1, 5)]
    for i in range(20):
        for c in cols:
            if t.at[i, c] not in ("1", "2"):
                t.at[i, c] = ""
    exports.write(exp, tmp_path / "q.csv")
    p = propose(read_raw(tmp_path / "q.csv", "csv", "utf-8"), codebook, "csv")
    assert p.entry["ranking"] == "positions" and p.entry["partial_rankings"] is True
    assert p.comments["partial_rankings"].startswith("20 respondent(s) ranked only their top areas")


def test_a_positive_numeric_column_named_like_a_weight_is_proposed_as_weights(codebook, tmp_path):
    """A panel provider's file with its weight, stratum and cluster columns (issue 39): the weight is
    proposed with its evidence; a text column named like a weight and the design's other columns
    are left for the user (ignored, said)."""
    raw = simulate(codebook, 40, 2, design={"strata": 2, "clusters": 3})
    raw = raw.rename(columns={"weight": "Wt_Final", "stratum": "STRATUM", "psu": "PSU"})
    raw["weight_note"] = "post-stratified"
    raw.to_csv(tmp_path / "panel.csv", index=False)
    p = propose(read_raw(tmp_path / "panel.csv", "csv", "utf-8"), codebook, "csv")
    assert p.entry["weights"] == "Wt_Final"
    assert p.comments["weights"].startswith("detected: a numeric column named like a weight, positive in every row")
    assert p.entry["ignore"] == ["STRATUM", "PSU", "weight_note"]


def test_a_weight_column_with_a_zero_is_not_proposed(codebook, tmp_path):
    raw = simulate(codebook, 20, 2, design={"strata": 1, "clusters": 2})
    raw.loc[3, "weight"] = "0"
    raw.to_csv(tmp_path / "panel.csv", index=False)
    p = propose(read_raw(tmp_path / "panel.csv", "csv", "utf-8"), codebook, "csv")
    assert "weights" not in p.entry and "weight" in p.entry["ignore"]
