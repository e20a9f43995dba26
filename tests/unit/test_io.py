"""Result-file writing: atomic replacement, including after a killed write."""

import pandas as pd

from analysis.io import write_csv


def test_write_after_a_killed_write_leaves_no_partial_file(tmp_path):
    """A job killed mid-write leaves ``.<name>.partial``; the rerun's write replaces it."""
    target = tmp_path / "chunk-0.csv"
    (tmp_path / ".chunk-0.csv.partial").write_text("half a fi")
    write_csv(pd.DataFrame({"draw": [1, 2]}), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chunk-0.csv"]
    assert target.read_text() == "draw\n1\n2\n"


def test_figure_is_written_atomically_in_its_own_format(tmp_path):
    """Figures go through the same writer; the format comes from the target's suffix, not the partial file's."""
    import matplotlib.pyplot as plt

    from analysis.paper.figure_style import save

    (tmp_path / ".f.png.partial").write_bytes(b"\x89PNG half")
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    save(fig, tmp_path / "f.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png"]
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- written and read back

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from analysis import io  # noqa: E402
from analysis.survey import raw_files  # noqa: E402

from ..conftest import ROOT  # noqa: E402


@pytest.mark.parametrize("n", [0, 1, 2, 6000])
def test_compact_simulated_wave_writes_the_same_file(n, tmp_path):
    """A simulated wave as categoricals (how `simulate` builds 10^7 questionnaires in little
    memory) is written to the same bytes as the wave of strings."""
    from analysis.survey.simulate import simulate

    codebook = io.read_codebook(ROOT / "data/codebook.yaml")
    strings = simulate(codebook, n, 3, attributes=True, invalid_share=0.1)
    compact = simulate(codebook, n, 3, attributes=True, invalid_share=0.1, compact=True)
    io.write_csv(compact, tmp_path / "compact.csv")
    assert (tmp_path / "compact.csv").read_bytes() == strings.to_csv(index=False, lineterminator="\n").encode()


def test_arrow_twin_reads_as_the_csv_reads(tmp_path):
    """The cleaned responses' Arrow twin (io.write_arrow) read back with io.read_typed_arrow is
    the frame io.read_typed_csv gives from their CSV: codes, validity, scores with and without
    empty cells, attributes whose values look like missing markers (``None``, ``NA`` stay
    text; only the empty cell is missing), columns the file lacks skipped; the same frame
    writes the same bytes."""
    n = 6000
    rng = np.random.default_rng(3)
    scores = pd.array(rng.integers(1, 5, n), dtype="Int8")
    scores[rng.random(n) < 0.1] = pd.NA
    df = pd.DataFrame(
        {
            "respondent_id": pd.array([f"R_{i}" for i in range(n)], dtype="str"),
            "opt": rng.integers(0, 2, n).astype(np.int8),
            "ranking_valid": rng.random(n) < 0.9,
            "full": pd.array(rng.integers(1, 5, n), dtype="Int8"),
            "part": scores,
            "edu": pd.Categorical(rng.choice(["None", "NA", "college", None], n)),
            "age": pd.Categorical(rng.choice(["18-22", "23-30"], n), categories=["23-30", "18-22", "unused"]),
        }
    )
    io.write_csv(df, tmp_path / "r.csv")
    io.write_arrow(df, tmp_path / "r.arrow")
    first = (tmp_path / "r.arrow").read_bytes()
    io.write_arrow(df, tmp_path / "r.arrow")
    assert (tmp_path / "r.arrow").read_bytes() == first
    kinds = {
        "opt": "int8",
        "ranking_valid": "bool",
        "full": "int64",
        "part": "int64",
        "edu": "category",
        "age": "category",
        "absent": "int8",
    }
    got, want = io.read_typed_arrow(tmp_path / "r.arrow", kinds), io.read_typed_csv(tmp_path / "r.csv", kinds)
    pd.testing.assert_frame_equal(got, want)
    assert str(got["full"].dtype) == "int64" and str(got["part"].dtype) == "float64"
    assert {"None", "NA"} <= set(got["edu"].cat.categories) and got["edu"].isna().any()


def test_short_rows_keep_their_absent_cells_marked(tmp_path):
    """A row cut short keeps its absent cells apart from blank ones (cleaning excludes it as
    truncated); blanks around cells are stripped; a quoted cell may hold a comma and a line end."""
    path = tmp_path / "r.csv"
    path.write_bytes('id,a,b\n1, x ,"y,\nz"\n2,,\n3,q\n'.encode())
    got = raw_files.read_raw_csv(path)
    assert got.to_dict("list") == {
        "id": ["1", "2", "3"],
        "a": ["x", "", "q"],
        "b": ["y,\nz", "", raw_files.MISSING_FIELD],
    }
    path.write_bytes("id,a\n1,中\n".encode("gb18030"))
    assert raw_files.read_raw_csv(path, "gb18030")["a"].tolist() == ["中"]


def test_spreadsheet_habits_are_read_with_a_note(tmp_path):
    """A trailing column without header or value (Excel's extra delimiter) is dropped with a note;
    one without header but with values stays (cleaning then names it); a workbook of several
    sheets says which it read and which it has, and an empty sheet is named."""
    path = tmp_path / "u.csv"
    path.write_text("id,a,\n1,x,\n2,y,\n")
    got = raw_files.read_raw_csv(path)
    assert list(got.columns) == ["id", "a"]
    assert got.attrs["notes"] == ["dropped column 3 ('Unnamed: 2'): it has no header and no value"]
    path.write_text("id,a,\n1,x,z\n2,y,\n")
    assert list(raw_files.read_raw_csv(path).columns) == ["id", "a", "Unnamed: 2"]
    book = tmp_path / "two.xlsx"
    with pd.ExcelWriter(book) as w:
        pd.DataFrame().to_excel(w, sheet_name="Cover", index=False)
        pd.DataFrame({"id": [1, 2], "a": ["x", "y"]}).to_excel(w, sheet_name="Data", index=False)
    with pytest.raises(
        io.InputError,
        match=r"sheet 'Cover' is empty \(no header, no rows; the workbook has 'Cover', "
        r"'Data'; choose one with `sheet:`\)",
    ):
        raw_files.read_raw_xlsx(book)
    data = raw_files.read_raw_xlsx(book, "Data")
    assert data.to_dict("list") == {"id": ["1", "2"], "a": ["x", "y"]} and data.attrs["sheet"] == "Data"


@pytest.mark.parametrize("seed", range(3))
def test_arrow_engine_reads_what_the_general_reader_reads(tmp_path, seed, monkeypatch):
    """Random CSVs (quotes, delimiters and line ends inside cells, blanks at the edges, CJK and
    ideographic spaces, CRLF, GB18030, no line end after the last row, one column or three): pandas'
    Arrow engine, where it is used, gives the frame pandas' general reader gives."""
    import csv
    import io as _io
    import random

    cells = ["a", " ", ",", '"', "\n", "中", "\u3000", "=", "-", "\t", "'", "1", "0", "x y"]
    rnd = random.Random(seed)
    used = 0
    for k in range(60):
        width = rnd.choice([1, 3, 3])
        rows = [["id", " b ", "c"][:width]] + [
            ["".join(rnd.choice(cells) for _ in range(rnd.randint(0, 4))) for _ in range(width)]
            for _ in range(rnd.randint(1, 8))
        ]
        enc, end = rnd.choice(["utf-8", "gb18030"]), rnd.choice(["\n", "\r\n"])
        text = _io.StringIO(newline="")
        csv.writer(text, lineterminator=end).writerows(rows)
        text = text.getvalue()
        if rnd.random() < 0.3:
            text = text[: -len(end)]
        path = tmp_path / f"{k}.csv"
        path.write_bytes(text.encode(enc))
        with monkeypatch.context() as m:
            m.setattr(raw_files, "read_well_formed", lambda *a: None)
            try:
                want = raw_files.read_raw_csv(path, enc)
            except io.InputError as e:
                with pytest.raises(io.InputError) as got:
                    raw_files.read_raw_csv(path, enc)
                assert str(got.value) == str(e)
                continue
        text = path.read_bytes().decode("utf-8-sig" if enc == "utf-8" else enc)
        used += raw_files.read_well_formed(text, text.encode("utf-8"), rows[0]) is not None
        pd.testing.assert_frame_equal(raw_files.read_raw_csv(path, enc), want)
    assert used > 20  # the Arrow engine was taken for most files


def test_a_folder_is_named_as_a_folder(tmp_path):
    with pytest.raises(io.InputError, match="a folder, not a file: name the export file in it"):
        raw_files.read_raw_csv(tmp_path)


@pytest.mark.parametrize(
    "frame",
    [
        {"id": ["1", "R_2", "中文"], "a": [1, 0, 1], "ok": [True, False, True]},
        {"id": ["1", "2"], "a": pd.array([1, None], dtype="Int8"), "b": pd.array([None, 3], dtype="Int64")},
        {"id": ["x", ""], "note": ["", "plain text"], "n": [0, -5]},
        {"id": ["a,b", "c"], "n": [1, 2]},  # a comma: quoted, so pandas writes it
        {"id": ['say "hi"', "c"], "n": [1, 2]},
        {"id": ["line\nbreak", "c"], "n": [1, 2]},
        {"id": ["1", "2"], "x": [0.1, 1e-05]},  # floats: pandas' shortest form
        {"id": ["1", None], "n": [1, 2]},
        {"only": ["", "a"]},  # one column: a lone empty field is written "" by pandas
        {"id": [], "n": []},
    ],
)
def test_csv_written_by_arrow_is_byte_identical_to_pandas(tmp_path, frame):
    """write_csv's Arrow path (integers, booleans and text that needs no quotes) writes the bytes
    pandas writes; any other table goes through pandas."""
    df = pd.DataFrame(frame)
    io.write_csv(df, tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_bytes() == df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def test_the_cleaned_responses_take_the_arrow_path():
    """The frame clean writes (text ids, int8 answers, a boolean) is one Arrow writes."""
    df = pd.DataFrame(
        {
            "respondent_id": ["1", "D23-7"],
            "credit_quality": pd.array([1, 0], dtype="int8"),
            "ranking_valid": [True, False],
            "rank_credit": pd.array([4, None], dtype="Int8"),
        }
    )
    assert io.plain_table(df) is not None
    assert io.plain_table(df.assign(respondent_id=["1", "a,b"])) is None
