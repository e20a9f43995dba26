"""Step of rule ``archive``: the build as a Workflow Run RO-Crate (:mod:`analysis.workflow.archive`), a
zip holding the project's sources, every results file of the build and the rendered paper, each
with its SHA-256, the configuration's values and the jobs' provenance records."""

from __future__ import annotations

import re
import sys
import tomllib
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from analysis import io
from analysis.steps import add_sources, run_step, step_parser
from analysis.workflow.archive import Build, crate, flatten
from analysis.workflow.provenance import by_output, read_records

PARSER = step_parser(
    "archive",
    __doc__,
    effective_config="the build's configuration (JSON), results/config.effective.json",
    provenance="the folder of the jobs' provenance records, results/provenance",
    notice=(
        "the reconstruction's description (JSON), results/reconstructed/<wave>/reconstruction.json; "
        "none for a build without the article's wave",
        "",
    ),
    out="output: the crate, results/archive/microstore-risk-<version>.crate.zip",
)
add_sources(PARSER)
PARSER.add_argument(
    "--results",
    nargs="+",
    required=True,
    metavar="FILE",
    help="every file the build made: results files and the rendered paper (HTML and PDF)",
)

DATA_KEYS = ("codebook", "countermeasures", "published")  # configuration keys that name data files


def _data(config: dict) -> dict[str, str]:
    """Configuration key -> the data file it names (the codebook, the countermeasures, the
    published numbers, each wave's raw file)."""
    data = {k: config[k] for k in DATA_KEYS}
    data |= {f"waves.{w['id']}.path": w["path"] for w in config["waves"] if "path" in w}
    return data


def _software(pyproject: dict, html: str) -> dict[str, str]:
    """The versions the build ran: Python, every direct dependency, the renderer."""
    names = [re.split("[=<>]", d)[0] for d in pyproject["project"]["dependencies"]]
    out = {"python": sys.version.split()[0], **{n: metadata.version(n) for n in names}}
    m = re.search(r'<meta name="generator" content="([^"]+)"', html)
    if m:
        out["renderer"] = m.group(1)
    return out


def _when(paths: list[str]) -> tuple[str, str]:
    """The first and the last modification of ``paths`` (UTC, ISO 8601): the build's span."""
    times = sorted(Path(p).stat().st_mtime for p in paths)
    iso = [datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds") for t in (times[0], times[-1])]
    return iso[0], iso[1]


def _records(results: list[str], made_by: dict[str, dict]) -> list[dict]:
    """The provenance record of every file in ``results``, each once."""
    missing = [f for f in results if f not in made_by]
    if missing:
        raise io.InputError(missing[0], "no provenance record of this file: rebuild with `make paper`")
    recs = {tuple(sorted(made_by[f]["outputs"])): made_by[f] for f in results}
    return [recs[k] for k in sorted(recs)]


SOURCES_LIST = "results/sources.sha256"  # rule about's checksums of the sources (sha256sum format)


def _checksums(sources: list[str], results: list[str], made_by: dict[str, dict]) -> dict[str, str]:
    """The SHA-256 of every source and results file, as the build recorded them: each source's from
    rule about's list (``results/sources.sha256``), each results file's from the provenance record
    of the job that wrote it. A file is hashed once, by the job that made it or rule about."""
    listed = dict(
        reversed(line.split(None, 1)) for line in Path(SOURCES_LIST).read_text(encoding="utf-8").splitlines() if line
    )
    missing = [f for f in sources if f not in listed]
    if missing:
        raise io.InputError(SOURCES_LIST, f"{missing[0]} is not listed: rebuild with `make paper`")
    return {**{f: listed[f] for f in sources}, **{f: made_by[f]["outputs"][f] for f in results}}


def run(a) -> None:
    config = io.read_json(a.effective_config)
    pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    results = sorted(a.results)
    made_by = by_output(read_records(Path(a.provenance)))
    records = _records(results, made_by)
    outside = sorted({f for r in records for f in [*r["inputs"], *r["code"]]} - {*a.sources, *results})
    if outside:
        raise io.InputError(
            outside[0],
            "read by the build but not one of the project's files (outside its folder, "
            "or ignored by .gitignore), so the crate cannot hold it: move it into the "
            "project",
        )
    notices = {}
    if a.notice:  # the article's wave: its data folder holds reconstructed data, and says so
        wave = config["reconstruction"]["wave"]
        folder = next(str(Path(w["path"]).parent) for w in config["waves"] if w["id"] == wave)
        notices[folder] = io.read_json(a.notice)["note"]
    start, end = _when(results)
    data = _data(config)
    build = Build(
        version=pyproject["project"]["version"],
        licence=pyproject["project"]["license"]["text"],
        authors=[a["name"] for a in config["report"]["authors"]],
        sources=sorted(a.sources),
        data=data,
        parameters={k: v for k, v in flatten(config).items() if k not in data},
        results=results,
        records=records,
        sha256=_checksums(sorted(a.sources), results, made_by),
        software=_software(
            pyproject, Path(next(f for f in results if f.endswith(".html"))).read_text(encoding="utf-8")
        ),
        start=start,
        end=end,
        notices=notices,
    )
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    crate(build, Path(".")).write_zip(a.out)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
