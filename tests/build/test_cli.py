"""The command line as users meet it: help for every command and option, clear errors."""

import importlib
import subprocess
import sys

import pytest

from ..conftest import ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "analysis.cli", *args], cwd=ROOT, capture_output=True, text=True)


def step(name, *args):
    return subprocess.run(
        [sys.executable, "-m", f"analysis.steps.{name}", *args], cwd=ROOT, capture_output=True, text=True
    )


STEPS = sorted(p.stem for p in (ROOT / "analysis/steps").glob("*.py") if p.stem != "__init__")


def undescribed(help_text: str) -> list[str]:
    """The arguments of an argparse ``--help`` text (its positional arguments and options
    sections) listed without a description: an entry whose invocation stands alone, with no
    text after it on its line and no indented line below it."""
    out, entry, said = [], None, False
    for line in help_text.splitlines():
        if not line.startswith("  ") or line.startswith("   "):
            said = said or (entry is not None and line.startswith("   "))
            if not line.startswith("  ") and entry is not None:  # a section ends
                out += [] if said else [entry]
                entry = None
            continue
        if entry is not None and not said:
            out.append(entry)
        entry, _, rest = line.strip().partition("  ")
        said = bool(rest.strip())
    if entry is not None and not said:
        out.append(entry)
    return out


def test_the_help_reader_finds_an_undescribed_option():
    import argparse

    p = argparse.ArgumentParser(prog="x")
    p.add_argument("--said", help="a description")
    p.add_argument("--long-option-name-that-wraps", metavar="A_VERY_LONG_METAVAR", help="said below")
    p.add_argument("--silent")
    p.add_argument("file")
    assert undescribed(p.format_help()) == ["file", "--silent SILENT"]


def test_every_command_and_option_has_help():
    out = run("--help").stdout
    assert undescribed(out) == []
    for name in ("wave-init", "simulate"):
        text = run(name, "--help").stdout
        assert text.startswith(f"usage: python -m analysis.cli {name}") and undescribed(text) == [], name


@pytest.mark.parametrize("name", STEPS)
def test_every_step_describes_itself_and_each_option(name):
    """Each step of the workflow (`python -m analysis.steps.<step> --help`) says what it computes
    and what each option is."""
    module = importlib.import_module(f"analysis.steps.{name}")
    assert module.PARSER.description and module.PARSER.prog == f"python -m analysis.steps.{name}"
    assert undescribed(module.PARSER.format_help()) == []


def test_help_lists_every_command_with_a_description():
    out = run("--help").stdout
    assert "wave-init" in out and "simulate" in out and "write a simulated survey wave" in out


def test_option_help_says_allowed_values_and_defaults():
    out = " ".join(step("render", "--help").stdout.split())
    assert (
        "auto (Quarto when on PATH, else built-in), quarto or builtin; default auto" in out
        and "default html,pdf" in out
    )
    out = " ".join(run("simulate", "--help").stdout.split())
    assert "invalid_share (0 to 1)" in out and "n (respondents, >= 1)" in out and "default codebook" in out


def test_no_command_says_what_to_do():
    p = run()
    assert p.returncode == 2 and "choose a command" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize(
    "spec, message",
    [
        ('{"n": 3,', "error: --spec: not valid JSON: Expecting property name enclosed in double quotes at column 9"),
        ('{"seed": 1}', "error: --spec: missing key 'n' in a simulation spec"),
        (
            '{"n": 3, "seed": 1, "sed": 2}',
            "error: --spec: sed: unknown key 'sed' (did you mean 'seed'?); a simulation "
            "spec has n, seed, id_start, id_prefix, shares, worths, attributes, invalid_share, design",
        ),
        ('{"n": 3, "seed": 1, "invalid_share": 2}', "error: --spec: invalid_share: 2 is greater than the maximum of 1"),
        ('{"n": 0, "seed": 1}', "error: --spec: n: 0 is less than the minimum of 1"),
        ("[1]", 'error: --spec: must be a JSON object such as {"n": 300, "seed": 1}'),
    ],
)
def test_bad_spec_is_one_clear_line(spec, message, tmp_path):
    p = run("simulate", "--codebook", "data/codebook.yaml", "--out", str(tmp_path / "x.csv"), "--spec", spec)
    assert p.returncode == 2 and p.stderr.strip() == message
    assert not (tmp_path / "x.csv").exists()


def test_bad_choice_is_argparse_one_liner():
    p = step("render", "--qmd", "x", "--outdir", "y", "--effective-config", "z", "--engine", "word")
    assert p.returncode == 2 and "invalid choice: 'word' (choose from 'auto', 'quarto', 'builtin')" in p.stderr
    assert "Traceback" not in p.stderr


def test_a_command_keeps_its_status_and_its_output(tmp_path):
    """A command's exit status and everything it printed arrive, also through a pipe."""
    ok = run(
        "simulate",
        "--spec",
        '{"n": 3, "seed": 1}',
        "--codebook",
        "data/codebook.yaml",
        "--out",
        str(tmp_path / "raw.csv"),
    )
    assert ok.returncode == 0 and (tmp_path / "raw.csv").read_text().count("\n") == 4
    bad = step(
        "clean",
        "--raw",
        str(tmp_path / "missing.csv"),
        "--codebook",
        "data/codebook.yaml",
        "--responses",
        str(tmp_path / "r.csv"),
        "--exclusions",
        str(tmp_path / "e.csv"),
        "--flow",
        str(tmp_path / "f.csv"),
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: ") and "missing.csv" in bad.stderr
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout to a pipe: block-buffered
    init = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "wave-init", "data/raw/2021/responses.csv", "--id", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert init.returncode == 0
    assert init.stdout.startswith("  # written by: python -m analysis.cli wave-init data/raw/2021/responses.csv\n")
    assert '  - id: "x"\n' in init.stdout and init.stdout.endswith("\n")
    assert init.stderr.startswith(
        "wave-init: data/raw/2021/responses.csv: 25 columns, 25 named as in the codebook, 0 mapped to the codebook"
    )
