"""Thin entry points for the Snakemake rules: read inputs, call one pure function, write outputs.

Every command reports a fault of an input file as one line (file, row, column, rule)
on stderr and exits with status 2, without a traceback; a failed render exits with status 1.
Each rule's provenance record is written after its command by analysis.provenance.
"""

from __future__ import annotations

import argparse
import sys

from . import codebook as cb
from . import io
from .errors import RenderError


def _codebook(a):
    return io.read_yaml(a.codebook)


def cmd_reconstruct(a):
    from .published import published_table
    from .reconstruct import reconstruct_wave

    pub = published_table(io.read_yaml(a.published))
    invalid = dict(kv.split("=") for kv in a.invalid.split(","))
    raw, info = reconstruct_wave(pub, _codebook(a), a.seed, {k: int(v) for k, v in invalid.items()})
    info["note"] = "RECONSTRUCTED data, not the article's original responses"
    io.write_csv(raw, a.out)
    io.write_json(info, a.info)


def cmd_clean(a):
    from .readers import WaveFormat, to_canonical

    code = _codebook(a)
    fmt = WaveFormat.from_entry(io.read_json(a.wave) if a.wave else {})
    raw = io.read_raw(a.raw, fmt.format, fmt.encoding, fmt.sheet, fmt.value_labels)
    for note in raw.attrs.get("notes", []):
        print(f"note: {a.raw}: {note}", file=sys.stderr)
    # messages name the sheet a workbook of several was read from
    where = f"{a.raw}, sheet {raw.attrs['sheet']!r}" if raw.attrs.get("sheet") else a.raw
    from .clean import clean, flow

    c = to_canonical(raw, fmt, code, where)
    prior, idc = set(), code["id_column"]
    for f in filter(None, a.prior.split(",")):
        prior |= set(io.read_csv(f, dtype={idc: str}, columns=[idc])[idc])
    n_read = len(c.frame)
    responses, exclusions = clean(c.frame, code, where, prior, c.problems, c.first_row, c.source)
    del raw, c  # the raw cells are not needed for writing
    io.write_csv(responses, a.responses)
    if a.responses_arrow:
        io.write_arrow(responses, a.responses_arrow)
    io.write_csv(exclusions, a.exclusions)
    io.write_csv(flow(n_read, exclusions), a.flow)


def cmd_wave_init(a):
    """Print a ready `waves:` entry for an export (stdout) and what was found (stderr)."""
    from pathlib import Path

    from .waveinit import propose, suggested_id, to_yaml

    code = _codebook(a)
    ext = Path(a.file).suffix.lstrip(".").lower() or "csv"
    if not Path(a.file).is_file():
        raise io.InputError(a.file, "file not found")
    enc = io.detect_encoding(a.file) if ext == "csv" else None
    sheet = None
    if ext == "xlsx":
        sizes = io.sheets(a.file)
        names = list(sizes)
        if len(names) > 1:  # the sheet with the most cells holds the questionnaires
            sheet = max(names, key=lambda n: sizes[n])
    raw = io.read_raw(a.file, ext, enc or "utf-8", sheet)
    p = propose(raw, code, ext, enc)
    if sheet and sheet != names[0]:
        p.entry = {"sheet": sheet, **p.entry}
        p.comments["sheet"] = f"the largest of the sheets {', '.join(names)}"
    sys.stdout.write(to_yaml(p, a.id or suggested_id(a.file), a.file, a.label))
    placed = len(p.entry.get("columns", {}))
    print(f"wave-init: {a.file}: {len(raw.columns)} columns, {placed} mapped to the codebook"
          + (f", could not place {', '.join(p.unplaced)} (listed under ignore)" if p.unplaced else ""),
          file=sys.stderr)
    if p.missing:
        print(f"wave-init: no column found for {', '.join(p.missing)}: add them under `columns` before building",
              file=sys.stderr)
        return 1
    return 0


# Fewest valid rankings the ranking statistics need (a standard deviation, Friedman's test).
MIN_VALID_RANKINGS = 2


def _read_responses(path, code, *parts):
    """The columns of responses.csv a step uses (``options``, ``ranking``: the validity
    flag and the areas, ``attributes``; one a file lacks is simply not read; no statistic
    reads the ids), the 0/1 selections as one byte each (every statistic converts them to
    int or float first)."""
    kinds = {}
    if "options" in parts:
        kinds |= dict.fromkeys(cb.options(code)["column"], "int8")
    if "ranking" in parts:
        kinds |= {"ranking_valid": "bool", **dict.fromkeys(cb.areas(code)["column"], "int64")}
    if "attributes" in parts:
        kinds |= dict.fromkeys(cb.attributes(code)["column"], "category")
    if str(path).endswith(".arrow"):  # the Arrow twin clean writes beside the CSV
        return io.read_typed_arrow(path, kinds)
    return io.read_typed_csv(path, kinds)


def _ranking_responses(path, code, *parts):
    """A wave's cleaned responses for the ranking statistics (the ``parts`` of
    :func:`_read_responses`); a wave with too few valid rankings stops with one message
    (:func:`analysis.clean.ranking_shortfall`)."""
    from pathlib import Path

    from .clean import ranking_shortfall

    wave_dir = Path(path).parent
    problem = ranking_shortfall(io.read_csv(wave_dir / "flow.csv"), wave_dir.name, MIN_VALID_RANKINGS)
    if problem:
        raise io.InputError(wave_dir.as_posix(), f"{problem}; every exclusion is listed in "
                                                 f"{(wave_dir / 'exclusions.csv').as_posix()}")
    return _read_responses(path, code, *parts)


# Each per-wave statistic as "compute from the cleaned responses, write its files": the commands
# below read a wave's responses.csv and call one of these; `statistics` reads it once and calls all.

def _write_describe(r, code, table1, distribution) -> None:
    from .ranking import describe, score_distribution

    io.write_csv(describe(r, code), table1)
    io.write_csv(score_distribution(r, code), distribution)


def _write_multiresponse(responses, code, out):
    """Writes and returns the multiple-response table (`infer` builds its intervals on it)."""
    from .multiresponse import frequencies

    mr = frequencies(responses, code)
    io.write_csv(mr, out)
    return mr


def _write_countermeasures(responses, code, countermeasures, bootstrap, seed, outdir) -> None:
    from pathlib import Path

    from .countermeasures import coverage, gaps, priorities

    cm = io.read_yaml(countermeasures)
    try:
        risks, cms = priorities(responses, code, cm, int(bootstrap), int(seed))
    except ValueError as e:
        raise io.InputError(countermeasures, str(e)) from None
    out = Path(outdir)
    io.write_csv(risks, out / "risks.csv")
    io.write_csv(cms, out / "countermeasures.csv")
    io.write_csv(coverage(risks, cm), out / "coverage.csv")
    io.write_csv(gaps(risks, cm), out / "gaps.csv")


def _write_breakdown(responses, code, out) -> None:
    from .breakdown import breakdown

    io.write_csv(breakdown(responses, code), out)


def _write_infer_options(responses, code, outdir, mr=None) -> None:
    """The multiple-response part of `infer`: Wilson intervals (on ``mr``, the table of
    :func:`analysis.multiresponse.frequencies`, computed here when not given), Cochran's Q,
    McNemar tests."""
    from pathlib import Path

    from . import inference as inf
    from .multiresponse import frequencies

    out = Path(outdir)
    io.write_csv(inf.mr_intervals(frequencies(responses, code) if mr is None else mr), out / "mr_intervals.csv")
    cochran, pairwise = inf.mr_test_tables(responses, code)
    io.write_csv(cochran, out / "cochran.csv")
    io.write_csv(pairwise, out / "mr_pairwise.csv")


def _write_infer_rankings(r, code, outdir, bootstrap, pl_bootstrap, seed) -> None:
    """The ranking part of `infer`: Friedman, post-hoc, 3.2-rule, first choices, Plackett-Luce."""
    from pathlib import Path

    from . import inference as inf

    out = Path(outdir)
    io.write_csv(inf.friedman(r, code), out / "friedman.csv")
    io.write_csv(inf.posthoc(r, code), out / "posthoc.csv")
    io.write_csv(inf.threshold_tests(r, code, int(bootstrap), int(seed)), out / "threshold.csv")
    io.write_csv(inf.first_choice(r, code), out / "first_choice.csv")
    io.write_csv(inf.plackett_luce(r, code, int(pl_bootstrap), int(seed)), out / "plackett_luce.csv")


def cmd_statistics(a):
    """Every per-wave statistic from one read of the wave's cleaned responses (rule
    `statistics`): the files of `describe`, `multiresponse`, `infer`, `countermeasures` and
    `breakdown`, byte for byte what those commands write (tests/test_small_waves.py)."""
    from .clean import valid_rankings

    code = _codebook(a)
    responses = _ranking_responses(a.responses, code, "options", "ranking", "attributes")
    r = valid_rankings(responses, code)
    _write_describe(r, code, a.table1, a.distribution)
    mr = _write_multiresponse(responses, code, a.mr)
    _write_countermeasures(responses, code, a.countermeasures, a.priority_bootstrap, a.seed, a.countermeasures_outdir)
    _write_breakdown(responses, code, a.breakdown)
    _write_infer_options(responses, code, a.inference_outdir, mr)
    _write_infer_rankings(r, code, a.inference_outdir, a.bootstrap, a.pl_bootstrap, a.seed)


def cmd_reproduce(a):
    from .published import published_table
    from .reproduction import reproduce

    code = _codebook(a)
    out = reproduce(published_table(io.read_yaml(a.published)), io.read_csv(a.table1), io.read_csv(a.mr),
                    io.read_csv(a.flow), float(code["ranking"]["key_risk_threshold"]))
    io.write_csv(out, a.out)


# Figure name -> how it is drawn from its input CSVs (in the order the rule gives them).
FIGURES = {
    "coverage": lambda fg, csv, code: fg.coverage_heatmap(csv[0], csv[1]),
    "identified_cases": lambda fg, csv, code: fg.identified_cases(csv[0], csv[1], code),
    "multiple_response": lambda fg, csv, code: fg.multiple_response(csv[0], code),
    "priority": lambda fg, csv, code: fg.priority(csv[0]),
    "ranking_distribution": lambda fg, csv, code: fg.ranking_distribution(csv[0], code),
    "sensitivity": lambda fg, csv, code: fg.sensitivity(_concat_draws(csv), code),
    "threshold": lambda fg, csv, code: fg.threshold(csv[0], code),
    "trend": lambda fg, csv, code: fg.trend(csv[0], csv[1], csv[2], code),
    "worths": lambda fg, csv, code: fg.worths(csv[0], code),
}


def cmd_figure(a):
    """Draw figure ``a.name`` from its input files (``a.inputs``, comma-separated, in the order
    the figure function takes them)."""
    from . import figures as fg

    csv = [io.read_csv(f) for f in a.inputs.split(",") if f.endswith(".csv")]
    if a.name == "trend":  # the legend names each wave by its label (the build's configuration)
        waves = io.read_yaml(a.effective_config)["waves"] if a.effective_config else []
        fig = fg.trend(csv[0], csv[1], csv[2], _codebook(a), wave_labels={w["id"]: w.get("label", w["id"]) for w in waves})
    else:
        fig = FIGURES[a.name](fg, csv, _codebook(a))
    fg.save(fig, a.out)


def cmd_figures(a):
    """Draw the figures ``a.names`` of wave ``a.wave_id`` into ``a.outs`` (same order), each
    from its inputs (:data:`analysis.figurespec.FIGURE_INPUTS`), in one process."""
    from . import figures as fg
    from .figurespec import FIGURE_INPUTS

    code = _codebook(a)
    for name, out in zip(a.names.split(","), a.outs.split(","), strict=True):
        csv = [io.read_csv(f.format(wave=a.wave_id)) for f in FIGURE_INPUTS[name]]
        fg.save(FIGURES[name](fg, csv, code), out)


def _concat_draws(frames):
    import pandas as pd

    d = pd.concat(frames, ignore_index=True)
    d["subject"] = d["subject"].fillna("")
    return d


def cmd_compare_files(a):
    import hashlib
    from pathlib import Path

    fresh, committed = Path(a.fresh).read_bytes(), Path(a.committed).read_bytes()
    io.write_json({"fresh": a.fresh, "committed": a.committed, "identical": fresh == committed,
                   "sha256_fresh": hashlib.sha256(fresh).hexdigest(),
                   "sha256_committed": hashlib.sha256(committed).hexdigest()}, a.out)


def cmd_audit(a):
    from .audit import audit
    from .published import published_table, scalar

    pub = published_table(io.read_yaml(a.published))
    table, _ = audit(pub, int(scalar(pub, "n.questionnaires")), int(scalar(pub, "n.valid_rankings")),
                     cb.scores(_codebook(a)))
    io.write_csv(table, a.out)


def cmd_identify(a):
    """Exact bounds of what the printed aggregates leave open (:mod:`analysis.identification`), the
    pairwise family of sign tests and the ranges of the priorities (:mod:`analysis.priority_bounds`)."""
    from .classification import classify
    from .identification import bounds, sign_tests
    from .priority_bounds import priority_ranges
    from .published import published_table, scalar, table1_targets
    from .reconstruct import area_count_vectors, attainable_matrices

    pub = published_table(io.read_yaml(a.published))
    scores = cb.scores(_codebook(a))
    n = int(scalar(pub, "n.valid_rankings"))
    targets = table1_targets(pub)
    vectors = [area_count_vectors(t, n, scores) for t in targets.values()]
    table = bounds(pub, vectors, attainable_matrices(vectors, n), list(targets), scores, n,
                   int(scalar(pub, "n.questionnaires")))
    io.write_csv(table, a.out)
    io.write_csv(sign_tests(table[table["quantity"] == "ranks_above"]), a.pairwise)
    prio = priority_ranges(pub, table, _codebook(a), io.read_yaml(a.countermeasures))
    io.write_csv(prio, a.priorities)
    io.write_csv(classify(table, prio), a.classification)


def cmd_sensitivity_chunk(a):
    from .audit import table1_attainability
    from .published import published_table, scalar
    from .sensitivity import run_chunk

    code = _codebook(a)
    pub = published_table(io.read_yaml(a.published))
    n_q, n_r = int(scalar(pub, "n.questionnaires")), int(scalar(pub, "n.valid_rankings"))
    _, mats = table1_attainability(pub, n_r, cb.scores(code))
    chunk, chunks, draws = int(a.chunk), int(a.chunks), int(a.draws)
    mine = [d for d in range(draws) if d % chunks == chunk]
    stats, design = run_chunk(mats, mine, pub, code, n_q, int(a.seed), int(a.bootstrap))
    io.write_csv(stats, a.out)
    io.write_csv(design, a.design)


def cmd_sensitivity_summary(a):
    import pandas as pd

    from .sensitivity import conclusions, coverage, summarise

    design = pd.concat([io.read_csv(p) for p in a.designs.split(",")], ignore_index=True).sort_values(
        "draw", kind="stable")  # items within a draw stay in codebook order
    io.write_csv(coverage(design), a.coverage)
    draws = pd.concat([io.read_csv(p) for p in a.chunks.split(",")], ignore_index=True)
    draws["subject"] = draws["subject"].fillna("")
    draws = draws.sort_values(["draw", "family", "statistic", "subject"], kind="stable")
    io.write_csv(summarise(draws), a.summary)
    io.write_csv(conclusions(draws, _codebook(a)), a.conclusions)


def cmd_simulate(a):
    from .simulate import simulate

    if bool(a.spec) == bool(a.spec_file):
        raise io.InputError("simulate", "give the simulation as --spec (JSON text) or --spec-file (a JSON file), one of them")
    spec = _simulate_spec(a.spec if a.spec else _read_text(a.spec_file), "--spec" if a.spec else a.spec_file)
    raw = simulate(_codebook(a), int(spec["n"]), int(spec["seed"]), spec.get("shares"), spec.get("worths"),
                   int(spec.get("id_start", 1)), bool(spec.get("attributes", False)),
                   float(spec.get("invalid_share", 0.0)), compact=a.shape == "codebook",
                   id_prefix=str(spec.get("id_prefix", "")))
    if a.shape == "codebook":
        io.write_csv(raw, a.out)
        return
    from . import exports

    exp = exports.export(raw, _codebook(a), a.shape)
    exports.write(exp, a.out)
    print(f"simulate: wrote {a.out} as a {a.shape} export; `python -m analysis.cli wave-init {a.out}` writes its "
          "waves: entry", file=sys.stderr)


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

    from .configcheck import key_path, read_config_text, schema_problems

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
        raise io.InputError(where, "; ".join((f"{key_path(pr.path)}: " if pr.path else "") + pr.message
                                                for pr in problems))
    return spec


def cmd_compare(a):
    """Changes between consecutive waves, from each wave's files given in wave order."""
    from pathlib import Path

    import pandas as pd

    from . import compare as cp
    from .clean import valid_rankings

    code = _codebook(a)
    waves = a.waves.split(",")

    def per_wave(files: str) -> dict:
        paths = files.split(",")
        if len(paths) != len(waves):
            raise io.InputError(files, f"{len(paths)} files for {len(waves)} waves")
        return {w: io.read_csv(p) for w, p in zip(waves, paths)}

    resp = per_wave(a.wave_responses)
    mr, mmi, rk = [], [], []
    for i, (w1, w2) in enumerate(zip(waves, waves[1:])):
        mr.append(cp.mr_changes(resp[w1], resp[w2], code, (w1, w2)))
        mmi.append(cp.mmi_by_question(resp[w1], resp[w2], code, (w1, w2), int(a.bootstrap), int(a.seed) + i))
        rk.append(cp.ranking_changes(valid_rankings(resp[w1], code), valid_rankings(resp[w2], code), code, (w1, w2)))
    out = Path(a.outdir)
    io.write_csv(pd.concat(mr, ignore_index=True), out / "mr_changes.csv")
    io.write_csv(pd.concat(mmi, ignore_index=True), out / "mmi.csv")
    io.write_csv(pd.concat(rk, ignore_index=True), out / "ranking_changes.csv")
    io.write_csv(cp.priority_changes(per_wave(a.wave_risks)), out / "priorities.csv")
    t1s, frs = per_wave(a.wave_table1), per_wave(a.wave_friedman)
    summary = [t1s[w].assign(wave=w, friedman_chi2=frs[w].iloc[0]["chi2"], friedman_p=frs[w].iloc[0]["p"],
                             kendall_w=frs[w].iloc[0]["kendall_w"]) for w in waves]
    io.write_csv(pd.concat(summary, ignore_index=True), out / "waves.csv")


def cmd_render(a):
    from .render import describe_pdf, render

    made = render(a.qmd, a.outdir, engine=a.engine, formats=a.formats.split(","))
    authors = io.read_yaml(a.effective_config)["report"]["reanalysis_authors"]
    describe_pdf(a.qmd, [p for p in made if p.suffix == ".pdf"], authors)


# Every option of every subcommand: its help text (allowed values and defaults included).
OPTIONS = {
    "published": "the article's printed numbers (YAML), e.g. data/published/li-zhang-han-2021.yaml",
    "codebook": "the questionnaire's codebook (YAML), e.g. data/codebook.yaml",
    "invalid": "kinds of invalid rankings as KIND=COUNT,... with KIND one of blank, incomplete, out_of_range, tie",
    "out": "output file",
    "info": "output JSON describing the reconstruction",
    "raw": "raw survey file: .csv, .xlsx or .sav",
    "wave": "a JSON file holding the wave's layout and coding keys of its config entry (preset, format, encoding, "
            "sheet, header_rows, id_column, ignore, columns, selections, ranking, ...; see README), as rule "
            "wave_layout writes it to results/<wave>/layout.json; default none (the codebook's own layout)",
    "prior": "comma-separated cleaned responses of earlier waves, whose ids are excluded; default none",
    "responses": "cleaned responses of a wave (CSV; output of clean, input elsewhere; the statistics also take "
                 "its Arrow twin, a path ending in .arrow)",
    "responses_arrow": "output: the cleaned responses also in Arrow's IPC format (.arrow), which statistics reads "
                       "typed and memory-mapped; default none",
    "exclusions": "output CSV: every excluded questionnaire with row, column, value and reason",
    "flow": "flow CSV: questionnaires read, excluded per reason, valid rankings",
    "table1": "Table 1 CSV (SPSS descriptives of the ranking scores)",
    "distribution": "output CSV: percent of respondents giving each score to each area",
    "mr": "multiple-response CSV (counts and percents per option)",
    "name": "figure name",
    "inputs": "comma-separated input CSVs, in the order the command takes them",
    "countermeasures": "countermeasure coding (YAML), e.g. data/countermeasures.yaml",
    "bootstrap": "bootstrap resamples (integer)",
    "pl_bootstrap": "bootstrap resamples of the Plackett-Luce worths (integer)",
    "priority_bootstrap": "bootstrap resamples of the risk priorities and countermeasure scores (integer)",
    "breakdown": "output CSV: results by respondent attribute",
    "inference_outdir": "output directory of the extended inference (infer's files)",
    "countermeasures_outdir": "output directory of the countermeasure analysis (countermeasures' files)",
    "seed": "random seed (integer >= 0)",
    "outdir": "output directory",
    "classification": "output CSV: whether each quantity the paper reports is identified, partially identified, "
                      "reconstruction only or an assumption",
    "pairwise": "output CSV: P(A ranked above B) for every pair with exact sign tests, Holm-adjusted (ranges)",
    "priorities": "output CSV: ranges of the risk priorities and countermeasure scores, with the ranks they allow",
    "chunk": "index of this chunk of reconstruction draws (0-based integer)",
    "chunks": "number of chunks (sensitivity-chunk) or comma-separated chunk CSVs (sensitivity-summary)",
    "draws": "number of reconstruction draws in all chunks (integer)",
    "summary": "output CSV: range of every statistic across draws",
    "design": "output CSV: the attainable Table 1 matrix and totals of responses each draw used",
    "designs": "comma-separated design CSVs of the chunks (sensitivity-chunk --design)",
    "coverage": "output CSV: how many of the attainable matrices and totals the draws visited",
    "conclusions": "output CSV: share of draws in which each conclusion holds",
    "spec": 'JSON object: n (respondents, >= 1) and seed (>= 0) required; optional id_start (>= 1), id_prefix (text before each id number, e.g. R_), shares '
            '({column: probability}), worths ({area: worth > 0}), attributes (true/false), invalid_share (0 to 1); '
            'e.g. \'{"n": 300, "seed": 1}\'; or give --spec-file',
    "spec_file": "a JSON file holding the spec (as rule simulation_spec writes it); instead of --spec",
    "waves": "comma-separated wave ids, in field order",
    "wave_id": "the wave's id (results/<wave>/)",
    "names": "comma-separated figure names (analysis/figurespec.py)",
    "outs": "comma-separated output images, one per name",
    "shape": "the file's export shape (analysis/exports.py): codebook (the codebook's columns and coding), or a "
             "platform's layout and coding; default codebook",
    "wave_responses": "comma-separated cleaned responses (CSV) of the waves, in the order of --waves",
    "wave_risks": "comma-separated countermeasures/risks.csv of the waves, in the order of --waves",
    "wave_table1": "comma-separated table1.csv of the waves, in the order of --waves",
    "wave_friedman": "comma-separated inference/friedman.csv of the waves, in the order of --waves",
    "fresh": "freshly reconstructed raw file",
    "committed": "committed raw file (data/raw/...)",
    "qmd": "the Quarto document, e.g. report/paper.qmd",
    "effective_config": "the build's configuration (JSON), e.g. results/config.effective.json: its report's "
                        "reanalysis authors are the PDF's authors",
    "engine": "auto (Quarto when on PATH, else built-in), quarto or builtin; default auto",
    "formats": "comma-separated output formats among html, pdf; default html,pdf",
}
OPTIONAL = {"engine": "auto", "formats": "html,pdf", "wave": "", "prior": "", "shape": "codebook", "spec": "",
            "spec_file": "",
            "responses_arrow": "", "effective_config": ""}
CHOICES = {"engine": ["auto", "quarto", "builtin"]}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis.cli", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND", title="commands")

    def cmd(name, fn, help, *args):
        s = sub.add_parser(name, help=help, description=help)
        for x in args:
            kw = {"dest": x, "help": OPTIONS[x], "metavar": x.upper()}
            if x in OPTIONAL:
                kw["default"] = OPTIONAL[x]
            else:
                kw["required"] = True
            if x == "shape":
                from .exports import SHAPES

                kw["choices"] = list(SHAPES)
                kw["help"] += " (" + ", ".join(SHAPES) + ")"
            elif x in CHOICES:
                kw["choices"] = CHOICES[x]
            if x == "name":
                kw["choices"] = sorted(FIGURES)
                kw["help"] += " (" + ", ".join(sorted(FIGURES)) + ")"
            s.add_argument(f"--{x.replace('_', '-')}", **kw)
        s.set_defaults(fn=fn)
        return s

    s = cmd("reconstruct", cmd_reconstruct, "reconstruct the article's questionnaires from its printed aggregates",
            "published", "codebook", "invalid", "out", "info")
    s.add_argument("--seed", type=int, required=True, metavar="SEED", help=OPTIONS["seed"])
    cmd("clean", cmd_clean, "validate a wave's raw file against the codebook; log every exclusion",
        "raw", "codebook", "wave", "prior", "responses", "responses_arrow", "exclusions", "flow")
    cmd("statistics", cmd_statistics, "every per-wave statistic from one read of the cleaned responses (Table 1, "
        "multiple-response tables, inference, countermeasures, breakdown)", "responses", "codebook",
        "countermeasures", "table1", "distribution", "mr", "inference_outdir", "countermeasures_outdir", "breakdown",
        "bootstrap", "pl_bootstrap", "priority_bootstrap", "seed")
    cmd("reproduce", cmd_reproduce, "compare every printed number with the reproduced one",
        "published", "codebook", "table1", "mr", "flow", "out")
    cmd("figure", cmd_figure, "draw one seaborn figure from results CSVs", "name", "inputs", "codebook", "out",
        "effective_config")
    cmd("figures", cmd_figures, "draw a wave's seaborn figures in one process", "wave_id", "names", "inputs",
        "codebook", "outs")
    cmd("audit", cmd_audit, "consistency audit of the printed numbers (GRIM, GRIMMER, identities)",
        "published", "codebook", "out")
    cmd("identify", cmd_identify, "exact bounds of what the printed numbers leave open (partial identification)",
        "published", "codebook", "countermeasures", "out", "pairwise", "priorities", "classification")
    cmd("sensitivity-chunk", cmd_sensitivity_chunk, "statistics across one chunk of reconstruction draws",
        "published", "codebook", "chunk", "chunks", "draws", "seed", "bootstrap", "out", "design")
    cmd("sensitivity-summary", cmd_sensitivity_summary, "ranges and conclusions across all reconstruction draws",
        "chunks", "designs", "codebook", "summary", "conclusions", "coverage")
    cmd("simulate", cmd_simulate, "write a simulated survey wave (for demos and tests)", "spec", "spec_file",
        "codebook", "out", "shape")
    cmd("compare", cmd_compare, "changes across waves (options, multiple marginal independence, mean scores)",
        "waves", "wave_responses", "wave_risks", "wave_table1", "wave_friedman", "codebook", "bootstrap", "seed",
        "outdir")
    cmd("compare-files", cmd_compare_files, "whether two files are byte-identical (reconstruction check)",
        "fresh", "committed", "out")
    s = sub.add_parser("wave-init", help="print a ready `waves:` entry for a survey platform's export",
                       description="Read an export (CSV, .xlsx, .sav) and print a `waves:` entry for config.yaml "
                                   "(stdout; messages on stderr): e.g. python -m analysis.cli wave-init "
                                   "data/raw/2026/export.csv --id 2026 >> config.yaml")
    s.add_argument("file", metavar="FILE", help="the export, relative to the project root")
    s.add_argument("--id", help="the wave's id (default: from the file name)")
    s.add_argument("--label", help="the wave's label in the paper")
    s.add_argument("--codebook", default="data/codebook.yaml", help=OPTIONS["codebook"] + "; default data/codebook.yaml")
    s.set_defaults(fn=cmd_wave_init)
    cmd("render", cmd_render, "render the paper to HTML and PDF (Quarto when on PATH, else built-in)",
        "qmd", "outdir", "engine", "formats", "effective_config")
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
    except (io.InputError, RenderError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2 if isinstance(e, io.InputError) else 1
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
