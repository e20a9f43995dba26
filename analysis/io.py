"""File input and output. Nothing here computes a statistic.

Writes are atomic (temporary file, then rename) and deterministic (fixed column order,
``\\n`` line ends, shortest float repr), so an interrupted build leaves no partial file
and two builds give byte-identical results.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from .errors import InputError  # noqa: F401  (re-exported for the CLI)


def read_yaml(path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InputError(path, f"not valid YAML ({getattr(e, 'problem', e)})",
                         row=(mark.line + 1) if mark else None) from None
    if not isinstance(doc, dict):
        raise InputError(path, "expected a YAML mapping at the top level")
    return doc


def read_raw_csv(path) -> pd.DataFrame:
    """A raw survey file as strings (blank cells are ''), header checked for emptiness.

    Accepts UTF-8 with or without a byte-order mark.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(path, "file not found")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(path, "file is empty (no header, no rows)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(path, "not UTF-8 text (byte %d cannot be decoded)" % e.start, row=line) from None
    if "\x00" in text:
        raise InputError(path, "binary data, not a CSV file", row=text[: text.index("\x00")].count("\n") + 1)
    import io as _io
    try:
        df = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.ParserError as e:
        raise InputError(path, f"malformed CSV ({str(e).strip()})") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df.apply(lambda s: s.str.strip())


def _atomic(path, write) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_csv(df: pd.DataFrame, path) -> None:
    _atomic(path, lambda t: df.to_csv(t, index=False, lineterminator="\n"))


def write_json(obj, path) -> None:
    def w(t):
        with open(t, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2, sort_keys=True, ensure_ascii=False)
            f.write("\n")
    _atomic(path, w)


def write_text(text: str, path) -> None:
    def w(t):
        with open(t, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    _atomic(path, w)


def read_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=True)
