"""Step of rule ``check_reconstruction``: whether the committed raw file is byte-identical to a
fresh reconstruction (both SHA-256 digests recorded)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from .. import io
from . import run_step, step_parser

PARSER = step_parser("check_reconstruction", __doc__, fresh="freshly reconstructed raw file",
                     committed="committed raw file (data/raw/...)", out="output JSON")


def run(a) -> None:
    fresh, committed = Path(a.fresh).read_bytes(), Path(a.committed).read_bytes()
    io.write_json({"fresh": a.fresh, "committed": a.committed, "identical": fresh == committed,
                   "sha256_fresh": hashlib.sha256(fresh).hexdigest(),
                   "sha256_committed": hashlib.sha256(committed).hexdigest()}, a.out)


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
