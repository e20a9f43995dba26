"""Small simulated waves run through the workflow's steps as their rules run them (``python -m analysis.steps.<name>``)."""

import contextlib
import importlib
import io
import subprocess
import warnings

from analysis.codebook import Codebook
from analysis.survey.simulate import simulate

from ..conftest import ROOT

CODEBOOK = "data/codebook.yaml"


def step(name, *args) -> subprocess.CompletedProcess:
    """``python -m analysis.steps.<name> ARGS`` as a rule runs it, from the project's folder, with
    its exit status, standard output and standard error (a warning written there as Python writes
    it) as a finished process gives them. The step's entry point ``main(ARGS)`` is called in this
    process, so that its modules are imported once per test worker, not once per call (the
    commands themselves run as processes in every build and in tests/build/test_cli.py)."""
    module = importlib.import_module(f"analysis.steps.{name}")
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(ROOT),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("default")
        try:
            status = module.main(list(args))
        except SystemExit as e:  # (argparse's usage errors)
            status = 0 if e.code is None else e.code if isinstance(e.code, int) else 1
    for w in caught:
        err.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))
    return subprocess.CompletedProcess(
        ["python", "-m", f"analysis.steps.{name}", *args], status, out.getvalue(), err.getvalue()
    )


def clean(raw, out, *extra, codebook=CODEBOOK):
    """Rule clean's step on the raw file ``raw``, its outputs responses.csv, exclusions.csv and
    flow.csv in the folder ``out``; ``extra``: further options (``--wave``, ``--acknowledged`` ...)."""
    out.mkdir(parents=True, exist_ok=True)
    files = [f"--{k}={out / k}.csv" for k in ("responses", "exclusions", "flow")]
    return step("clean", "--raw", str(raw), "--codebook", str(codebook), *files, *extra)


def wave(codebook, tmp_path, n: int, valid: int) -> tuple:
    """A simulated raw wave of ``n`` questionnaires of which ``valid`` have a valid ranking,
    cleaned; returns (the wave's results folder, clean's process)."""
    raw = simulate(codebook, max(n, 1), 7, None, None, 1, False, 0.0).head(n)
    opts = codebook.options["column"].tolist()
    if n:
        raw.loc[:, opts] = "0"
        for q in codebook.question_items:  # every question answered by everyone
            raw[q["options"][0]["column"]] = "1"
    ranks = codebook.areas["column"].tolist()
    raw = raw.astype(object)
    raw.loc[raw.index[valid:], ranks] = ""
    path = tmp_path / "raw.csv"
    raw.to_csv(path, index=False)
    out = tmp_path / "w"
    return out, clean(path, out, "--acknowledged", "blank")


def statistics_command(w, sub="statistics", responses="responses.csv", codebook=CODEBOOK):
    """Rule statistics' command: every per-wave statistic, into ``w/sub``."""
    o = w / sub
    return [
        "--responses",
        str(w / responses),
        "--codebook",
        str(codebook),
        "--countermeasures",
        "data/countermeasures.yaml",
        "--table1",
        str(o / "table1.csv"),
        "--distribution",
        str(o / "score_distribution.csv"),
        "--mr",
        str(o / "mr.csv"),
        "--inference-outdir",
        str(o / "inference"),
        "--countermeasures-outdir",
        str(o / "countermeasures"),
        "--breakdown",
        str(o / "breakdown.csv"),
        "--group-tests",
        str(o / "group_tests.csv"),
        "--group-worths",
        str(o / "group_worths.csv"),
        "--bootstrap",
        "200",
        "--pl-bootstrap",
        "20",
        "--priority-bootstrap",
        "100",
        "--seed",
        "1",
    ]


def revised_wave(book: Codebook, raw, tmp_path):
    """``raw`` of a wave that asked the revised codebook ``book``, through rule clean's and rule
    statistics' commands (each must succeed without a traceback); returns the wave's folder."""
    import yaml

    (tmp_path / "codebook.yaml").write_text(yaml.safe_dump(book.to_dict(), allow_unicode=True))
    raw.to_csv(tmp_path / "raw.csv", index=False)
    w = tmp_path / "w"
    w.mkdir()
    files = ["--responses", str(w / "responses.csv"), "--exclusions", str(w / "exclusions.csv")]
    p = step(
        "clean",
        "--raw",
        str(tmp_path / "raw.csv"),
        "--codebook",
        str(tmp_path / "codebook.yaml"),
        *files,
        "--flow",
        str(w / "flow.csv"),
    )
    assert p.returncode == 0, p.stderr
    q = step("statistics", *statistics_command(w, "", codebook=tmp_path / "codebook.yaml"))
    assert q.returncode == 0 and "Traceback" not in q.stderr, q.stderr[-2000:]
    return w
