"""The user's commands: ``wave-init`` (a ready ``waves:`` entry for a survey platform's export)
and ``simulate`` (a simulated wave, for demos and tests). The workflow's steps are
:mod:`analysis.steps`. A fault of an input file is one line on stderr (file, row, column) and
exit status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import sys

from analysis import io
from analysis.survey import raw_files

CODEBOOK = "the questionnaire's codebook (YAML); default data/codebook.yaml"


def cmd_wave_init(a):
    """Print a ready `waves:` entry for an export (stdout) and what was found (stderr); when
    required columns are not found, only the messages (stderr) and exit status 1."""
    from pathlib import Path

    from analysis.survey.waveinit import propose, suggested_id, to_yaml

    book = io.read_codebook(a.codebook)
    ext = Path(a.file).suffix.lstrip(".").lower() or "csv"
    if not Path(a.file).is_file():
        raise io.InputError(a.file, "file not found")
    enc = raw_files.detect_encoding(a.file) if ext == "csv" else None
    sheet = None
    if ext == "xlsx":
        sizes = raw_files.sheets(a.file)
        names = list(sizes)
        if len(names) > 1:  # the sheet with the most cells holds the questionnaires
            sheet = max(names, key=lambda n: sizes[n])
    raw = raw_files.read_raw(a.file, ext, enc or "utf-8", sheet)
    p = propose(raw, book, ext, enc)
    if sheet and sheet != names[0]:
        p.entry = {"sheet": sheet, **p.entry}
        p.comments["sheet"] = f"the largest of the sheets {', '.join(names)}"
    mapped = len(p.entry.get("columns", {}))
    known = book.targets
    named = sum(1 for c in raw.columns if c in known and c not in p.entry.get("columns", {}))
    print(
        f"wave-init: {a.file}: {len(raw.columns)} columns, "
        + (f"{named} named as in the codebook, " if named else "")
        + f"{mapped} mapped to the codebook"
        + (f", could not place {', '.join(p.unplaced)} (listed under ignore)" if p.unplaced else ""),
        file=sys.stderr,
    )
    for key, value in p.entry.items():  # every decision with its evidence
        if key != "columns":
            print(
                f"wave-init: {key}: {value}" + (f" ({p.comments[key]})" if key in p.comments else ""), file=sys.stderr
            )
    for what in p.unsettled:
        print(f"wave-init: the data cannot settle {what}: check it against the questionnaire", file=sys.stderr)
    if p.missing:  # nothing on stdout: `wave-init FILE >> config.yaml` appends no broken entry
        print(
            f"wave-init: no column found for {', '.join(p.missing)}: no entry written; map them under `columns` "
            "(or declare them dropped under `revision:`) in an entry of your own",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(to_yaml(p, a.id or suggested_id(a.file), a.file, a.label))
    return 0


def cmd_simulate(a):
    from analysis.survey.simulate import simulate

    if bool(a.spec) == bool(a.spec_file):
        raise io.InputError(
            "simulate", "give the simulation as --spec (JSON text) or --spec-file (a JSON file), one of them"
        )
    spec = _simulate_spec(a.spec if a.spec else _read_text(a.spec_file), "--spec" if a.spec else a.spec_file)
    raw = simulate(
        io.read_codebook(a.codebook),
        int(spec["n"]),
        int(spec["seed"]),
        spec.get("shares"),
        spec.get("worths"),
        int(spec.get("id_start", 1)),
        bool(spec.get("attributes", False)),
        float(spec.get("invalid_share", 0.0)),
        compact=a.shape == "codebook",
        id_prefix=str(spec.get("id_prefix", "")),
        design=spec.get("design"),
    )
    if a.shape == "codebook":
        io.write_csv(raw, a.out)
        return
    from analysis.survey import exports

    exp = exports.export(raw, io.read_codebook(a.codebook), a.shape)
    exports.write(exp, a.out)
    print(
        f"simulate: wrote {a.out} as a {a.shape} export; `python -m analysis.cli wave-init {a.out}` writes its "
        "waves: entry",
        file=sys.stderr,
    )


def _read_text(path) -> str:
    from pathlib import Path

    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise io.InputError(path, "file not found") from None


def _simulate_spec(text: str, where: str = "--spec") -> dict:
    """``--spec`` (or the file ``where``) parsed and checked against the config schema's ``simulate`` entry (the same
    keys and limits as a simulated wave in config.yaml); a mistake is one :class:`io.InputError`."""
    import json
    from pathlib import Path

    from analysis.workflow.configcheck import key_path, read_config_text, schema_problems

    try:
        spec = json.loads(text)
    except json.JSONDecodeError as e:
        raise io.InputError(where, f"not valid JSON: {e.msg} at column {e.colno}") from None
    schema = read_config_text(Path(__file__).resolve().parents[1] / "schemas/config.schema.yaml")
    sub = schema["properties"]["waves"]["items"]["properties"]["simulate"]
    if not isinstance(spec, dict):
        raise io.InputError(where, 'must be a JSON object such as {"n": 300, "seed": 1}')
    problems = schema_problems(spec, sub, top="a simulation spec")
    if problems:
        raise io.InputError(
            where, "; ".join((f"{key_path(pr.path)}: " if pr.path else "") + pr.message for pr in problems)
        )
    return spec


SPEC = (
    "JSON object: n (respondents, >= 1) and seed (>= 0) required; optional id_start (>= 1), id_prefix (text "
    "before each id number, e.g. R_), shares ({column: probability}), worths ({area: worth > 0}), attributes "
    '(true/false), invalid_share (0 to 1), design ({"strata": S, "clusters": C per stratum, "weight_cv": cv}: adds the columns stratum, psu and weight); e.g. \'{"n": 300, "seed": 1}\'; or give --spec-file'
)


def _parser() -> argparse.ArgumentParser:
    from analysis.survey.exports import SHAPES

    p = argparse.ArgumentParser(
        prog="python -m analysis.cli", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND", title="commands")
    s = sub.add_parser(
        "wave-init",
        help="print a ready `waves:` entry for a survey platform's export",
        description="Read an export (CSV, .xlsx, .sav) and print a `waves:` entry for config.yaml "
        "(stdout; messages on stderr): e.g. python -m analysis.cli wave-init "
        "data/raw/2026/export.csv --id 2026 >> config.yaml",
    )
    s.add_argument("file", metavar="FILE", help="the export, relative to the project root")
    s.add_argument(
        "--id",
        help="the wave's id (default: the file's folder, data/raw/2026/export.csv: 2026; "
        "in a generic folder such as raw or data, a date in the file's name, else its name)",
    )
    s.add_argument("--label", help="the wave's label in the paper")
    s.add_argument("--codebook", default="data/codebook.yaml", metavar="CODEBOOK", help=CODEBOOK)
    s.set_defaults(fn=cmd_wave_init)
    s = sub.add_parser(
        "simulate",
        help="write a simulated survey wave (for demos and tests)",
        description="write a simulated survey wave (for demos and tests)",
    )
    s.add_argument("--spec", default="", metavar="SPEC", help=SPEC)
    s.add_argument(
        "--spec-file",
        dest="spec_file",
        default="",
        metavar="SPEC_FILE",
        help="a JSON file holding the spec (as rule simulation_spec writes it); instead of --spec",
    )
    s.add_argument("--codebook", default="data/codebook.yaml", metavar="CODEBOOK", help=CODEBOOK)
    s.add_argument("--out", required=True, metavar="OUT", help="output file")
    s.add_argument(
        "--shape",
        default="codebook",
        choices=list(SHAPES),
        metavar="SHAPE",
        help="the file's export shape (analysis/survey/exports.py): codebook (the codebook's columns and "
        "coding), or a platform's layout and coding (" + ", ".join(SHAPES) + "); default codebook",
    )
    s.set_defaults(fn=cmd_simulate)
    return p


def main(argv=None) -> int:
    p = _parser()
    a = p.parse_args(argv)
    if a.cmd is None:
        p.print_help(sys.stderr)
        print("\nerror: choose a command (python -m analysis.cli COMMAND --help describes one)", file=sys.stderr)
        return 2
    try:
        status = a.fn(a)
    except io.InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
