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

    from analysis.figures import save

    (tmp_path / ".f.png.partial").write_bytes(b"\x89PNG half")
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    save(fig, tmp_path / "f.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png"]
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- the columnar paths (issue 11)
import random  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from analysis import io  # noqa: E402

from .conftest import ROOT  # noqa: E402

CELLS = ["a", " ", ",", '"', "\n", "\r", "中", "\u3000", "=", "-", "\t", "'", "1", "0", "x y"]


def _general(path, encoding="utf-8"):
    """The general (pandas) reader, with the columnar one switched off."""
    fast, io._read_csv_arrow = io._read_csv_arrow, lambda *a: None
    try:
        return io.read_raw_csv(path, encoding)
    finally:
        io._read_csv_arrow = fast


@pytest.mark.parametrize("seed", range(4))
def test_columnar_reader_reads_what_the_general_reader_reads(tmp_path, seed):
    """Random CSVs (quotes, delimiters and line ends inside cells, blanks at the edges, CJK and
    ideographic spaces, CRLF, GB18030, lines of blanks only, no line end after the last row, one
    column or three): the Arrow reader gives the same frame as pandas' reader, or hands the file
    to it (then the frames are trivially equal)."""
    import csv
    import io as _io

    rnd = random.Random(seed)
    for k in range(80):
        width = rnd.choice([1, 3, 3])
        rows = [["id", " b ", "c"][:width]] + [["".join(rnd.choice(CELLS) for _ in range(rnd.randint(0, 4)))
                                                for _ in range(width)] for _ in range(rnd.randint(1, 8))]
        path = tmp_path / f"{k}.csv"
        enc = rnd.choice(["utf-8", "gb18030"])
        end = rnd.choice(["\n", "\r\n"])
        text = _io.StringIO(newline="")
        csv.writer(text, lineterminator=end).writerows(rows)
        lines = text.getvalue().split(end)
        if rnd.random() < 0.3:  # a line of blanks only among the rows
            lines.insert(rnd.randint(1, len(lines) - 1), rnd.choice([" ", "\t", "  \t"]))
        text = end.join(lines)
        if rnd.random() < 0.3:  # no line end after the last row
            text = text[: -len(end)]
        path.write_bytes(text.encode(enc))
        try:
            want = _general(path, enc)
        except io.InputError as e:
            with pytest.raises(io.InputError) as got:
                io.read_raw_csv(path, enc)
            assert str(got.value) == str(e)
            continue
        pd.testing.assert_frame_equal(io.read_raw_csv(path, enc), want)
        cat = io.read_raw_csv(path, enc, dictionary=True)
        pd.testing.assert_frame_equal(cat.astype(str), want.astype(str))
        ids_as_text = io.read_raw_csv(path, enc, dictionary=True, texts=["id"])
        pd.testing.assert_frame_equal(ids_as_text.astype(str), want.astype(str))


def test_columnar_reader_strips_exactly_what_python_strips():
    """Arrow's utf8_trim_whitespace and str.strip agree on every white-space code point."""
    import sys

    import pyarrow as pa
    import pyarrow.compute as pc

    spaces = [chr(c) for c in range(sys.maxunicode) if chr(c).isspace()]
    cells = [f"{s}a{s}" for s in spaces] + [f"a{chr(c)}" for c in range(0x20, 0x3100) if not chr(c).isspace()]
    assert pc.utf8_trim_whitespace(pa.array(cells)).to_pylist() == [c.strip() for c in cells]


@pytest.mark.parametrize("seed", range(3))
def test_columnar_writer_writes_the_bytes_pandas_writes(seed):
    """``csv_parts`` joined equals ``to_csv(index=False, lineterminator="\\n")`` for frames of text
    (quoted where Python's csv writer quotes), integers and nullable integers of every width,
    floats (NaN, infinities, signed zeros, exponents) and booleans, at 0 to 300 rows."""
    rnd = random.Random(seed)
    for _ in range(150):
        n = rnd.choice([0, 1, 2, 5, 70, 300])
        text = [("".join(rnd.choice(CELLS) for _ in range(rnd.randint(0, 4)))) if rnd.random() > .2 else None
                for _ in range(n)]
        df = pd.DataFrame({
            "s": pd.Series(text, dtype="str"), "o": pd.Series([rnd.choice(["x,y", "z", ""]) for _ in range(n)],
                                                                dtype=object),
            "i": np.arange(n, dtype=np.int64) * rnd.choice([1, 1000]) - 2,
            "d": np.array([rnd.randint(0, 9) for _ in range(n)], dtype=np.int64),
            "b": np.array([rnd.random() > .5 for _ in range(n)], dtype=bool),
            "n": pd.array([None if rnd.random() < .3 else rnd.randint(-3, 30) * rnd.choice([1, 100])
                           for _ in range(n)], dtype=rnd.choice(["Int64", "Int16", "Int32"]) if rnd.random() < .5
                          else "Int64"),
            "e": pd.array([None if rnd.random() < .3 else rnd.randint(1, 4) for _ in range(n)],
                          dtype=rnd.choice(["Int8", "Int64"])),
            "t": (np.array([rnd.randint(-128, 127) for _ in range(n)], dtype=np.int16) + 128 * rnd.randint(0, 1))
            .astype(rnd.choice([np.int8, np.int16, np.uint8])),
            "c": pd.Categorical([rnd.choice(["p", "q,r", ""]) for _ in range(n)]),
            "f": np.array([rnd.choice([rnd.random(), -rnd.random() * 10 ** rnd.randint(-12, 20), float("nan"),
                                       float("inf"), -float("inf"), 0.0, -0.0, 1.0, 1e16, 1e-5, 0.0001,
                                       float(rnd.randint(-9, 9)), 5e-324, 1.7976931348623157e308])
                           for _ in range(n)], dtype=np.float64)})
        if rnd.random() < .5:
            df.columns = ["a b", "c,d", 'e"f', "g", "h", "i", "j", "k", "l", "m"]
        if rnd.random() < .3:
            df = df.iloc[:, rnd.sample(range(10), rnd.randint(2, 10))]
        assert _joined(io.csv_parts(df)) == df.to_csv(index=False, lineterminator="\n").encode()
    assert io.csv_parts(pd.DataFrame({"x": np.array([1.5, 2.0], np.float32), "y": [1, 2]})) is None
    # a NUL byte is the padding of the layout: such frames go to pandas
    assert io.csv_parts(pd.DataFrame({"x": ["a\x00b", "c"], "y": [1, 2]})) is None
    assert io.csv_parts(pd.DataFrame({"x": pd.Categorical(["\x00", "c"]), "y": [1, 2]})) is None


def _joined(parts) -> bytes:
    return b"".join(bytes(p) for p in parts)


def test_write_csv_is_byte_identical_on_the_columnar_path(tmp_path, monkeypatch):
    """Above the row count where write_csv formats column-wise, the file is pandas' file (rows
    laid out in blocks: small blocks here, of a few rows and of one row)."""
    monkeypatch.setattr(io, "_BLOCK_BYTES", 64)
    n = io._COLUMNAR_ROWS + 3
    df = pd.DataFrame({"id": [f"W-{i}" for i in range(n)], "x": np.arange(n) % 2,
                       "ok": np.arange(n) % 3 == 0, "r": pd.array([None, 1, 4] * (n // 3) + [2] * (n % 3),
                                                                   dtype="Int64")})
    io.write_csv(df, tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_bytes() == df.to_csv(index=False, lineterminator="\n").encode()
    monkeypatch.setattr(io, "_BLOCK_BYTES", 1)
    io.write_csv(df.head(io._COLUMNAR_ROWS), tmp_path / "one.csv")
    assert (tmp_path / "one.csv").read_bytes() == df.head(io._COLUMNAR_ROWS).to_csv(
        index=False, lineterminator="\n").encode()


@pytest.mark.parametrize("n", [0, 1, 2, 6000])
def test_compact_simulated_wave_writes_the_same_file(n):
    """A simulated wave as categoricals (how `simulate` builds 10^7 questionnaires in little
    memory) is written to the same bytes as the wave of strings."""
    import yaml

    from analysis.simulate import simulate

    codebook = yaml.safe_load((ROOT / "data/codebook.yaml").read_text())
    strings = simulate(codebook, n, 3, attributes=True, invalid_share=0.1)
    compact = simulate(codebook, n, 3, attributes=True, invalid_share=0.1, compact=True)
    want = strings.to_csv(index=False, lineterminator="\n").encode()
    assert _joined(io.csv_parts(compact)) == want


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
    df = pd.DataFrame({
        "respondent_id": pd.array([f"R_{i}" for i in range(n)], dtype="str"),
        "opt": rng.integers(0, 2, n).astype(np.int8), "ranking_valid": rng.random(n) < 0.9,
        "full": pd.array(rng.integers(1, 5, n), dtype="Int8"), "part": scores,
        "edu": pd.Categorical(rng.choice(["None", "NA", "college", None], n)),
        "age": pd.Categorical(rng.choice(["18-22", "23-30"], n), categories=["23-30", "18-22", "unused"])})
    io.write_csv(df, tmp_path / "r.csv")
    io.write_arrow(df, tmp_path / "r.arrow")
    first = (tmp_path / "r.arrow").read_bytes()
    io.write_arrow(df, tmp_path / "r.arrow")
    assert (tmp_path / "r.arrow").read_bytes() == first
    kinds = {"opt": "int8", "ranking_valid": "bool", "full": "int64", "part": "int64", "edu": "category",
             "age": "category", "absent": "int8"}
    got, want = io.read_typed_arrow(tmp_path / "r.arrow", kinds), io.read_typed_csv(tmp_path / "r.csv", kinds)
    pd.testing.assert_frame_equal(got, want)
    assert str(got["full"].dtype) == "int64" and str(got["part"].dtype) == "float64"
    assert {"None", "NA"} <= set(got["edu"].cat.categories) and got["edu"].isna().any()
