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

import numpy as np
import yaml

from . import yamlfile
from .errors import InputError  # noqa: F401  (re-exported for the CLI)


def read_yaml(path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = yamlfile.load(f)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InputError(path, f"not valid YAML ({getattr(e, 'problem', e)})",
                         row=(mark.line + 1) if mark else None) from None
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


def read_raw_csv(path, encoding: str = "utf-8", dictionary: bool = False, small_ints=(), texts=()) -> pd.DataFrame:
    """A raw survey CSV as strings (blank cells are ''). ``encoding`` is ``utf-8`` (a
    byte-order mark is accepted) or ``gb18030`` (covers GBK/GB2312, as Chinese survey
    platforms export). ``dictionary``: a well-formed file's columns as categoricals of
    those strings (a code column of 10^6 cells then takes 4 MB instead of 40 MB);
    ``small_ints``: columns expected to hold small integers (codes, scores), which Arrow
    then parses as one byte each (see :func:`_read_csv_typed`), and ``texts``: columns of
    many distinct texts (ids) that Arrow need not try as numbers. pandas is imported only
    once Arrow has parsed the file (a caller may import it meanwhile in another thread)."""
    p = Path(path)
    if not p.exists():
        raise InputError(path, "file not found")
    data = p.read_bytes()
    if not data or data.isspace():  # (no copy of the file, as strip() would make)
        raise InputError(path, "file is empty (no header, no rows)")
    if b"\x00" in data[:4096]:
        raise InputError(path, "binary data, not a CSV text file (UTF-16 or a spreadsheet saved as .csv?)",
                         row=data[: data.index(b"\x00")].count(b"\n") + 1)
    codec = {"utf-8": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}.get(encoding.lower())
    if codec is None:
        raise InputError(path, f"unknown encoding {encoding!r} (use utf-8 or gb18030)")
    fast = _read_csv_arrow(data, codec, dictionary, small_ints, texts)
    if fast is not None:
        return fast
    import pandas as pd

    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        hint = " (set `encoding: gb18030` for the wave in config.yaml if it comes from a Chinese survey platform)" \
            if codec != "gb18030" else ""
        raise InputError(path, f"not {encoding} text: byte {e.start} cannot be decoded{hint}", row=line) from None
    try:
        df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+)", str(e))
        raise InputError(path, f"malformed CSV ({str(e).strip()})", row=int(m.group(1)) if m else None) from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "file is empty (no header, no rows)") from None
    # rows with fewer fields than the header (a file cut short): mark the absent cells
    import csv

    try:  # line ends as pandas reads them: \n, \r\n and a lone \r
        widths = [len(r) for r in csv.reader(_io.StringIO(text, newline="")) if r]
    except csv.Error:
        widths = []
    short = [(i, w) for i, w in enumerate(widths[1:]) if w < df.shape[1]]
    if short and len(widths) - 1 == len(df):
        df = df.astype(object)
        for i, w in short:
            df.iloc[i, w:] = None
    return _strip(df)


# What the columnar reader leaves to the general one: a quote after blanks that follow a
# delimiter (``skipinitialspace`` makes it a quoted field), a line of blanks only (pandas
# skips it), a carriage return not followed by a line feed (old Mac line ends, which pandas
# reads its own way). Rows of the wrong width, bytes that are not the encoding, duplicated
# or empty header names make the columnar reader fail or differ, and go to the general
# reader too, which gives them their messages.
_GENERAL_ONLY = re.compile(rb'[,\n][ \t]+"|\n[ \t]+\r?\n')


def _read_csv_arrow(data: bytes, codec: str, dictionary: bool = False, small_ints=(), texts=()) -> pd.DataFrame | None:
    """A well-formed CSV read column by column with Arrow (about 20 times faster than the
    general reader at 10^6 rows): every cell a string, stripped of surrounding white space
    (Arrow's ``utf8_trim_whitespace`` strips exactly what Python's ``str.strip`` does, tested),
    in pandas' Arrow-backed string dtype, the same frame :func:`read_raw_csv` gives. ``None``
    when the file needs the general reader (see ``_GENERAL_ONLY``)."""
    import csv

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    if codec == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if codec == "gb18030":
        try:
            data = data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            return None
    # (a search for one byte is a memchr: ten times faster here than for the pair "\n "; a
    # line of blanks only is one field, which Arrow rejects in a file of two or more columns)
    first = data[: data.find(b"\n")] if b"\n" in data else data
    if (b'"' in data or b"," not in first and (b"\n " in data or b"\n\t" in data)) and _GENERAL_ONLY.search(data):
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):  # a lone \r: pandas' own line rules
        return None
    try:
        names = next(csv.reader([first.decode("utf-8").rstrip("\r")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    stripped = [n.strip() for n in names]
    if b'"' in first or len(set(names)) < len(names) or "" in stripped \
            or len(set(stripped)) < len(stripped):
        return None
    if dictionary:
        typed = _read_csv_typed(data, names, stripped, small_ints, texts)
        if typed is not None:
            return typed
    kind = pa.dictionary(pa.int32(), pa.large_string()) if dictionary else pa.large_string()
    try:
        table = pcsv.read_csv(
            pa.py_buffer(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(newlines_in_values=b'"' in data),  # (faster when none can be)
            convert_options=pcsv.ConvertOptions(column_types={n: kind for n in names},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows == 0:
        return None
    ascii_only = data.isascii()
    del data
    import pandas as pd

    string = pd.StringDtype("pyarrow", na_value=float("nan"))  # pandas' own string dtype, no copy
    if dictionary:  # columns of many distinct values (ids, free text) as plain strings
        columns = [_few_as_dictionary(_trim_dictionary(c, ascii_only)) for c in table.columns]
        return pa.table(columns, names=stripped).to_pandas(
            types_mapper=lambda t: string if t == pa.large_string() else None)
    table = pa.table([pc.utf8_trim_whitespace(c) if not ascii_only or _edge_blanks(c) else c
                      for c in table.columns], names=stripped)
    return table.to_pandas(types_mapper=lambda t: string if t == pa.large_string() else None)


_POWERS_OF_TEN = 10 ** np.arange(1, 19, dtype=np.int64)
_MAX_CATEGORIES = 4096  # a column of more distinct values (ids, free text) is read as plain text


def _read_csv_typed(data: bytes, names: list[str], stripped: list[str], small_ints=(),
                    texts=()) -> pd.DataFrame | None:
    """The frame of the ``dictionary`` read (every cell's text, stripped; columns of few
    distinct values as categoricals), built from Arrow's typed read: the ``small_ints``
    columns parsed as int8, the ``texts`` columns as text (numbered ids are not parsed as
    integers only to be written back as text) and the others with inferred types (text of
    few distinct values dictionary-encoded by the reader), then every integer turned back
    into its text. Reading the code columns as one byte each instead of dictionary-
    encoded text halves the read of a 10^6-row wave (and int8 instead of inferred int64
    takes an eighth of the fresh memory, whose first touch is most of the read's time).

    An integer's text is the cell's only when the cell holds it as Python writes it
    (``str``): ``01``, `` 1``, ``0x1``, a quoted ``"1"`` or ``NA`` (read as missing) would
    parse but are longer than that text. So the read is used only when the file's size is
    exactly the header, the separators, the line ends and the text of every value: every
    cell is then as written. ``None`` (the caller reads every column as text) when it is
    not, when a value does not fit its type, or when a column is of another type than
    integer, text or empty."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    types = {n: pa.int8() for n in names if n in set(small_ints)} | \
        {n: pa.large_string() for n in names if n in set(texts)}
    try:
        table = pcsv.read_csv(
            pa.py_buffer(data), read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 23),
            parse_options=pcsv.ParseOptions(newlines_in_values=b'"' in data),
            convert_options=pcsv.ConvertOptions(column_types=types, null_values=[""],
                                                strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                auto_dict_encode=True, auto_dict_max_cardinality=_MAX_CATEGORIES))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if table.num_rows == 0:
        return None
    ascii_only = data.isascii()
    size = data.find(b"\n") + 1 if b"\n" in data else len(data)  # the header with its line end
    # one line end a row (the last may have none; a skipped empty line makes the sizes differ),
    # each a \r\n where the file has a \r (the caller read every \r as the start of a \r\n)
    line_ends = table.num_rows - (not data.endswith(b"\n"))
    size += line_ends * (2 if b"\r" in data else 1)
    size += table.num_rows * (table.num_columns - 1)  # (the separators)
    columns = []
    for column in table.columns:
        if pa.types.is_int8(column.type) or pa.types.is_int64(column.type):
            text_bytes, column = _int_text(column)
            if column is None:
                return None
        elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            text_bytes = pc.sum(pc.binary_length(column)).as_py() or 0
            column = pc.cast(column, pa.large_string())
            if not ascii_only or _edge_blanks(column):  # stripped as str.strip strips
                column = pc.utf8_trim_whitespace(column)
            column = _few_as_dictionary(column)
        elif pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type):
            # text of few distinct values, encoded by the reader in its threads (each chunk's
            # values in order of appearance, as dictionary_encode gives them)
            if column.null_count:
                return None
            text_bytes, chunks = 0, []
            for chunk in column.chunks:
                words = pc.cast(chunk.dictionary, pa.large_string())
                lengths = pc.binary_length(words).to_numpy(zero_copy_only=False)
                uses = np.bincount(chunk.indices.to_numpy(), minlength=len(lengths))
                text_bytes += int(uses @ lengths)
                chunks.append(pa.DictionaryArray.from_arrays(chunk.indices, words))
            column = _trim_dictionary(pa.chunked_array(chunks, pa.dictionary(pa.int32(), pa.large_string())),
                                      ascii_only)
        elif pa.types.is_null(column.type):  # every cell empty
            text_bytes = 0
            column = pa.DictionaryArray.from_arrays(pa.array(np.zeros(len(column), np.int8)),
                                                    pa.array([""], pa.large_string()))
        else:
            return None
        size += text_bytes
        columns.append(column)
    if size != len(data):
        return None
    import pandas as pd

    string = pd.StringDtype("pyarrow", na_value=float("nan"))
    return pa.table(columns, names=stripped).to_pandas(
        types_mapper=lambda t: string if t == pa.large_string() else None)


def _int_text(column):
    """An integer column (nulls for empty cells) as (the bytes of its values' text, the
    column as that text: a dictionary array when its values span at most ``_MAX_CATEGORIES`` integers,
    else large strings; empty cells as ''), or ``(0, None)`` for int64's minimum, whose
    text is not computed here."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mm = pc.min_max(column).as_py()
    lo, hi = mm["min"], mm["max"]
    if lo is None:  # every cell empty
        lo = hi = 0
    if lo == np.iinfo(np.int64).min:
        return 0, None
    if 0 <= lo and hi <= 9:
        n_text = len(column) - column.null_count
    else:
        n_text = 0
        for chunk in column.chunks:
            v = chunk.drop_null().to_numpy().astype(np.int64)
            n_text += int(np.searchsorted(_POWERS_OF_TEN, np.abs(v), side="right").sum()) + len(v) + int((v < 0).sum())
    if pa.types.is_int8(column.type) and 0 <= lo and hi < 127:  # the values are their own codes
        words = pa.array([str(k) for k in range(hi + 1)] + [""], pa.large_string())
        gap = pa.scalar(hi + 1, pa.int8())
        chunks = [pa.DictionaryArray.from_arrays(pc.fill_null(c, gap) if c.null_count else c, words)
                  for c in column.chunks]
        return n_text, pa.chunked_array(chunks, pa.dictionary(pa.int8(), pa.large_string()))
    if hi - lo < _MAX_CATEGORIES:
        index = pa.int8() if hi - lo < 127 else pa.int16()
        words = pa.array([str(k) for k in range(lo, hi + 1)] + [""], pa.large_string())
        chunks = [pa.DictionaryArray.from_arrays(
            pc.cast(pc.subtract(pc.fill_null(pc.cast(chunk, pa.int64()), hi + 1), pa.scalar(lo, pa.int64())), index),
            words) for chunk in column.chunks]
        return n_text, pa.chunked_array(chunks, pa.dictionary(index, pa.large_string()))
    return n_text, pc.fill_null(pc.cast(column, pa.large_string()), "")


def _few_as_dictionary(column):
    """A text column (plain or dictionary-encoded) as a dictionary array when it has at most
    ``_MAX_CATEGORIES`` distinct values in each chunk, else as large strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type) and column.num_chunks and \
            len(pc.unique(column.chunks[0][:1 << 16])) > _MAX_CATEGORIES:
        return column  # (already too many in part of one chunk: no encoding of the rest)
    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    if max((len(c.dictionary) for c in encoded.chunks), default=0) <= _MAX_CATEGORIES:
        return encoded
    return pc.cast(column, pa.large_string()) if encoded is column else column


_ASCII_SPACE = np.zeros(256, bool)
_ASCII_SPACE[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20]] = True  # str.isspace() in ASCII


def _trim_dictionary(column, ascii_only: bool):
    """A dictionary-encoded column with its values stripped (each chunk's dictionary, not
    its cells), re-encoded where stripping makes two values equal."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = []
    for chunk in column.chunks:
        values = chunk.dictionary
        if ascii_only and not _edge_blanks(pa.chunked_array([values])):
            chunks.append(chunk)
            continue
        values = pc.utf8_trim_whitespace(values)
        if len(pc.unique(values)) < len(values):
            chunk = pc.take(values, chunk.indices).dictionary_encode()
        else:
            chunk = pa.DictionaryArray.from_arrays(chunk.indices, values)
        chunks.append(chunk)
    return pa.chunked_array(chunks, type=column.type)


def _edge_blanks(column) -> bool:
    """Whether any value of an ASCII string column begins or ends with white space, read from
    the first and last byte of each value in Arrow's buffers (no value is copied)."""
    for chunk in column.chunks:
        _, offsets, data = chunk.buffers()
        if data is None or len(chunk) == 0:
            continue
        off = np.frombuffer(offsets, np.int64)[chunk.offset: chunk.offset + len(chunk) + 1]
        vals = np.frombuffer(data, np.uint8)
        full = off[1:] > off[:-1]
        if _ASCII_SPACE[vals[off[:-1][full]]].any() or _ASCII_SPACE[vals[off[1:][full] - 1]].any():
            return True
    return False


MISSING_FIELD = "\x00missing-field"  # a cell absent because its row has too few fields


def _strip(df: pd.DataFrame) -> pd.DataFrame:
    df.columns = [str(c).strip() for c in df.columns]
    return df.apply(lambda s: s.astype(object).where(s.notna(), MISSING_FIELD).astype(str).str.strip())


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
    if df.shape[1] == 0:
        raise InputError(path, "file is empty (no header, no rows)")
    return _strip(df.map(_cell))


def read_raw_sav(path, value_labels: bool = False) -> pd.DataFrame:
    """An SPSS .sav file as strings: its codes, or its value labels where it has them."""
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=value_labels)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except Exception as e:
        raise InputError(path, f"not a readable SPSS .sav file ({type(e).__name__})") from None
    return _strip(df.map(_cell))


def read_raw(path, fmt: str | None = None, encoding: str = "utf-8", sheet: str | None = None,
             value_labels: bool = False, dictionary: bool = False, small_ints=(), texts=()) -> pd.DataFrame:
    """A raw wave in any supported format (``csv``, ``xlsx``, ``sav``; by extension when
    ``fmt`` is not given), as a table of strings (a CSV's as categoricals with ``dictionary``,
    see :func:`read_raw_csv`)."""
    fmt = (fmt or Path(path).suffix.lstrip(".") or "csv").lower()
    if fmt == "csv":
        return read_raw_csv(path, encoding, dictionary, small_ints, texts)
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
    """``df.to_csv(index=False, lineterminator="\\n")``, byte for byte; frames of integers,
    floats, booleans and text (the cleaned responses, the sensitivity draws) with many rows are
    formatted column-wise by
    :func:`csv_parts` instead of pandas' row-by-row writer."""
    body = csv_parts(df) if len(df) >= _COLUMNAR_ROWS else None
    if body is None:
        atomic(path, lambda t: df.to_csv(t, index=False, lineterminator="\n"))
    else:
        def write(t):
            with open(t, "wb") as f:
                for part in body:  # header, then the rows' bytes as they are (no copy)
                    f.write(part)
        atomic(path, write)


_COLUMNAR_ROWS = 5000
_BLOCK_BYTES = 1 << 22  # bytes of the block of padded rows csv_parts lays out at once
_NEEDS_QUOTES = '[,"\n]'  # what makes Python's csv writer (QUOTE_MINIMAL, line end \n) quote a field (not a lone \r)


def _arrow_text(arr) -> tuple:
    """An Arrow large-string array as (offsets from 0, bytes) NumPy views."""
    arr = arr.combine_chunks() if hasattr(arr, "combine_chunks") else arr
    _, offsets, data = arr.buffers()
    off = np.frombuffer(offsets, np.int64)[arr.offset: arr.offset + len(arr) + 1]
    vals = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
    return off - off[0], vals[off[0]: off[-1]]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if re.search(_NEEDS_QUOTES, text) else text


def _csv_field(values: pd.Series):
    """One column as its CSV fields, as pandas writes them, or None (a kind pandas writes):
    ``("words", codes, words)`` for a column of few distinct fields (field ``i`` is
    ``words[codes[i]]``; at most 65 words, so the codes are one byte each: a column of 10^7
    fields takes 10 MB, not 80), ``("text", offsets, bytes)`` otherwise."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype, n = values.dtype, len(values)
    if isinstance(dtype, pd.CategoricalDtype) and (dtype.categories.dtype == object
                                                   or isinstance(dtype.categories.dtype, pd.StringDtype)):
        codes = values.cat.codes.to_numpy()
        cats = dtype.categories
        if len(cats) <= 64:
            words = [_quoted(str(u)).encode() for u in cats] + [b""]
            return "words", np.where(codes < 0, len(cats), codes).astype(np.uint8), words
        values = pd.Series(pd.array(cats, dtype=pd.StringDtype("pyarrow", na_value=float("nan"))).take(
            codes, allow_fill=True))
        dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) or dtype == object:
        if dtype == object and not all(isinstance(v, str) for v in values.dropna()):
            return None
        if n <= 64 or values.iloc[:256].nunique() <= 16:  # few distinct values: as words
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            if len(uniques) <= 64:
                words = [_quoted(str(u)).encode() for u in uniques] + [b""]
                return "words", np.where(codes < 0, len(uniques), codes).astype(np.uint8), words
        arr = pa.array(values.astype(object).where(values.notna(), None).to_numpy(dtype=object)
                       if dtype == object else values.array, type=pa.large_string(), from_pandas=True)
        arr = pc.fill_null(arr, "")
        text = _arrow_text(arr)
        some = text[1].tobytes()  # (a search for one byte in all the text: no regex over every field)
        if b"," in some or b'"' in some or b"\n" in some:
            quote = pc.match_substring_regex(arr, _NEEDS_QUOTES)
            q, none = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
            quoted = pc.binary_join_element_wise(q, pc.replace_substring(arr, '"', '""'), q, none)
            text = _arrow_text(pc.if_else(quote, quoted, arr))
        return ("text", *text)
    integer = pd.api.types.is_integer_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)
    nullable = integer and isinstance(dtype, pd.api.extensions.ExtensionDtype)  # Int8 ... UInt64
    width = dtype.numpy_dtype if nullable else dtype
    if integer and width != np.uint64:
        # in the column's own width (an int8 column: one byte a cell, no int64 copy)
        v = values.array.to_numpy(dtype=width, na_value=0) if nullable else values.to_numpy()
        na = values.isna().to_numpy() if nullable and values.hasnans else None
        some = v if na is None else v[~na]
        low, high = (int(some.min()), int(some.max())) if len(some) else (0, 0)
        if high - low <= 64:  # few distinct values (codes, scores): as words
            words = [str(k).encode() for k in range(low, high + 1)] + [b""]
            codes = (v - np.array(low, width)).astype(np.uint8)  # (exact: every value lies in low..high)
            if na is not None:
                codes[na] = len(words) - 1
            return "words", codes, words
        arr = pc.cast(pa.array(v.astype(np.int64), mask=na), pa.large_string())
        return ("text", *_arrow_text(pc.fill_null(arr, "")))
    if dtype == bool:
        return "words", (~values.to_numpy()).astype(np.uint8), [b"True", b"False"]
    if dtype == np.float64:  # as pandas formats floats for CSV: NumPy's shortest repr, NaN empty
        v = values.to_numpy()
        text = v.astype(str)
        text[np.isnan(v)] = ""
        return ("text", *_arrow_text(pa.array(text, type=pa.large_string())))
    return None


def csv_parts(df: pd.DataFrame) -> list | None:
    """The bytes pandas' ``to_csv(index=False, lineterminator="\\n")`` writes (as the header
    and the rows' bytes block by block, written without joining them) for a frame whose columns are
    integers, nullable integers, floats, booleans or text, built column-wise: each column's fields
    formatted and quoted as Python's csv writer does (a column of few distinct values as a
    small table of words, others with Arrow kernels), then laid out for a block of rows at once
    (NumPy): every field at a fixed offset, padded to its column's widest field, the padding
    then dropped. ``None`` for any other frame (dates, other float widths, a single column, text
    holding a NUL byte), which pandas writes."""
    import pandas as pd
    if df.shape[1] < 2 or df.columns.duplicated().any():
        return None
    fields = []
    for c in df.columns:
        f = _csv_field(df[c])
        if f is None:
            return None
        fields.append(f)
    header = pd.DataFrame(columns=df.columns).to_csv(index=False, lineterminator="\n").encode()
    if len(df) == 0:
        return [header]
    widths, used = [], []  # used: the codes a words column holds (the rows exist: it has some)
    for kind, a, b in fields:
        used.append(np.flatnonzero(np.bincount(a, minlength=len(b))) if kind == "words" else None)
        if kind == "words":
            if any(0 in w for w in b):
                return None  # a NUL byte: the padding below could not tell it from the field
            widths.append(max(len(b[k]) for k in used[-1]))
        else:
            if (b == 0).any():
                return None
            widths.append(int(np.diff(a).max()))
    # each row laid out at fixed offsets, every field padded with NUL bytes to its column's
    # widest field and followed by its comma (the last by the line end); the NULs are then
    # dropped, leaving the fields and separators in order
    width = sum(widths) + len(widths)
    offsets = np.cumsum([0] + [w + 1 for w in widths[:-1]])
    rows = max(1, _BLOCK_BYTES // width)
    # a words column's j-th bytes: how to get them from its codes, per byte j of its slot: either
    # code + a constant (the words the column uses are single consecutive bytes, "0" to "4" say:
    # one addition) or a look-up table (its words' j-th bytes, NUL where a word is shorter)
    bytes_of = {}
    for (kind, a, b), off, w, codes in zip(fields, offsets, widths, used):
        if kind == "words":
            table = np.zeros((len(b), max(map(len, b))), np.uint8)
            for k, word in enumerate(b):
                table[k, :len(word)] = np.frombuffer(word, np.uint8)
            column = table[:codes[-1] + 1, 0].astype(np.int64) if w else None
            if w == 1 and column[0] and (column == column[0] + np.arange(len(column))).all():
                bytes_of[off] = [("add", np.uint8(column[0]))]
            else:
                bytes_of[off] = [("take", np.ascontiguousarray(table[:, j])) for j in range(w)]

    def block(lo):
        hi = min(lo + rows, len(df))
        m = hi - lo
        # filled transposed (a field's bytes for all rows are contiguous), then turned row-major
        cols = np.zeros((width, m), np.uint8)
        for (kind, a, b), off, w in zip(fields, offsets, widths):
            cols[off + w] = ord(",")
            if kind == "words":
                for j, (how, x) in enumerate(bytes_of[off]):
                    if how == "add":
                        np.add(a[lo:hi], x, out=cols[off + j])
                    else:  # (codes index the table: "clip" skips the bounds check's buffer)
                        np.take(x, a[lo:hi], out=cols[off + j], mode="clip")
            else:  # text of any width: byte by byte into its row's slot
                start, stop = a[lo], a[hi]
                at = np.arange(m, dtype=np.int64) + (off - a[lo:hi]) * m
                cols.reshape(-1)[np.repeat(at, np.diff(a[lo:hi + 1])) + np.arange(start, stop) * m] = b[start:stop]
        cols[-1] = ord("\n")
        laid = np.ascontiguousarray(cols.T)
        return laid[laid != 0]

    # the blocks are independent and NumPy's copies release the GIL: two threads lay them out
    starts = range(0, len(df), rows)
    if len(starts) == 1:
        return [header, block(0)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        return [header, *pool.map(block, starts)]


def write_json(obj, path) -> None:
    def w(t):
        with open(t, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2, sort_keys=True, ensure_ascii=False)
            f.write("\n")
    atomic(path, w)


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
    Arrow's multithreaded reader with the types given, not inferred (a 10^6-row file in a
    fresh process in about 0.5 s against pandas' 0.75 to 1 s here). Columns the file lacks
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
    arrow = {"int8": pa.int8(), "int64": pa.int64(), "bool": pa.bool_(),
             "category": pa.dictionary(pa.int32(), pa.large_string())}
    want = [c for c in header if c in kinds]
    types = {c: arrow[kinds[c]] for c in want}
    try:
        table = pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(
            column_types=types, include_columns=want, strings_can_be_null=True, null_values=[""]))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.read_csv(path, usecols=kinds.__contains__, keep_default_na=False, na_values=[""],
                           dtype={c: k for c, k in kinds.items() if k in ("int8", "category")})
    return table.to_pandas()
