"""Step of rule ``about``: what the paper says of the software that made it. ``results/sources.sha256``
lists the SHA-256 of every source file (``sha256sum``'s format, so ``sha256sum -c`` checks a copy), and
``results/about.json`` gives the project's version and licence (``pyproject.toml``), the software's
title and authors (``CITATION.cff``) and the sources' identifier: the SHA-256 of that list, the same
in any copy that holds the same sources, an unpacked archive included."""

from __future__ import annotations

import hashlib
import sys
import tomllib
from pathlib import Path

from analysis import io
from analysis.steps import add_sources, run_step, step_parser
from analysis.workflow.provenance import sha256

PARSER = step_parser(
    "about",
    __doc__,
    pyproject="the project's pyproject.toml",
    citation="the project's CITATION.cff",
    checksums="output: the sources' checksums, results/sources.sha256",
    out="output: the facts (JSON), results/about.json",
)
add_sources(PARSER)


def checksums(files: list[str]) -> str:
    """``sha256sum``'s lines for ``files``, in sorted order."""
    return "".join(f"{sha256(f)}  {f}\n" for f in sorted(files))


def run(a) -> None:
    listing = checksums(a.sources)
    project = tomllib.loads(Path(a.pyproject).read_text(encoding="utf-8"))["project"]
    cff = io.read_yaml(a.citation)
    about = {
        "version": project["version"],
        "licence": project["license"]["text"],
        "title": cff["title"],
        "authors": [p.get("name") or f"{p['family-names']}, {p['given-names']}" for p in cff["authors"]],
        "sources": len(a.sources),
        "sources_sha256": hashlib.sha256(listing.encode()).hexdigest(),
    }
    io.write_text(listing, a.checksums)
    io.write_json(about, a.out)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
