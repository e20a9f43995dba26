"""Step of rule ``check_reconstruction``: whether the committed raw file is byte-identical to a
fresh reconstruction (both SHA-256 digests recorded). The reproduction, audit and identification
are the article's: a ``reconstruction.wave`` whose file is not the article's reconstructed data
(another survey, or the article's file edited) stops the build with one line."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from analysis import io
from analysis.steps import run_step, step_parser

PARSER = step_parser(
    "check_reconstruction",
    __doc__,
    fresh="freshly reconstructed raw file",
    committed="committed raw file (data/raw/...)",
    out="output JSON",
    wave_id=(
        "the wave that config.yaml's reconstruction.wave names, for the message; default the committed file's folder",
        "",
    ),
)


def run(a) -> None:
    fresh, committed = Path(a.fresh).read_bytes(), Path(a.committed).read_bytes()
    if fresh != committed:
        wave = a.wave_id or Path(a.committed).parent.name
        raise io.InputError(
            a.committed,
            f"reconstruction.wave '{wave}' names a wave whose file is not the article's "
            f"reconstructed data (it differs from a fresh reconstruction, {a.fresh}): the "
            "reproduction, audit and identification apply only to the article's wave; "
            "point reconstruction.wave at the wave whose path is the article's file "
            "(data/raw/2021/responses.csv), or run `snakemake reconstruct` if that file "
            "was changed by mistake",
        )
    io.write_json(
        {
            "fresh": a.fresh,
            "committed": a.committed,
            "identical": fresh == committed,
            "sha256_fresh": hashlib.sha256(fresh).hexdigest(),
            "sha256_committed": hashlib.sha256(committed).hexdigest(),
        },
        a.out,
    )


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
