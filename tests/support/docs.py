"""The results table of the docs: which files a build writes and the documented pattern of each."""

import re

import pandas as pd

from ..conftest import ROOT

DOC = (ROOT / "docs/results.md").read_text(encoding="utf-8")


def doc_rows() -> dict[str, str]:
    """Documented file pattern (relative to results/) -> its table row."""
    rows, base = {}, ""
    for line in DOC.splitlines():
        head = re.match(r"^## .*?`results/([^`]*)`", line)
        if head:
            base = head.group(1).replace("<wave>/", "<wave>/") if "<wave>" in head.group(1) else ""
        elif line.startswith("## "):
            base = ""
        cell = re.match(r"^\| (.*?) \[", line)
        if cell:
            for name in re.findall(r"`([^`]+)`", cell.group(1)):
                rows[(base if not name.startswith(("waves/",)) else "") + name] = line
    return rows


def pattern(rel: str, waves: list[str]) -> str:
    """A results path as docs/results.md names it: wave ids, chunk numbers, figure names and
    provenance keys replaced by their placeholders; logs and benchmarks by their folder."""
    parts = rel.split("/")
    if parts[0] in ("logs", "benchmarks"):
        return parts[0] + "/"
    if parts[0] in waves:
        parts[0] = "<wave>"
    if parts[0] in ("reconstructed", "simulated") and len(parts) == 3:
        parts[1] = "<wave>"
    rel = "/".join(parts)
    rel = re.sub(r"sensitivity/(chunk|design)-\d+\.csv$", r"sensitivity/\1-<i>.csv", rel)
    rel = re.sub(r"^<wave>/figures/[\w-]+\.png$", "<wave>/figures/<name>.png", rel)
    rel = re.sub(r"^archive/microstore-risk-[\w.]+\.crate\.zip$", "archive/microstore-risk-<version>.crate.zip", rel)
    return re.sub(r"^provenance/.*\.json$", "provenance/<rule>-<id>.json", rel)


def undocumented(root, waves: list[str]) -> list[str]:
    rows, missing = doc_rows(), []
    for f in sorted((root / "results").rglob("*")):
        if not f.is_file() or f.name.endswith(".partial"):
            continue
        rel = f.relative_to(root / "results").as_posix()
        key = pattern(rel, waves)
        row = rows.get(key)
        if row is None:
            missing.append(f"{rel} (as {key})")
        elif f.suffix == ".csv" and not key.startswith(
            ("sensitivity/chunk", "reconstructed/", "simulated/", "<wave>/responses")
        ):
            cols = pd.read_csv(f, nrows=0).columns
            missing += [f"{rel}: column {c}" for c in cols if f"`{c}`" not in row]
    return missing
