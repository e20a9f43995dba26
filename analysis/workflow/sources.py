"""The project's source files: every file under the project's root that git would track, that is,
every file not matched by the root's ``.gitignore`` (matched as git matches it, by the
``pathspec`` library), nor inside ``.git`` or a virtual environment. The archive of a build holds
them (rule ``archive``); they are what a rebuild needs. Standard library and pathspec only: the
Snakefile runs it in Snakemake's own environment."""

from __future__ import annotations

import os
from pathlib import Path

import pathspec

NEVER = (".git", ".venv")  # never part of the sources (folders, or a worktree's .git file)


def source_files(root: Path) -> list[str]:
    """The source files under ``root``, as sorted POSIX paths relative to it."""
    ignore = root / ".gitignore"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.is_file() else []
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    found = []
    for here, dirs, files in os.walk(root):
        rel = Path(here).relative_to(root)
        dirs[:] = sorted(d for d in dirs if d not in NEVER and not spec.match_file(f"{(rel / d).as_posix()}/"))
        found += [p for p in ((rel / f).as_posix() for f in files if f not in NEVER) if not spec.match_file(p)]
    return sorted(found)
