"""Two parts of a step at once (analysis.beside): the same files as one after the other, a
failure of either part reported, and `statistics` forked at a large wave giving the same bytes."""

import os
import sys
from pathlib import Path

import pytest

from analysis import beside, cli
from analysis.io import InputError, write_csv
from analysis.simulate import simulate

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")


def test_both_parts_run_and_the_child_in_its_own_process(tmp_path):
    assert beside.can_fork()

    def part(name):
        return lambda: (tmp_path / name).write_text(str(os.getpid()))

    beside.run_beside(part("child"), part("parent"), fork=True)
    assert (tmp_path / "parent").read_text() == str(os.getpid())
    assert (tmp_path / "child").read_text() not in ("", str(os.getpid()))


def test_without_fork_the_parent_part_runs_first_then_the_child_part(tmp_path):
    order = []
    beside.run_beside(lambda: order.append("child"), lambda: order.append("parent"), fork=False)
    assert order == ["parent", "child"]


def test_a_failed_child_is_reported_after_the_parent_part(tmp_path, capfd):
    def child():
        raise InputError("data/x.yaml", "row 3, column `a`: not a number")

    with pytest.raises(beside.ChildFailed) as e:
        beside.run_beside(child, lambda: (tmp_path / "parent").write_text("done"), fork=True)
    assert e.value.code == 2
    assert (tmp_path / "parent").read_text() == "done"
    assert "error: data/x.yaml: row 3, column `a`: not a number" in capfd.readouterr().err


def test_a_crash_of_the_child_prints_its_traceback(capfd):
    with pytest.raises(beside.ChildFailed) as e:
        beside.run_beside(lambda: 1 / 0, lambda: None, fork=True)
    assert e.value.code == 1
    err = capfd.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err


def test_an_error_of_the_parent_part_waits_for_the_child(tmp_path):
    def child():
        import time

        time.sleep(0.3)
        (tmp_path / "child").write_text("done")

    def parent():
        raise ValueError("parent failed")

    with pytest.raises(ValueError, match="parent failed"):
        beside.run_beside(child, parent, fork=True)
    assert (tmp_path / "child").read_text() == "done"  # (finished before the error was raised)


def test_no_fork_while_another_thread_runs():
    import threading

    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not beside.can_fork()
    finally:
        stop.set()
        t.join()
    assert beside.can_fork()


def _statistics(wave_dir: Path, out: Path) -> list[Path]:
    args = ["statistics", "--responses", str(wave_dir / "responses.arrow"), "--codebook", "data/codebook.yaml",
            "--countermeasures", "data/countermeasures.yaml", "--table1", str(out / "table1.csv"),
            "--distribution", str(out / "dist.csv"), "--mr", str(out / "mr.csv"),
            "--inference-outdir", str(out / "inference"), "--countermeasures-outdir", str(out / "countermeasures"),
            "--breakdown", str(out / "breakdown.csv"), "--bootstrap", "500", "--pl-bootstrap", "20",
            "--priority-bootstrap", "200", "--seed", "3"]
    assert cli.main(args) == 0
    return sorted(p.relative_to(out) for p in out.rglob("*.csv"))


def test_statistics_forked_writes_the_same_bytes_as_one_process(codebook, tmp_path, monkeypatch):
    raw = simulate(codebook, 3000, 11, attributes=True, invalid_share=0.05)
    wave = tmp_path / "w1"
    wave.mkdir()
    write_csv(raw, tmp_path / "raw.csv")
    monkeypatch.chdir(ROOT)
    assert cli.main(["clean", "--raw", str(tmp_path / "raw.csv"), "--codebook", "data/codebook.yaml",
                     "--responses", str(wave / "responses.csv"), "--responses-arrow", str(wave / "responses.arrow"),
                     "--exclusions", str(wave / "exclusions.csv"), "--flow", str(wave / "flow.csv")]) == 0
    forks = []
    real_fork = os.fork

    def counted_fork():
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted_fork)
    monkeypatch.setattr(cli, "FORK_AT", 10**9)
    one = _statistics(wave, tmp_path / "one")
    assert forks == []
    monkeypatch.setattr(cli, "FORK_AT", 2)
    two = _statistics(wave, tmp_path / "two")
    assert forks == [1]
    assert len(one) == 16 and one == two
    for f in one:
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes(), f
