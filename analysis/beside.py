"""Two parts of one step at once: one in a forked copy of the process, one here.

A step's parts that hold Python's interpreter lock (pandas' and SciPy's Python code, the
optimiser's loops) do not run faster in threads. A forked child starts with everything the
parent imported and read (no second start-up, no second read: the pages are shared until
written), so the parts run on two cores. Used where ``os.fork`` is safe (Linux) and the data
are large enough for a fork (a few milliseconds) to be worth it; elsewhere the parts run one
after the other. Each part writes its own files and has its own seed, so the outputs are the
same bytes either way (tests/test_beside.py).
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable

from . import io


def can_fork() -> bool:
    """Whether a part can run in a forked child here: Linux (macOS' system libraries are not
    safe to use after a fork; Windows has none), and no other thread is running (a thread
    holding a lock at the fork, such as an import's, would hold it forever in the child)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def run_beside(child: Callable[[], None], parent: Callable[[], None], fork: bool) -> None:
    """Run ``child()`` in a forked child process while ``parent()`` runs in this one, and wait
    for both; with ``fork`` false (or where :func:`can_fork` is false) run ``parent()`` then
    ``child()`` here. A child that fails prints its error (an :class:`analysis.io.InputError`
    as the command-line tool prints it, anything else as a traceback) and this raises
    :class:`ChildFailed` once ``parent()`` is done; an error of ``parent()`` is raised after
    the child has finished, so no file is being written when the step stops."""
    if not (fork and can_fork()):
        parent()
        child()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: run its part and leave without the parent's exit handlers
        status = 0
        try:
            child()
        except io.InputError as e:
            print(f"error: {e}", file=sys.stderr)
            status = 2
        except BaseException:  # noqa: BLE001 (reported here: the parent only sees the status)
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    try:
        parent()
    finally:
        _, wait_status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(wait_status)
    if code != 0:
        raise ChildFailed(code)


class ChildFailed(RuntimeError):
    """The part run in the forked child failed (its error is printed above) with exit ``code``."""

    def __init__(self, code: int):
        super().__init__(f"the part run in a forked process failed (exit status {code}); its error is printed above")
        self.code = code
