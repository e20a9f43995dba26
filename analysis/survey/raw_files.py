"""Raw survey exports read as text, exactly as written: CSV in UTF-8 or GB18030 (encoding detected), .xlsx sheets and SPSS .sav files with their variable and value labels; every cell a string, every fault one message naming file, row and column. With analysis.io, the only module outside the steps that reads files."""

from __future__ import annotations

import io as _io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import InputError  # noqa: F401  (re-exported for the CLI)

if TYPE_CHECKING:  # annotations only; pandas is imported where it is used
    import pandas as pd


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

    data, text, codec = _decoded(path, encoding)
    # UTF-8 bytes for Arrow's parser: the file's own when it is UTF-8 (without its byte-order mark)
    utf8 = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data) if codec == "utf-8-sig" else text.encode("utf-8")
    del data
    try:  # (line by line where no carriage return can end one: the header alone is read)
        header = next(csv.reader(_io.StringIO(text, newline="") if "\r" in text else _lines(text)), [])
    except csv.Error:
        header = []
    blank = [i for i, h in enumerate(header) if not h.strip()]
    fast = read_well_formed(text, utf8, header)
    del utf8
    if fast is not None:
        del text  # (its cells are in the frame now)
        unnamed = [str(fast.columns[i]).strip() for i in blank if i < fast.shape[1]]
        return drop_empty_unnamed(stripped(fast), unnamed)
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
    return drop_empty_unnamed(stripped(df), [str(df.columns[i]).strip() for i in blank if i < df.shape[1]])


def _lines(text: str):
    """The lines of ``text`` (ending in ``\\n``), one at a time."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


# What only pandas' general (C) reader reads as this project reads CSVs: a quote after blanks that
# follow a delimiter (``skipinitialspace`` makes it a quoted field) and a carriage return not
# followed by a line feed (old Mac line ends).
GENERAL_ONLY = re.compile(r'[,\n][ \t]+"')


def _decoded(path, encoding: str) -> tuple[bytes, str, str]:
    """The file's bytes, its text and the codec that decoded it; a folder, a missing or empty
    file, binary data or bytes the encoding cannot decode are each one message with the line."""
    p = Path(path)
    if p.is_dir():
        raise InputError(path, "a folder, not a file: name the export file in it")
    if not p.exists():
        raise InputError(path, "file not found")
    data = p.read_bytes()
    if not data or data.isspace():  # (ASCII white space only, as bytes.strip removes; no copy)
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
    return data, text, codec


def read_well_formed(text: str, utf8: bytes, header: list[str]) -> pd.DataFrame | None:
    """A well-formed CSV (every row as wide as the header, two or more distinct non-blank names (a
    line of one empty cell is a blank line to the general reader), none of
    :data:`GENERAL_ONLY`) read by pandas' Arrow engine, every cell as text: the frame pandas'
    general reader gives, parsed by Arrow. ``None`` for any other file, which the
    general reader then reads (and gives its messages for)."""
    import pandas as pd

    names = [h.strip() for h in header]
    if (
        len(names) < 2
        or "" in names
        or len(set(names)) < len(names)
        or ('"' in text and GENERAL_ONLY.search(text))  # (a file without quotes cannot match)
        or ("\r" in text and text.count("\r") != text.count("\r\n"))
    ):
        return None
    try:
        df = pd.read_csv(_io.BytesIO(utf8), dtype=str, keep_default_na=False, engine="pyarrow")
    except Exception:  # a row of another width, or anything else Arrow's parser refuses
        return None
    return df if len(df) else None


def drop_empty_unnamed(df: pd.DataFrame, unnamed: list[str]) -> pd.DataFrame:
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


def stripped(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with names and cells as text without surrounding white space; an absent cell
    (None) becomes :data:`MISSING_FIELD`. In place, column by column (by position: two names
    may strip to one), so that each column's unstripped cells are released as it is replaced:
    one column's copy at a time, not the whole frame's."""
    for i in range(df.shape[1]):
        df.isetitem(i, df.iloc[:, i].fillna(MISSING_FIELD).astype(str).str.strip())
    df.columns = [str(c).strip() for c in df.columns]
    return df


def cell_text(v) -> str:
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
    out = drop_empty_unnamed(stripped(df.map(cell_text)), unnamed)
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
    labelled = {c: {cell_text(k): str(v) for k, v in m.items()} for c, m in meta.variable_value_labels.items()}
    if value_labels and value_labels is not True:
        unknown = [c for c in value_labels if c not in df.columns]
        if unknown:
            raise InputError(
                path,
                f"`value_labels:` names {', '.join(map(repr, unknown))}, not a variable of the file",
                column=unknown[0],
            )
    out = stripped(df.map(cell_text))
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
