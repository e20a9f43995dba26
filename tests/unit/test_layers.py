"""The package's wings (analysis/__init__.py): a module imports only from its own layer and the
layers below it, there is no import cycle, and the top level stays small."""

import ast
from pathlib import Path

from ..conftest import ROOT

# lowest first; steps and cli sit on top of everything
LAYERS = ["", "workflow", "survey", "stats", "article", "paper", "steps", "cli"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The layer of ``analysis.<wing>.<...>`` (the top-level modules are layer 0)."""
    parts = module.split(".")[1:]
    if not parts:
        return 0
    head = parts[0]
    if head in LAYERS:
        return LAYERS.index(head)
    return 0  # a top-level module (io, errors, codebook, ...)


def imports() -> dict[str, set[str]]:
    """Module -> the project's modules it imports (anywhere in it, functions included)."""
    modules = {module_name(p): p for p in sorted((ROOT / "analysis").rglob("*.py"))}
    out = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
                assert node.level == 0, f"{name}: relative import"
                for a in node.names:  # `from analysis.x import module` imports the module
                    found.add(f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("analysis")}
        out[name] = found & set(modules)
    return out


def test_no_module_imports_from_a_higher_wing():
    up = sorted(f"{m} -> {d}" for m, ds in imports().items() for d in ds if layer(d) > layer(m))
    assert up == []


def test_no_import_cycle():
    graph = imports()
    state: dict[str, int] = {}

    def visit(m, path):
        state[m] = 1
        for d in sorted(graph.get(m, ())):
            if d == m or d == "analysis":
                continue
            if state.get(d) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path, m, d]))
            if d not in state:
                visit(d, [*path, m])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])


def test_the_top_level_holds_at_most_eight_modules_besides_the_wings():
    top = sorted(p.stem for p in (ROOT / "analysis").glob("*.py") if p.stem not in ("__init__", "cli"))
    wings = sorted(p.name for p in (ROOT / "analysis").iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert len(top) <= 8, top
    assert wings == ["article", "paper", "stats", "steps", "survey", "workflow"]
    for w in wings:
        doc = ast.get_docstring(ast.parse((ROOT / "analysis" / w / "__init__.py").read_text(encoding="utf-8")))
        assert doc and ("May import" in doc or w == "steps"), w


def test_functions_and_modules_a_reader_can_hold():
    """No function of analysis/ over 60 lines and no module over 400 (formatted as `make lint` formats them)."""
    long_functions, long_modules = [], []
    for p in sorted((ROOT / "analysis").rglob("*.py")):
        src = p.read_text(encoding="utf-8")
        if len(src.splitlines()) > 400:
            long_modules.append(p.relative_to(ROOT).as_posix())
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long_functions.append(f"{p.relative_to(ROOT).as_posix()}:{node.name}")
    assert long_functions == [] and long_modules == []
