"""Every per-wave command at the edge sizes: 0, 1 and 2 questionnaires, and a wave whose every
ranking is invalid. Small waves either run or stop with one clear message; never a traceback.

Policy (docs/waves.md): a file with no questionnaire, or whose questions were
never answered, stops in ``clean`` naming the file; a wave with fewer than two valid rankings
stops in rule ``statistics`` (and in each single-statistic command) with one message giving
the questionnaires read, the exclusions per reason and the path of its exclusions.csv; from two
valid rankings on, every rule runs.
"""

import re

import pandas as pd
import pytest

from analysis.survey.simulate import simulate

from ..support.steps import revised_wave, statistics_command, step, wave

CODEBOOK = "data/codebook.yaml"


@pytest.mark.build
def test_build_with_a_wave_of_only_invalid_rankings_stops_with_the_message(base_build, codebook, tmp_path):
    import shutil

    from ..conftest import snakemake

    root = tmp_path / "project"
    shutil.copytree(base_build, root, symlinks=True)
    raw = simulate(codebook, 4, 3, None, None, 9001, False, 0.0)
    raw[codebook.areas["column"].tolist()] = ""
    (root / "incoming").mkdir()
    raw.to_csv(root / "incoming/small.csv", index=False)
    config = (root / "config.yaml").read_text() + '  - {id: "small", path: incoming/small.csv}\n'
    (root / "extra.yaml").write_text(config[config.index("waves:") :])
    p = snakemake(root, "--configfile", "extra.yaml", check=False)  # every ranking blank: a mass exclusion
    out = p.stdout + p.stderr
    assert p.returncode != 0 and "Traceback" not in out
    assert (
        "error: incoming/small.csv: wave 'small': 4 of 4 questionnaires' rankings (100%) excluded as blank. "
        "More than half of a wave excluded for one reason usually means"
    ) in out
    assert "`acknowledge_exclusions: [blank]` in the wave's entry" in out
    config = config.replace("path: incoming/small.csv}", "path: incoming/small.csv, acknowledge_exclusions: [blank]}")
    (root / "extra.yaml").write_text(config[config.index("waves:") :])
    p = snakemake(root, "--configfile", "extra.yaml", check=False)  # acknowledged: the statistics say why they stop
    out = p.stdout + p.stderr
    assert p.returncode != 0 and "Traceback" not in out
    assert (
        "warning: incoming/small.csv: wave 'small': 4 of 4 questionnaires' rankings (100%) excluded as blank "
        "(acknowledged in config.yaml)" in out
    )
    assert (
        "error: results/small: wave 'small' has 0 valid rankings, fewer than the 2 its ranking statistics need "
        "(4 questionnaires read; excluded: blank 4); every exclusion is listed in results/small/exclusions.csv"
    ) in out
    assert len(pd.read_csv(root / "results/small/exclusions.csv")) == 4


@pytest.mark.build
def test_build_with_a_wave_of_two_questionnaires_gives_a_paper_without_nan(panel_build):
    """A wave of two questionnaires among others (tests/conftest.py, panel_build)."""
    root = panel_build
    html = (root / "report/_output/paper.html").read_text(encoding="utf-8")
    assert "Changes across waves" in html
    assert not re.search(r">\s*(nan|NaN|None|inf)\s*<", html)
    assert not [p for p in (root / "results/logs").rglob("*.log") if "Traceback" in p.read_text(errors="replace")]


def outputs(w) -> dict:
    return {
        f.relative_to(w).as_posix(): f.read_bytes()
        for f in sorted(w.rglob("*.csv"))
        if f.name not in ("responses.csv", "exclusions.csv", "flow.csv")
    }


def test_empty_wave_stops_in_clean_naming_the_file(codebook, tmp_path):
    _, p = wave(codebook, tmp_path, 0, 0)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.strip() == f"error: {tmp_path / 'raw.csv'}: header only: the file has no questionnaires"


@pytest.mark.parametrize("n, valid", [(1, 0), (1, 1), (2, 0), (2, 1), (5, 0)])
def test_fewer_than_two_valid_rankings_stop_with_one_message(codebook, tmp_path, n, valid):
    w, p = wave(codebook, tmp_path, n, valid)
    assert p.returncode == 0, p.stderr
    flow = pd.read_csv(w / "flow.csv", keep_default_na=False).set_index("step")["n"]
    assert int(flow["read"]) == n and int(flow["valid_rankings"]) == valid
    blank = n - valid
    for name, args in [("statistics", statistics_command(w))]:
        q = step("statistics", *args)
        assert q.returncode == 2 and "Traceback" not in q.stderr, (name, q.stderr)
        assert q.stderr.strip() == (
            f"error: {w.as_posix()}: wave 'w' has {valid} valid ranking{'' if valid == 1 else 's'}, fewer than the 2 "
            f"its ranking statistics need ({n} questionnaire{'' if n == 1 else 's'} read; excluded: "
            f"{'blank ' + str(blank) if blank else 'none'}); every exclusion is listed in {w.as_posix()}/exclusions.csv"
        )


def test_two_valid_rankings_run_every_command(codebook, tmp_path):
    w, p = wave(codebook, tmp_path, 2, 2)
    assert p.returncode == 0, p.stderr
    q = step("statistics", *statistics_command(w, "all"))
    assert q.returncode == 0 and "Traceback" not in q.stderr, q.stderr[-2000:]
    t1 = pd.read_csv(w / "all/table1.csv")
    assert (t1["n"] == 2).all() and t1["mean"].sum() == pytest.approx(10)  # 4+3+2+1 points per respondent
    assert len(outputs(w / "all")) == 18


@pytest.mark.parametrize("n", [2, 300])
def test_options_at_0_and_100_percent_through_every_statistic_and_figure(codebook, tmp_path, n):
    """Every respondent names each question's first option and nobody names the others: every
    per-wave statistic and figure runs (an interval's end a rounding error inside 100 % once made
    a negative whisker) and the shares are exactly 100 and 0."""
    from analysis.paper.figurespec import FIGURE_INPUTS

    w, p = wave(codebook, tmp_path, n, n)
    assert p.returncode == 0, p.stderr
    q = step("statistics", *statistics_command(w, ""))
    assert q.returncode == 0 and "Traceback" not in q.stderr, q.stderr[-2000:]
    mr = pd.read_csv(w / "inference/mr_intervals.csv")
    first = {q_["options"][0]["id"] for q_ in codebook.question_items}
    assert set(mr.loc[mr["pct_cases"] == 100, "option"]) == first and (mr["pct_cases"].isin([0, 100])).all()
    args = [
        x
        for name, files in FIGURE_INPUTS.items()
        for x in ("--figure", name, str(w / f"{name}.png"), *[f.replace("results/{wave}", str(w)) for f in files])
    ]
    q = step("figures", *args, "--codebook", CODEBOOK)
    assert q.returncode == 0 and "Traceback" not in q.stderr, q.stderr[-2000:]
    assert all((w / f"{name}.png").stat().st_size > 1000 for name in FIGURE_INPUTS)


def test_text_ids_are_kept_as_written(codebook, tmp_path):
    raw = simulate(codebook, 3, 1, None, None, 1, False, 0.0)
    raw["respondent_id"] = ["W2-0001", "0042", "R_3kT9xQ"]
    raw.to_csv(tmp_path / "raw.csv", index=False)
    p = step(
        "clean",
        "--raw",
        str(tmp_path / "raw.csv"),
        "--codebook",
        CODEBOOK,
        "--responses",
        str(tmp_path / "r.csv"),
        "--exclusions",
        str(tmp_path / "e.csv"),
        "--flow",
        str(tmp_path / "f.csv"),
    )
    assert p.returncode == 0, p.stderr
    ids = pd.read_csv(tmp_path / "r.csv", dtype={"respondent_id": str})["respondent_id"].tolist()
    assert ids == ["W2-0001", "0042", "R_3kT9xQ"]
    assert pd.read_csv(tmp_path / "e.csv").empty


def test_every_per_wave_command_takes_text_ids(codebook, tmp_path):
    """Platform ids (text) go through every per-wave statistic, with the same results as the
    same wave with integer ids."""
    raw = simulate(codebook, 40, 3, None, None, 1, False, 0.0)
    results = {}
    for kind, ids in {"int": [str(i) for i in range(1, 41)], "text": [f"R_{i:03d}x" for i in range(40)]}.items():
        w = tmp_path / kind
        w.mkdir()
        raw.assign(respondent_id=ids).to_csv(tmp_path / f"{kind}.csv", index=False)
        p = step(
            "clean",
            "--raw",
            str(tmp_path / f"{kind}.csv"),
            "--codebook",
            CODEBOOK,
            "--responses",
            str(w / "responses.csv"),
            "--exclusions",
            str(w / "exclusions.csv"),
            "--flow",
            str(w / "flow.csv"),
        )
        assert p.returncode == 0, p.stderr
        p = step("statistics", *statistics_command(w, ""))  # into w itself, where compare reads a wave's results
        assert p.returncode == 0 and "Traceback" not in p.stderr, (kind, p.stderr)
        results[kind] = outputs(w)
    assert results["int"] == results["text"] and len(results["int"]) == 18
    files = {
        k: ",".join(str(tmp_path / w / f) for w in ("int", "text"))
        for k, f in [
            ("responses", "responses.csv"),
            ("risks", "countermeasures/risks.csv"),
            ("table1", "table1.csv"),
            ("friedman", "inference/friedman.csv"),
        ]
    }
    p = step(
        "compare",
        "--waves",
        "int,text",
        "--wave-responses",
        files["responses"],
        "--wave-risks",
        files["risks"],
        "--wave-table1",
        files["table1"],
        "--wave-friedman",
        files["friedman"],
        "--wave-codebooks",
        f"{CODEBOOK},{CODEBOOK}",
        "--bootstrap",
        "50",
        "--seed",
        "1",
        "--outdir",
        str(tmp_path / "waves"),
        "--codebook",
        str(tmp_path / "waves/codebook.yaml"),
    )
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    changes = pd.read_csv(tmp_path / "waves/ranking_changes.csv")
    assert len(changes) == 4 and (changes["diff"] == 0).all()  # the same answers under other ids


@pytest.mark.parametrize("n, invalid, attributes", [(40, 0.0, True), (300, 0.2, True), (300, 0.2, False)])
def test_statistics_read_by_arrow_equal_those_read_by_pandas(codebook, tmp_path, monkeypatch, n, invalid, attributes):
    """`statistics` reads the cleaned responses' Arrow twin (`io.read_typed_arrow`, as the
    rule runs it) or their CSV with Arrow's typed reader (`io.read_typed_csv`): its files are
    byte for byte those from pandas' reader of the CSV's columns, with and without invalid
    rankings (score columns with and without empty cells) and attribute columns."""
    from analysis import io
    from analysis.steps.clean import main as clean
    from analysis.steps.statistics import main

    raw = simulate(codebook, n, 5, None, None, 1, attributes, invalid)
    raw.to_csv(tmp_path / "raw.csv", index=False)
    assert clean(
        [
            "--raw",
            str(tmp_path / "raw.csv"),
            "--codebook",
            CODEBOOK,
            "--responses",
            str(tmp_path / "responses.csv"),
            "--responses-arrow",
            str(tmp_path / "responses.arrow"),
            "--exclusions",
            str(tmp_path / "exclusions.csv"),
            "--flow",
            str(tmp_path / "flow.csv"),
        ]
    ) in (0, None)
    read = {"csv": [], "arrow": []}
    csv_reader, arrow_reader = io.read_typed_csv, io.read_typed_arrow
    monkeypatch.setattr(io, "read_typed_csv", lambda p, k: read["csv"].append(csv_reader(p, k)) or read["csv"][-1])
    monkeypatch.setattr(
        io, "read_typed_arrow", lambda p, k: read["arrow"].append(arrow_reader(p, k)) or read["arrow"][-1]
    )
    assert main(statistics_command(tmp_path, "twin", "responses.arrow")) in (0, None)
    assert main(statistics_command(tmp_path, "arrow")) in (0, None)
    assert len(read["csv"]) == len(read["arrow"]) == 1  # each reader used once
    assert set(read["csv"][0].dtypes.astype(str)) >= {"int8", "bool"}
    narrow = {c: "int8" for c in codebook.options["column"]}
    monkeypatch.setattr(
        io,
        "read_typed_csv",
        lambda p, k: pd.read_csv(p, usecols=k.__contains__, dtype=narrow, keep_default_na=False, na_values=[""]),
    )
    assert main(statistics_command(tmp_path, "pandas")) in (0, None)
    assert outputs(tmp_path / "arrow") == outputs(tmp_path / "pandas") == outputs(tmp_path / "twin")
    assert len(outputs(tmp_path / "arrow")) == 18


def test_all_identical_rankings_through_every_statistic_and_figure(codebook, tmp_path):
    """Every respondent gives the same ranking: the Plackett-Luce worths have no finite estimate
    (the likelihood grows without bound), so they are empty and flagged, never a diverged fit
    printed as an estimate; every statistic and figure runs."""
    from analysis.paper.figurespec import FIGURE_INPUTS

    raw = simulate(codebook, 60, 3, None, None, 1, False, 0.0)
    for a, s in zip(codebook.area_items, ["4", "3", "2", "1"]):
        raw[a["column"]] = s
    raw.to_csv(tmp_path / "raw.csv", index=False)
    w = tmp_path / "w"
    w.mkdir()
    p = step(
        "clean",
        "--raw",
        str(tmp_path / "raw.csv"),
        "--codebook",
        CODEBOOK,
        "--responses",
        str(w / "responses.csv"),
        "--exclusions",
        str(w / "exclusions.csv"),
        "--flow",
        str(w / "flow.csv"),
    )
    assert p.returncode == 0, p.stderr
    q = step("statistics", *statistics_command(w, ""))
    assert q.returncode == 0 and "Traceback" not in q.stderr, q.stderr[-2000:]
    pl = pd.read_csv(w / "inference/plackett_luce.csv")
    assert not pl["mle_exists"].any() and pl["worth"].isna().all() and pl["ci_low"].isna().all()
    t1 = pd.read_csv(w / "table1.csv")
    assert t1["mean"].tolist() == [4, 3, 2, 1] and (t1["sd"] == 0).all()
    args = [
        x
        for name, files in FIGURE_INPUTS.items()
        for x in ("--figure", name, str(w / f"{name}.png"), *[f.replace("results/{wave}", str(w)) for f in files])
    ]
    q = step("figures", *args, "--codebook", CODEBOOK)
    assert q.returncode == 0 and "Traceback" not in q.stderr, q.stderr[-2000:]


def test_a_question_of_one_option_through_every_statistic_and_figure(codebook, tmp_path):
    """A revised wave that asks credit risk as one option: Cochran's Q has nothing to compare
    (empty, df 0) and the question has no pairwise tests; every other statistic and every figure
    runs, the figure's panel as tall as its one option."""

    from analysis.paper.figurespec import FIGURE_INPUTS
    from analysis.revision import revised

    book = revised(
        codebook,
        {
            "dropped_options": [
                "credit.quality",
                "credit.fraud_not_shipped",
                "credit.no_after_sale_guarantee",
                "credit.other",
            ]
        },
    )
    w = revised_wave(book, simulate(book, 80, 3, attributes=True), tmp_path)
    cochran = pd.read_csv(w / "inference/cochran.csv").set_index("question")
    assert pd.isna(cochran.at["credit", "q"]) and cochran.at["credit", "df"] == 0 and cochran["q"].notna().sum() == 3
    assert "credit" not in set(pd.read_csv(w / "inference/mr_pairwise.csv")["question"])
    args = [
        x
        for name, files in FIGURE_INPUTS.items()
        for x in ("--figure", name, str(w / f"{name}.png"), *[f.replace("results/{wave}", str(w)) for f in files])
    ]
    q = step("figures", *args, "--codebook", str(tmp_path / "codebook.yaml"))
    assert q.returncode == 0 and "Traceback" not in q.stderr, q.stderr[-2000:]
