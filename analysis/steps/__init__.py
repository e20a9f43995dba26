"""One module per step of the workflow: ``python -m analysis.steps.<step> --help``.

Each step reads exactly the files its Snakemake rule declares, calls the pure functions of
:mod:`analysis` and writes the rule's outputs (the rule's provenance record is written after it
by :mod:`analysis.workflow.provenance`). A fault of an input file is one line on stderr (file, row,
column) and exit status 2, without a traceback; a failed render exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from analysis.codebook import Codebook
from analysis.errors import InputError, RenderError

CODEBOOK = "the questionnaire's codebook (YAML), e.g. data/codebook.yaml"
PUBLISHED = "the article's printed numbers (YAML), e.g. data/published/li-zhang-han-2021.yaml"
COUNTERMEASURES = "countermeasure coding (YAML), e.g. data/countermeasures.yaml"
SEED = "random seed (integer >= 0)"


def step_parser(step: str, description: str, **options: str | tuple[str, str]) -> argparse.ArgumentParser:
    """The parser of ``python -m analysis.steps.<step>``: one ``--option`` per keyword (its
    underscores written as dashes); a string is the help of a required option, a pair
    ``(help, default)`` an optional one."""
    p = argparse.ArgumentParser(prog=f"python -m analysis.steps.{step}", description=description)
    for name, spec in options.items():
        help_, kw = (spec, {"required": True}) if isinstance(spec, str) else (spec[0], {"default": spec[1]})
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar=name.upper(), help=help_, **kw)
    return p


def add_sources(parser: argparse.ArgumentParser) -> None:
    """``--sources FILE...``: the project's source files (:func:`analysis.workflow.sources.source_files`)."""
    parser.add_argument(
        "--sources",
        nargs="+",
        required=True,
        metavar="FILE",
        help="the project's source files (analysis.workflow.sources.source_files)",
    )


def run_step(
    parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace], int | None], argv: list[str] | None = None
) -> int:
    """Parse ``argv`` and run the step; a fault of an input or of the render is its one message."""
    a = parser.parse_args(argv)
    arrow_allocator()
    try:
        status = run(a)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except RenderError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return status or 0


def arrow_allocator() -> None:
    """Arrow's buffers from its jemalloc pool, unless ``ARROW_DEFAULT_MEMORY_POOL`` names one or the
    wheel lacks it (``pyarrow.set_memory_pool``). The default pool, mimalloc, hands freed pages
    back to the system at once, so a step that builds a million-row column after another pays the
    kernel for the same pages again (bench/README.md)."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # (a pyarrow built without jemalloc keeps its default)
        pass


def _kinds(book: Codebook) -> dict[str, str]:
    """The typed columns of a wave's cleaned responses under ``book``: options as one byte each,
    the validity flag and the areas, the attributes as categories."""
    return {
        **dict.fromkeys(book.options["column"], "int8"),
        "ranking_valid": "bool",
        "ranking_partial": "bool",
        **dict.fromkeys(book.areas["column"], "int64"),
        **dict.fromkeys(book.attributes["column"], "category"),
    }


def read_responses(path, book: Codebook):
    """A wave's cleaned responses (responses.csv, or its Arrow twin responses.arrow, which reads
    typed and memory-mapped): options as one byte each, the validity flag and the areas, the
    attributes as categories; no statistic reads the ids."""
    from analysis import io

    kinds = _kinds(book)
    if str(path).endswith(".arrow"):
        return io.read_typed_arrow(path, kinds)
    return io.read_typed_csv(path, kinds)


def read_with_design(path, book: Codebook):
    """A weighted wave's cleaned responses (:func:`read_responses`) with its design columns
    (``design_weight``, ``design_stratum``, ``design_cluster``, where the wave has them) and ids."""
    from analysis import io

    frame = read_responses(path, book)
    design = io.read_arrow_columns(path, [book.id_column, "design_weight", "design_stratum", "design_cluster"])
    return frame.join(design)


def read_ids(path, id_column: str):
    """A wave's respondent ids (text, as written) from its cleaned responses (CSV or Arrow)."""
    from analysis import io

    read = io.read_typed_arrow if str(path).endswith(".arrow") else io.read_typed_csv
    return read(path, {id_column: "category"})[id_column].astype(str)


def read_asked_by_all(paths: list[str], books: list[Codebook], book: Codebook) -> list:
    """Each wave's responses (``paths``) in what every wave asked (``book``,
    :func:`analysis.revision.common`): a wave that split an option is read with its own codebook
    (``books``) and gets that option as the union of its parts
    (:func:`analysis.revision.with_unions`)."""
    from analysis.revision import with_unions

    out = []
    for path, own in zip(paths, books):
        if not own.revision.get("unions"):
            out.append(read_responses(path, book))
            continue
        r = with_unions(read_responses(path, own), own)
        kinds = {c: k for c, k in _kinds(book).items() if c in r.columns}
        out.append(r[list(kinds)].astype({c: k for c, k in kinds.items() if k == "int8"}))
    return out


def split(files: str) -> list[str]:
    """A comma-separated list of files (empty text: none)."""
    return [f for f in files.split(",") if f]


def per_wave(files: str, waves: list[str]) -> list[str]:
    """The comma-separated ``files``, one per wave of ``waves`` (in their order); another number
    of files is one message."""
    paths = split(files)
    if len(paths) != len(waves):
        from analysis.errors import InputError

        raise InputError(files, f"{len(paths)} files for {len(waves)} waves")
    return paths
