"""File input and output. Nothing here computes a statistic.

Writes are atomic (temporary file, then rename) and deterministic (fixed column order,
``\\n`` line ends, shortest float repr), so an interrupted build leaves no partial file
and two builds give byte-identical results.
"""

from __future__ import annotations

import io as _io
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from analysis import yamlfile
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


def detect_encoding(path) -> str:
    """``utf-8`` when the file decodes as UTF-8 (with or without a byte-order mark), else
    ``gb18030`` (GBK/GB2312 and their superset, as Chinese survey platforms write)."""
    data = Path(path).read_bytes()
    try:
        data.decode("utf-8-sig")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def sheets(path) -> dict[str, int]:
    """The sheets of an .xlsx workbook, in workbook order, with their sizes in cells (rows x
    columns, from each sheet's recorded dimensions; no cell is read)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
        return {ws.title: (ws.max_row or 0) * (ws.max_column or 0) for ws in wb.worksheets}
    except Exception as e:
        raise InputError(path, f"not a readable .xlsx workbook ({type(e).__name__})") from None


def read_raw_csv(path, encoding: str = "utf-8") -> pd.DataFrame:
    """A raw survey CSV as strings, each stripped of surrounding white space (pandas' reader,
    every cell as text, nothing read as missing: a blank cell is ''). ``encoding`` is ``utf-8``
    (a byte-order mark is accepted) or ``gb18030`` (covers GBK/GB2312, as Chinese survey
    platforms export). A row with fewer fields than the header (a file cut short) keeps its
    absent cells as :data:`MISSING_FIELD`, so that cleaning excludes it with its reason."""
    import csv

    import pandas as pd

    p = Path(path)
    if p.is_dir():
        raise InputError(path, "a folder, not a file: name the export file in it")
    if not p.exists():
        raise InputError(path, "file not found")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(path, "file is empty (no header, no rows)")
    if b"\x00" in data[:4096]:
        raise InputError(
            path,
            "binary data, not a CSV text file (UTF-16 or a spreadsheet saved as .csv?)",
            row=data[: data.index(b"\x00")].count(b"\n") + 1,
        )
    codec = {"utf-8": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}.get(encoding.lower())
    if codec is None:
        raise InputError(path, f"unknown encoding {encoding!r} (use utf-8 or gb18030)")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        hint = (
            " (set `encoding: gb18030` for the wave in config.yaml if it comes from a Chinese survey platform)"
            if codec != "gb18030"
            else ""
        )
        raise InputError(path, f"not {encoding} text: byte {e.start} cannot be decoded{hint}", row=line) from None
    # UTF-8 bytes for Arrow's parser: the file's own when it is UTF-8 (without its byte-order mark)
    utf8 = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data) if codec == "utf-8-sig" else text.encode("utf-8")
    del data
    try:
        header = next(csv.reader(_io.StringIO(text, newline="")), [])
    except csv.Error:
        header = []
    blank = [i for i, h in enumerate(header) if not h.strip()]
    fast = read_well_formed(text, utf8, header)
    del utf8
    if fast is not None:
        return _drop_empty_unnamed(_strip(fast), [str(fast.columns[i]).strip() for i in blank if i < fast.shape[1]])
    try:
        df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+)", str(e))
        raise InputError(path, f"malformed CSV ({str(e).strip()})", row=int(m.group(1)) if m else None) from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "file is empty (no header, no rows)") from None
    # rows with fewer fields than the header: pandas fills them with '' like a blank cell
    try:  # line ends as pandas reads them: \n, \r\n and a lone \r
        widths = [len(r) for r in csv.reader(_io.StringIO(text, newline="")) if r]
    except csv.Error:
        widths = []
    short = [(i, w) for i, w in enumerate(widths[1:]) if w < df.shape[1]]
    if short and len(widths) - 1 == len(df):
        df = df.astype(object)
        for i, w in short:
            df.iloc[i, w:] = None
    return _drop_empty_unnamed(_strip(df), [str(df.columns[i]).strip() for i in blank if i < df.shape[1]])


# What only pandas' general (C) reader reads as this project reads CSVs: a quote after blanks that
# follow a delimiter (``skipinitialspace`` makes it a quoted field) and a carriage return not
# followed by a line feed (old Mac line ends).
_GENERAL_ONLY = re.compile(r'[,\n][ \t]+"')


def read_well_formed(text: str, utf8: bytes, header: list[str]) -> pd.DataFrame | None:
    """A well-formed CSV (every row as wide as the header, two or more distinct non-blank names (a
    line of one empty cell is a blank line to the general reader), none of
    :data:`_GENERAL_ONLY`) read by pandas' Arrow engine, every cell as text: the frame pandas'
    general reader gives, parsed by Arrow. ``None`` for any other file, which the
    general reader then reads (and gives its messages for)."""
    import pandas as pd

    names = [h.strip() for h in header]
    if (
        len(names) < 2
        or "" in names
        or len(set(names)) < len(names)
        or _GENERAL_ONLY.search(text)
        or text.count("\r") != text.count("\r\n")
    ):
        return None
    try:
        df = pd.read_csv(_io.BytesIO(utf8), dtype=str, keep_default_na=False, engine="pyarrow")
    except Exception:  # a row of another width, or anything else Arrow's parser refuses
        return None
    return df if len(df) else None


def _drop_empty_unnamed(df: pd.DataFrame, unnamed: list[str]) -> pd.DataFrame:
    """``df`` without the columns ``unnamed`` (no header in the file: a spreadsheet's trailing
    delimiter or empty column) whose cells are all blank; each one dropped is named in
    ``df.attrs["notes"]``, which the clean step prints."""
    empty = [c for c in unnamed if c in df.columns and df[c].isin(["", MISSING_FIELD]).all()]
    out = df.drop(columns=empty)
    out.attrs["notes"] = [
        f"dropped column {i + 1} ('{c}'): it has no header and no value"
        for i, c in ((list(df.columns).index(c), c) for c in empty)
    ]
    return out


MISSING_FIELD = "\x00missing-field"  # a cell absent because its row has too few fields


def _strip(df: pd.DataFrame) -> pd.DataFrame:
    """Names and cells as text without surrounding white space; an absent cell (None) becomes
    :data:`MISSING_FIELD`."""
    df.columns = [str(c).strip() for c in df.columns]
    return df.apply(lambda s: s.fillna(MISSING_FIELD).astype(str).str.strip())


def _cell(v) -> str:
    """A spreadsheet or SPSS cell as the text a CSV would hold (integral floats without '.0')."""
    import pandas as pd

    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_raw_xlsx(path, sheet: str | None = None) -> pd.DataFrame:
    """A sheet of an Excel workbook (by name; the first when ``sheet`` is None), as strings."""
    import pandas as pd

    try:
        df = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object, engine="openpyxl")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except ValueError as e:
        if sheet is not None and "not found" in str(e):
            names = list(sheets(path))
            raise InputError(path, f"no sheet {sheet!r} (the workbook has {', '.join(map(repr, names))})") from None
        raise InputError(path, f"not a readable .xlsx workbook ({type(e).__name__})") from None
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise InputError(path, f"not a readable .xlsx workbook ({type(e).__name__})") from None
    names = list(sheets(path))
    read = names[0] if sheet is None and names else sheet
    present = f"the workbook has {', '.join(map(repr, names))}; choose one with `sheet:`"
    if df.shape[1] == 0:
        raise InputError(path, f"sheet {read!r} is empty (no header, no rows; {present})")
    unnamed = [str(c) for c in df.columns if re.fullmatch(r"Unnamed: \d+", str(c))]  # pandas' name for no header
    out = _drop_empty_unnamed(_strip(df.map(_cell)), unnamed)
    if sheet is None and len(names) > 1:
        out.attrs["notes"].append(f"read sheet {read!r}, the first ({present})")
    out.attrs["sheet"] = read if len(names) > 1 else None
    return out


def read_raw_sav(path, value_labels: bool | tuple | list = False) -> pd.DataFrame:
    """An SPSS .sav file as strings: its codes, or its value labels where it has them (``True``:
    in every column; a list of variable names: in those columns only). ``attrs["labels"]`` holds
    the variable labels (where SPSS keeps the question text when variables are named Q1_1) and
    ``attrs["value_labels"]`` each variable's value labels (code as text -> label)."""
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=value_labels is True)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except Exception as e:
        raise InputError(path, f"not a readable SPSS .sav file ({type(e).__name__})") from None
    labelled = {c: {_cell(k): str(v) for k, v in m.items()} for c, m in meta.variable_value_labels.items()}
    if value_labels and value_labels is not True:
        unknown = [c for c in value_labels if c not in df.columns]
        if unknown:
            raise InputError(
                path,
                f"`value_labels:` names {', '.join(map(repr, unknown))}, not a variable of the file",
                column=unknown[0],
            )
    out = _strip(df.map(_cell))
    for c in value_labels if value_labels and value_labels is not True else []:
        out[c] = out[c].map(lambda v, m=labelled.get(c, {}): m.get(v, v))
    out.attrs["labels"] = {str(c): str(t) for c, t in meta.column_names_to_labels.items() if t}
    out.attrs["value_labels"] = labelled
    return out


def read_raw(
    path,
    fmt: str | None = None,
    encoding: str = "utf-8",
    sheet: str | None = None,
    value_labels: bool | tuple | list = False,
) -> pd.DataFrame:
    """A raw wave in any supported format (``csv``, ``xlsx``, ``sav``; by extension when
    ``fmt`` is not given), as a table of strings (:func:`read_raw_csv`)."""
    fmt = (fmt or Path(path).suffix.lstrip(".") or "csv").lower()
    if fmt == "csv":
        return read_raw_csv(path, encoding)
    if fmt == "xlsx":
        return read_raw_xlsx(path, sheet)
    if fmt == "sav":
        return read_raw_sav(path, value_labels)
    raise InputError(path, f"unsupported format {fmt!r} (csv, xlsx or sav)")


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
    round-trip form), written atomically."""
    atomic(path, lambda t: df.to_csv(t, index=False, lineterminator="\n"))


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
