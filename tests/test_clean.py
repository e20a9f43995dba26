import subprocess
import sys

import pandas as pd
import pytest

from analysis import codebook as cb
from analysis.clean import clean, flow, ranking_problem
from analysis.errors import InputError
from analysis.io import read_raw_csv

from .conftest import ROOT


@pytest.fixture(scope="module")
def raw(config):
    return read_raw_csv(ROOT / config["waves"][0]["path"])


def test_article_wave_cleans_to_215_valid_rankings_with_23_logged_exclusions(raw, codebook, config):
    responses, exclusions = clean(raw, codebook)
    assert len(raw) == 238 and len(responses) == 238
    assert int(responses["ranking_valid"].sum()) == 215
    assert len(exclusions) == 23
    assert exclusions["reason"].value_counts().to_dict() == config["reconstruction"]["invalid_rankings"]
    assert (exclusions["scope"] == "ranking").all() and exclusions["detail"].str.len().gt(0).all()
    f = flow(len(raw), exclusions).set_index(["step", "reason"])["n"]
    assert f[("read", "")] == 238 and f[("valid_rankings", "")] == 215


def _raw(codebook, rows):
    cols = cb.columns(codebook)
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols).astype(str)


def _row(codebook, rid, ranks, codes="0"):
    """A questionnaire: the first option of every question selected, the others ``codes``."""
    opts = cb.options(codebook)
    sel = ["1" if o == 0 else codes for o in opts["order"]]
    return [str(rid), *sel, *ranks]


def test_row_faults_are_excluded_with_reason_and_column(codebook):
    raw = _raw(codebook, [_row(codebook, 1, ["4", "3", "2", "1"]),
                          _row(codebook, 1, ["4", "3", "2", "1"]),        # duplicate id
                          _row(codebook, 3, ["4", "3", "2", "1"], "7"),   # code out of range
                          _row(codebook, 4, ["4", "4", "2", "1"]),        # tie
                          _row(codebook, 5, ["4", "", "2", "1"]),         # incomplete
                          _row(codebook, 6, ["", "", "", ""]),            # blank
                          _row(codebook, 7, ["4", "3", "2", "x"])])       # non-numeric
    responses, exc = clean(raw, codebook, "wave.csv")
    got = exc.set_index("row")[["scope", "reason", "column"]]
    assert got.loc[3].tolist() == ["questionnaire", "duplicate_id", "respondent_id"]
    assert got.loc[4].tolist() == ["questionnaire", "code_out_of_range", "credit_quality"]
    assert got.loc[5].tolist() == ["ranking", "tie", "rank_promotion"]
    assert got.loc[6].tolist() == ["ranking", "incomplete", "rank_promotion"]
    assert got.loc[7, "reason"] == "blank"
    assert got.loc[8].tolist() == ["ranking", "out_of_range", "rank_customer_service"]
    assert len(responses) == 5 and responses["ranking_valid"].sum() == 1


def test_file_faults_name_file_row_and_column(codebook):
    raw = _raw(codebook, [_row(codebook, 1, ["4", "3", "2", "1"])]).drop(columns=["rank_credit"])
    with pytest.raises(InputError, match=r"wave\.csv, row 1, column 'rank_credit': missing column"):
        clean(raw, codebook, "wave.csv")
    with pytest.raises(InputError, match="header only"):
        clean(_raw(codebook, []), codebook, "wave.csv")


def test_cli_reports_bad_file_without_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,foo\n1,2\n")
    p = subprocess.run([sys.executable, "-m", "analysis.cli", "clean", "--raw", str(bad),
                        "--codebook", str(ROOT / "data/codebook.yaml"), "--responses", str(tmp_path / "r.csv"),
                        "--exclusions", str(tmp_path / "e.csv"), "--flow", str(tmp_path / "f.csv")],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 2
    assert p.stderr.startswith(f"error: {bad}, row 1, column 'credit_counterfeit': missing column(s)")
    assert "Traceback" not in p.stderr and not (tmp_path / "r.csv").exists()


def test_ranking_problem_order(codebook):
    raw = _raw(codebook, [_row(codebook, 1, r) for r in
                          (["4", "3", "2", "1"], ["", "", "", ""], ["5", "", "2", "1"], ["4", "", "2", "1"], ["1", "1", "2", "3"])])
    assert ranking_problem(raw, codebook).tolist() == ["", "blank", "out_of_range", "incomplete", "tie"]


def test_ranking_faults_agree_with_the_rule_read_row_by_row():
    """The column-wise ranking check against the rule applied to each row as written (first
    reason that applies: blank, out_of_range, incomplete, tie), on random rows of allowed,
    empty and other cells, as text and as categoricals, with negative and wide scores too."""
    import random

    from analysis.clean import _ranking_faults, ranking_faults

    def by_row(row, allowed):
        if all(c == "" for c in row):
            return "blank"
        if any(c not in ("", *allowed) for c in row):
            return "out_of_range"
        if any(c == "" for c in row):
            return "incomplete"
        filled = [c for c in row if c != ""]
        return "tie" if len(set(filled)) < len(filled) else ""

    rnd = random.Random(5)
    for allowed in (["1", "2", "3", "4"], ["-1", "-2", "-3"], ["100", "200", "300", "400", "500"]):
        k = len(allowed)
        cells = allowed + ["", "", "0", "x", " 1", "-1" if "-1" not in allowed else "9"]
        rows = [[rnd.choice(cells) for _ in range(k)] for _ in range(3000)]
        frame = pd.DataFrame(rows, columns=[f"c{j}" for j in range(k)])
        want = [by_row(r, allowed) for r in rows]
        for form in (frame, frame.astype("category"), frame.astype("string")):
            got, values = _ranking_faults(form, allowed)
            assert got.tolist() == want
            assert ranking_faults(form, allowed).index.equals(form.index)
            expect = [[int(c) if c in allowed else 0 for c in r] for r in rows]
            assert values.tolist() == expect


def test_columnwise_checks_find_what_the_pandera_schema_finds(codebook):
    """The schema of record (pandera) and the column-wise checks clean() runs list the same
    questionnaire-scope failures, row for row, on the bad-input corpus and on random faults."""
    import random

    import pandera.pandas as pa

    from analysis.clean import QUESTIONNAIRE_CHECKS, failure_cases, raw_schema
    from analysis.io import read_raw_csv

    frames = [read_raw_csv(p) for p in sorted((ROOT / "tests/data/bad").glob("*.csv"))
              if p.name in {"bad_ids.csv", "code_out_of_range.csv", "duplicate_ids.csv", "attribute_out_of_range.csv",
                            "text_ids.csv", "gaps.csv", "ties.csv"}]
    base = read_raw_csv(ROOT / "data/raw/2021/responses.csv")
    rnd = random.Random(7)
    for _ in range(5):
        f = base.copy()
        for _ in range(12):
            i, c = rnd.randrange(len(f)), rnd.choice(list(f.columns))
            f.iat[i, f.columns.get_loc(c)] = rnd.choice(["", "2", "x", f.iat[0, 0], "-1"])
        frames.append(f)
    for raw in frames:
        try:
            raw_schema(codebook).validate(raw, lazy=True)
            want = pd.DataFrame(columns=["column", "check", "index"])
        except pa.errors.SchemaErrors as err:
            want = err.failure_cases
            want = want[want["check"].isin(QUESTIONNAIRE_CHECKS) & want["index"].notna()]
        got = failure_cases(raw, codebook)
        pd.testing.assert_frame_equal(
            got[["column", "check", "index"]].astype({"index": "int64"}).reset_index(drop=True),
            want[["column", "check", "index"]].astype({"column": object, "check": object, "index": "int64"})
            .reset_index(drop=True), check_dtype=False)
        # the same frame as categoricals (how analysis.io reads a wave in the codebook's coding)
        pd.testing.assert_frame_equal(failure_cases(raw.astype("category"), codebook), got)


# ---------------------------------------------------------------- the coded wave's fast read (issue 11)
FAULTS = ["", "2", "x", "01", " 1", "1 ", '"1"', "NA", "-1", "0x1", "12", "+1", "1.0", "200", "-0"]


@pytest.mark.parametrize("seed", range(3))
def test_a_coded_wave_cleans_the_same_whichever_reader_reads_it(tmp_path, seed, codebook):
    """`clean` of a wave in the codebook's coding: Arrow's typed read (codes as int8, every
    integer turned back into its text, used only when the file is exactly the text of its
    values), the dictionary read and pandas' general reader give the same three files, byte for
    byte, on waves of 5,000 questionnaires (enough for the packed duplicate-id check) with
    cells that parse as integers but are not written as Python writes them, quoted cells,
    repeated and empty ids and CRLF line ends."""
    import random

    from analysis import io
    from analysis.cli import main
    from analysis.simulate import simulate

    rnd = random.Random(seed)
    raw = simulate(codebook, 5000, seed, attributes=True).astype(str)
    path = tmp_path / "raw.csv"
    for trial in range(4):
        f = raw.copy()
        if trial:  # trial 0: every cell as Python writes it, so the typed read must be taken
            # one cell that parses as an integer but is not written as Python writes it
            # (in an option or a score column, where it would change the cell's meaning)
            f.iat[rnd.randrange(len(f)), rnd.randrange(1, 25)] = ["01", "0x1", "-0"][(trial + seed) % 3]
            for _ in range(0 if trial == 1 else rnd.choice([1, 5, 40])):
                i, j = rnd.randrange(len(f)), rnd.randrange(f.shape[1])
                f.iat[i, j] = rnd.choice(FAULTS + [f.iat[rnd.randrange(len(f)), 0]])
        text = f.to_csv(index=False, lineterminator=rnd.choice(["\n", "\r\n"]))
        path.write_bytes(text.replace('"""1"""', '"1"').encode())
        taken = []
        typed = io._read_csv_typed
        out = {}
        for way in ("typed", "dictionary", "general"):
            d = tmp_path / way
            spy = {"typed": lambda *a: taken.append(typed(*a)) or taken[-1],
                   "dictionary": lambda *a: None}.get(way, typed)
            arrow = io._read_csv_arrow
            io._read_csv_typed = spy
            if way == "general":
                io._read_csv_arrow = lambda *a: None
            try:
                assert main(["clean", "--raw", str(path), "--codebook", str(ROOT / "data/codebook.yaml"),
                             "--responses", str(d / "responses.csv"), "--exclusions", str(d / "exclusions.csv"),
                             "--flow", str(d / "flow.csv")]) in (0, None)
            finally:
                io._read_csv_typed, io._read_csv_arrow = typed, arrow
            out[way] = [(d / n).read_bytes() for n in ("responses.csv", "exclusions.csv", "flow.csv")]
        assert out["typed"] == out["dictionary"] == out["general"]
        if trial == 0:
            assert taken and taken[0] is not None  # the typed read was used
        assert b"respondent_id" in out["typed"][0]


@pytest.mark.parametrize("width", [1, 3, 8, 9])
def test_repeated_ids_packed_or_hashed_agree_with_factorize(width):
    """`repeated` (texts of up to 8 bytes packed into integers, longer ones hashed) marks the
    rows whose id equals an earlier row's, as pandas' factorize codes say."""
    import numpy as np

    from analysis.clean import repeated

    rng = np.random.default_rng(width)
    pool = [str(x) for x in rng.integers(0, 10 ** width, 3000)] + ["", "a", "a b", "é", "01", "1", "1" * width]
    texts = pd.Series(rng.choice(pool, 20000), dtype=pd.StringDtype("pyarrow", na_value=float("nan")))
    codes = pd.factorize(texts)[0]
    want = codes <= np.maximum.accumulate(np.concatenate([[-1], codes[:-1]]))
    assert want.sum() > 10000
    assert (repeated(texts) == want).all()
    assert (repeated(texts.astype(object)) == want).all()
    # ids increasing down the file (numbers as text: 9 before 10) repeat nothing; one repeat
    # late in such a file, or an id written twice as 7 and 07, is found
    string = pd.StringDtype("pyarrow", na_value=float("nan"))
    rising = [str(i) for i in range(1, 10 ** min(width, 5) + 5000)][-6000:]
    assert not repeated(pd.Series(rising, dtype=string)).any()
    again = pd.Series(rising + [rising[3]], dtype=string)
    assert repeated(again).tolist() == [False] * len(rising) + [True]
    sparse = pd.Series([""] * 4998 + ["ab", "", "b"], dtype=string)  # (3 bytes of text in all)
    assert repeated(sparse).tolist() == [False] + [True] * 4997 + [False, True, False]
    padded = pd.Series(["A7", "A07", "A7 "] + rising[:5000], dtype=string)
    assert repeated(padded).sum() == 0
    assert repeated(pd.Series(["A07", "A7", "A07"] + rising[:5000], dtype=string)).tolist()[:3] == [False, False, True]
