"""The project's source files: every file under the project's root that git would track, that is,
every file not matched by the root's ``.gitignore`` (matched as git matches it, by the
``pathspec`` library), nor inside ``.git`` or a virtual environment. The archive of a build holds
them (rule ``archive``); they are what a rebuild needs. Standard library and pathspec only: the
Snakefile runs it in Snakemake's own environment."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pathspec

# never part of the sources: folders, a worktree's .git file, and an unpacked archive's own
# description (analysis/workflow/archive.py), which the archived build did not have
NEVER = (".git", ".venv", "ro-crate-metadata.json")


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


def module_file(root: Path, module: str) -> Path | None:
    """The file of dotted ``module`` under ``root`` (``a/b.py`` or the package's ``a/b/__init__.py``)."""
    base = root.joinpath(*module.split("."))
    for f in (base.with_suffix(".py"), base / "__init__.py"):
        if f.is_file():
            return f
    return None


def _imports(tree, package: str) -> list[str]:
    """The dotted names an ``ast`` tree imports from ``package`` (``from a.b import c`` gives
    ``a.b`` and ``a.b.c``, which is a module when ``c`` is one)."""
    import ast

    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == package:
            names += [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names if a.name.split(".")[0] == package]
    return names


@lru_cache(maxsize=None)
def _module_imports(path: Path, package: str) -> tuple[str, ...]:
    """What one module file imports from ``package``, parsed once per process (the Snakefile asks
    for the code of every rule, and the rules share most modules)."""
    import ast

    return tuple(_imports(ast.parse(path.read_text(encoding="utf-8")), package))


def imported_modules(root: Path, modules: list[str], package: str = "analysis") -> list[str]:
    """The files of ``modules`` (dotted names) and of every module of ``package`` they import,
    transitively, as POSIX paths relative to ``root``: the code a job runs, its rule's code
    inputs. Imports are read from the source (``ast``, every ``import`` statement, those inside
    functions too), so the list never misses a module a rule's step can reach."""
    seen, todo = {}, list(modules)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        f = module_file(root, name)
        if f is None:
            continue
        seen[name] = f.relative_to(root).as_posix()
        todo += _module_imports(f, package)
    return sorted(set(seen.values()))


def document_modules(qmd: Path, package: str = "analysis") -> list[str]:
    """The dotted names a Quarto document's Python cells import from ``package``."""
    import ast
    import re

    cells = re.findall(r"^```\{python\}[^\n]*\n(.*?)^```", qmd.read_text(encoding="utf-8"), re.S | re.M)
    return [m for cell in cells for m in _imports(ast.parse(cell), package)]
