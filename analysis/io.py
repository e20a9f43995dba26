"""File input and output. Nothing here computes a statistic.

Writes are atomic (temporary file, then rename) and deterministic (fixed column order,
``\\n`` line ends, shortest float repr), so an interrupted build leaves no partial file
and two builds give byte-identical results.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from analysis import yamlfile
from analysis.codebook import Codebook
from analysis.errors import InputError  # noqa: F401  (re-exported for the CLI)

if TYPE_CHECKING:  # annotations only; pandas is imported where it is used
    import pandas as pd


def read_yaml(path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = yamlfile.load(f)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InputError(
            path, f"not valid YAML ({getattr(e, 'problem', e)})", row=(mark.line + 1) if mark else None
        ) from None
    if not isinstance(doc, dict):
        raise InputError(path, "expected a YAML mapping at the top level")
    return doc


def read_codebook(path) -> Codebook:
    """The questionnaire at ``path`` (YAML) as a :class:`~analysis.codebook.Codebook`."""
    return Codebook(read_yaml(path))


def write_codebook(book: Codebook, path) -> None:
    write_yaml(book.to_dict(), path)


def atomic(path, write) -> None:
    """Write ``path`` through a sibling ``.<name>.partial`` file renamed into place, so a
    reader never sees half a file. The partial file's name is fixed, not random: a job
    killed mid-write (SIGKILL skips every cleanup) leaves it behind, and the rerun of the
    same job overwrites and renames it, so an interrupted build ends with the same files
    as an uninterrupted one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = str(path.parent / f".{path.name}.partial")
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def neutralise(value) -> str:
    """A cell value made safe for spreadsheets: text starting with = + - @ (or a tab or
    carriage return) is prefixed with a quote so that it is not run as a formula (OWASP,
    CSV injection)."""
    v = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def write_csv(df: pd.DataFrame, path) -> None:
    """``df`` as CSV (pandas' writer: no index, ``\\n`` line ends, floats in their shortest
    round-trip form), written atomically. A table of integers, booleans and text none of whose
    cells needs quoting (the cleaned responses) is written by Polars' CSV writer instead: the
    same bytes (the header by Python's csv module, as pandas writes it; booleans as ``True`` and
    ``False``; a missing value as an empty field; bench/README.md has the times)."""
    table = plain_table(df)
    if table is None:
        atomic(path, lambda t: df.to_csv(t, index=False, lineterminator="\n"))
    else:
        atomic(path, lambda t: _plain_csv(table, list(df.columns), t))


NEEDS_QUOTES = (b",", b'"', b"\r", b"\n")  # what Python's csv module (pandas' writer) quotes a field for


def _may_need_quotes(col) -> bool:
    """Whether a text column (Arrow) may hold a cell that needs quoting: a byte search of each
    chunk's character data. A sliced chunk's buffer can hold characters outside the slice, so a
    true answer may be wrong, which only sends the table to pandas' writer (the same bytes)."""
    for chunk in col.chunks if hasattr(col, "chunks") else [col]:
        data = chunk.buffers()[2]
        if data is not None and any(c in data.to_pybytes() for c in NEEDS_QUOTES):
            return True
    return False


def plain_table(df: pd.DataFrame):
    """``df`` as an Arrow table whose CSV written unquoted is what pandas writes, or None:
    two or more columns, one or more rows, every column integer, boolean or text, no text cell
    holding a comma, a quote or a line break (booleans become the text ``True``/``False``)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(df) == 0 or len(df.columns) < 2 or not all(isinstance(c, str) for c in df.columns):
        return None
    numeric = {c: pd.api.types.is_bool_dtype(df[c]) or pd.api.types.is_integer_dtype(df[c]) for c in df.columns}
    if not all(numeric[c] or pd.api.types.infer_dtype(df[c], skipna=True) in ("string", "empty") for c in df.columns):
        return None  # (decided from the column types before anything is converted)
    cols = []
    for name in df.columns:
        if numeric[name]:
            col = pa.array(df[name])
            cols.append(pc.if_else(col, "True", "False") if pa.types.is_boolean(col.type) else col)
            continue
        col = pa.array(df[name], type=pa.large_string(), from_pandas=True)
        if _may_need_quotes(col):
            return None
        cols.append(col)
    return pa.table(cols, names=list(df.columns))


def _plain_csv(table, names: list[str], target) -> None:
    """``table`` as unquoted CSV (Polars' writer, on the Arrow buffers without a copy) after the
    header line pandas writes (Python's csv module)."""
    import csv
    import io as _io

    import polars as pl

    header = _io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(names)
    with open(target, "wb") as f:
        f.write(header.getvalue().encode("utf-8"))
        pl.from_arrow(table).write_csv(f, include_header=False, quote_style="never", line_terminator="\n")


def read_json(path):
    """A JSON file (one clear message when it is missing or not JSON)."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except json.JSONDecodeError as e:
        raise InputError(path, f"not valid JSON ({e.msg})", row=e.lineno) from None


def write_json(obj, path) -> None:
    def w(t):
        with open(t, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2, sort_keys=True, ensure_ascii=False)
            f.write("\n")

    atomic(path, w)


def write_yaml(obj, path) -> None:
    """``obj`` as YAML (keys in their order, Unicode as written), atomically."""
    import yaml

    write_text(yaml.safe_dump(obj, allow_unicode=True, sort_keys=False, width=120), path)


def write_text(text: str, path) -> None:
    def w(t):
        with open(t, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    atomic(path, w)


def read_csv(path, dtype=None, columns=None) -> pd.DataFrame:
    import pandas as pd

    return pd.read_csv(path, keep_default_na=True, dtype=dtype, usecols=columns)


def write_arrow(df: pd.DataFrame, path) -> None:
    """``df`` in Arrow's IPC file format (Feather 2, uncompressed, no index): the cleaned
    responses' twin of their CSV, which the statistics read back memory-mapped in a small
    fraction of the CSV's parse (:func:`read_typed_arrow`). The same frame gives the same
    bytes (no time stamps)."""
    import pyarrow as pa
    import pyarrow.feather as feather

    table = pa.Table.from_pandas(df, preserve_index=False)
    atomic(path, lambda t: feather.write_feather(table, t, compression="uncompressed"))


def read_typed_arrow(path, kinds: dict[str, str]) -> pd.DataFrame:
    """The columns ``kinds`` names of a file :func:`write_arrow` wrote, as
    :func:`read_typed_csv` gives them from the CSV of the same frame: each column cast to
    its kind (``int64`` with an empty cell becomes float64 with NaN; ``category`` as the
    categories of the values present, in order of first appearance), in the file's order;
    columns the file lacks are not read."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.feather as feather

    table = feather.read_table(path, memory_map=True)
    names = [c for c in table.column_names if c in kinds]
    columns = []
    for name in names:
        col, kind = table.column(name), kinds[name]
        if kind == "category":
            col = pc.dictionary_encode(pc.cast(col, pa.large_string()))
        elif kind == "int64" and col.null_count:
            col = pc.cast(col, pa.float64())
        else:
            col = pc.cast(col, {"int8": pa.int8(), "int64": pa.int64(), "bool": pa.bool_()}[kind])
        columns.append(col)
    return pa.table(columns, names=names).to_pandas()


def read_arrow_columns(path, columns) -> pd.DataFrame:
    """The ``columns`` of a file :func:`write_arrow` wrote that it has, as pandas reads Arrow's
    types (text as ``object``, numbers as numbers), in the file's order."""
    import pyarrow.feather as feather

    names = feather.read_table(path, memory_map=True).column_names
    return feather.read_table(path, columns=[c for c in names if c in columns], memory_map=True).to_pandas()


def read_typed_csv(path, kinds: dict[str, str]) -> pd.DataFrame:
    """The columns ``kinds`` names of a CSV this pipeline wrote (the cleaned responses), each
    of the given kind (``int8``, ``int64``, ``bool``, ``category``), read by
    Arrow's CSV reader with the types given, not inferred. Columns the file lacks
    are not read. The frame holds the values pandas' reader gives with only the empty cell
    missing (text as categoricals where ``category``; ``int64`` is nullable: a column with
    an empty cell becomes float64 with NaN, one without stays int64, as pandas' reader
    infers them; a text such as ``NA`` or ``None`` stays text, as it may be an attribute's
    value); a file Arrow cannot read with those types is read by pandas."""
    import csv

    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pcsv

    with open(path, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f), [])
    arrow = {
        "int8": pa.int8(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "category": pa.dictionary(pa.int32(), pa.large_string()),
    }
    want = [c for c in header if c in kinds]
    types = {c: arrow[kinds[c]] for c in want}
    try:
        table = pcsv.read_csv(
            path,
            convert_options=pcsv.ConvertOptions(
                column_types=types, include_columns=want, strings_can_be_null=True, null_values=[""]
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.read_csv(
            path,
            usecols=kinds.__contains__,
            keep_default_na=False,
            na_values=[""],
            dtype={c: k for c, k in kinds.items() if k in ("int8", "category")},
        )
    return table.to_pandas()
