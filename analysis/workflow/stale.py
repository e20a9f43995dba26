"""Results of waves that are no longer configured (a wave removed from config.yaml or renamed):
``results/<id>/`` of a former wave, ``results/waves/`` once fewer than two waves remain and its
trend files once fewer than three do; the article's results and paper once the configuration has
no article's wave (no ``reconstruction:``), and the survey paper once it has. Snakemake never deletes what no rule makes any more, so
the workflow's ``onstart`` handler removes them (standard library only: it runs in Snakemake's
own Python)."""

from __future__ import annotations

import shutil
from pathlib import Path

TRENDS = ("trends.csv", "shares.csv", "figures/trends.png")
# what rules/article.smk writes under results/ (the article's wave's own folder aside)
ARTICLE = (
    "reproduction.csv",
    "audit.csv",
    "identification.csv",
    "pairwise.csv",
    "priorities.csv",
    "classification.csv",
    "sensitivity",
    "reconstructed",
    "figures",
)
# report/<stem>.qmd of each paper, with the documents rendered beside it (analysis/workflow/document.py)
DOCUMENTS = {"paper": ("paper", "supplement"), "survey": ("survey",)}


def stale(results: Path, waves: list[str], document: str = "paper", output: Path | None = None) -> list[Path]:
    """What in ``results`` belongs to waves not in ``waves``: a folder holding a wave's layout
    (``layout.json``, which every wave's first job writes) under another id, the comparison of
    waves with fewer than two waves and the trends with fewer than three; with ``document``
    ``survey`` (no article's wave), the article's results; in ``output`` (the renderers' folder),
    the HTML and PDF of documents the build no longer renders."""
    out = []
    if document != "paper":
        out += [results / f for f in ARTICLE if (results / f).exists()]
    if output is not None:
        out += [
            output / f"{d}.{x}"
            for d in sorted({d for ds in DOCUMENTS.values() for d in ds})
            if d not in DOCUMENTS[document]
            for x in ("html", "pdf")
            if (output / f"{d}.{x}").is_file()
        ]
    if results.is_dir():
        out += sorted(
            d for d in results.iterdir() if d.is_dir() and (d / "layout.json").is_file() and d.name not in waves
        )
    across = results / "waves"
    if across.is_dir() and len(waves) < 2:
        out.append(across)
    elif across.is_dir() and len(waves) < 3:
        out += [across / f for f in TRENDS if (across / f).is_file()]
    return out


def remove_stale(results: Path, waves: list[str], document: str = "paper", output: Path | None = None) -> list[str]:
    """Remove :func:`stale` paths; one line for the build's output per path removed."""
    lines = []
    for p in stale(results, waves, document, output):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
        lines.append(
            f"note: removed {p.as_posix()}{'/' if p.suffix == '' else ''}: it belongs to a wave no longer "
            "in the configuration (or to a comparison of more waves than it has, or to the article's wave)"
        )
    return lines
