"""A small renderer for the subset of Quarto the paper uses, for machines without the Quarto CLI.

Pipeline: parse the ``.qmd`` (YAML front matter, ```` ```{python} ```` cells with ``#|``
options, inline `` `{python} expr` `` values) -> execute the cells in order with a
Jupyter kernel (nbclient) -> assemble Pandoc Markdown, numbering figures, tables and
sections and resolving ``@fig-``/``@tbl-``/``@sec-`` cross-references as Quarto does ->
pandoc (from ``pypandoc-binary``) to self-contained HTML and to Typst -> the ``typst``
wheel to PDF. :func:`render` uses ``quarto render`` instead when the CLI is on PATH.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from analysis import yamlfile
from analysis.errors import RenderError  # noqa: F401  (raised here; the CLI reports it)
from analysis.paper.crossref import caption_prefixes, fig_alt, number, numbering, walk

CELL = re.compile(r"^```\{python\}[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
# Quarto's pattern for inline expressions (quarto-cli src/core/execute-inline.ts and
# src/resources/jupyter/notebook.py): a backtick not preceded by a backtick.
INLINE = re.compile(r"(^|[^`])`\{python\}[ \t]([^`]+)`", re.M)
OPTION = re.compile(r"^#\|\s?(.*)$")
# The order in which Quarto picks an inline result's representation (display-data.ts).
INLINE_MIME = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/latex", "text/plain"]


def escaped_markdown(plain: str) -> str:
    """Quarto's ``asEscapedMarkdown`` (jupyter-inline.ts): a quoted ``text/plain`` result (a
    Python string's ``repr``) loses its quotes and has Markdown punctuation escaped; any
    other ``text/plain`` (a number's repr, say) is inserted as it is."""
    if len(plain) >= 2 and plain[0] == plain[-1] and plain[0] in "'\"":
        s = plain[1:-1].replace("\\", "\\\\")
        return re.sub(r"([\\`*_{}\[\]()>#+,\-.!])", r"\\\1", s)
    return plain


def inline_markdown(result: dict) -> str | None:
    """What Quarto writes for one inline expression's result (a Jupyter ``user_expressions``
    entry): ``text/markdown`` raw, ``text/plain`` escaped, ``text/html`` as a raw inline;
    ``None`` where Quarto leaves the expression's code in place (no data, or empty text)."""
    data = result.get("data", {})
    mime = next((m for m in INLINE_MIME if m in data), None)
    if mime is None:
        return None
    value = data[mime]
    value = "".join(map(str, value)) if isinstance(value, list) else str(value)
    if mime == "text/html":
        out = f"`{value}`{{=html}}"
    elif mime == "text/latex":
        out = f"`{value}`{{=tex}}"
    elif mime == "text/plain":
        out = escaped_markdown(value)
    else:
        out = value
    return out or None


def substitute_inline(text: str, results: dict[str, str | None]) -> str:
    """Replace each inline expression by its Markdown as Quarto does; an expression without a
    result keeps its code."""

    def sub(m):
        md = results.get(m.group(2).strip())
        return m.group(0) if md is None else m.group(1) + md

    return INLINE.sub(sub, text)


BUILTIN_CSS = "builtin.css"  # beside the .qmd
BUILTIN_TEMPLATE = "builtin-template.html"


def parse(text: str) -> tuple[dict, list[dict]]:
    """Split a .qmd into front matter and a list of ``{"kind": "md"|"code", ...}`` blocks."""
    front = {}
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        front = yamlfile.load(text[4:end]) or {}
        text = text[end + 4 :].lstrip("\n")
    blocks, pos = [], 0
    for m in CELL.finditer(text):
        blocks.append({"kind": "md", "text": text[pos : m.start()]})
        lines = m.group(1).splitlines()
        opts = [OPTION.match(x).group(1) for x in lines if OPTION.match(x)]
        src = "\n".join(x for x in lines if not OPTION.match(x)).strip("\n")
        blocks.append({"kind": "code", "source": src, "options": yamlfile.load("\n".join(opts)) or {}})
        pos = m.end()
    blocks.append({"kind": "md", "text": text[pos:]})
    return front, blocks


def execute(blocks: list[dict], cwd: Path, timeout: int = 600) -> list[dict]:
    """Run code cells and inline expressions in document order in one kernel, as Quarto's
    Jupyter engine does: code cells through nbclient, each Markdown block's inline expressions
    as one ``execute_request`` with ``user_expressions`` (quarto-cli notebook.py). Attaches
    ``outputs`` to code blocks and ``inline`` (expression -> Markdown) to Markdown blocks."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    with client.setup_kernel():
        for i, b in enumerate(blocks):
            if b["kind"] == "code":
                cell = nbformat.v4.new_code_cell(b["source"])
                nb.cells.append(cell)
                try:
                    client.execute_cell(cell, len(nb.cells) - 1)
                except CellExecutionError as e:
                    raise RenderError("a code cell failed:\n" + re.sub(r"\x1b\[[0-9;]*m", "", str(e))) from None
                b["outputs"] = cell.outputs
                continue
            exprs = [m.group(2) for m in INLINE.finditer(b["text"])]
            if not exprs:
                continue
            reply = client.wait_for_reply(
                client.kc.execute("", user_expressions={str(k): e for k, e in enumerate(exprs)})
            )
            results = reply["content"].get("user_expressions", {})
            b["inline"] = {}
            for k, e in enumerate(exprs):
                r = results.get(str(k), {})
                if r.get("status") != "ok":
                    raise RenderError(f"inline expression `{e.strip()}` failed: {r.get('ename')}: {r.get('evalue')}")
                b["inline"][e.strip()] = inline_markdown(r)
    return blocks


def _cell_markdown(b: dict, front: dict, files: Path, rel: str) -> str:
    opts = b["options"]
    echo = opts.get("echo", front.get("execute", {}).get("echo", True))
    output = opts.get("output", front.get("execute", {}).get("output", True))
    label = opts.get("label", "")
    out = []
    if echo:
        out.append(f"```python\n{b['source']}\n```")
    if output is False:
        return "\n\n".join(out)
    n_img = 0
    for o in b.get("outputs", []):
        if o.output_type == "stream" and o.name == "stdout":
            out.append(o.text if output == "asis" else f"```\n{o.text}```")
        elif o.output_type in ("display_data", "execute_result"):
            data = o.get("data", {})
            if "image/png" in data:
                n_img += 1
                name = f"{label or 'cell'}-{n_img}.png"
                files.mkdir(parents=True, exist_ok=True)
                (files / name).write_bytes(base64.b64decode(data["image/png"]))
                cap = opts.get("fig-cap", "")
                ident = f"{{#{label}}}" if label.startswith("fig-") else ""
                out.append(f"![{cap}]({rel}/{name}){ident}")
            elif "text/markdown" in data:
                out.append(data["text/markdown"])
            elif "text/plain" in data and output is not False:
                out.append(f"```\n{data['text/plain']}\n```")
    if label.startswith("tbl-") and opts.get("tbl-cap"):
        out.append(f": {opts['tbl-cap']} {{#{label}}}")
    return "\n\n".join(out)


def assemble(front: dict, blocks: list[dict], files: Path, rel: str) -> str:
    """Pandoc Markdown of the executed document (before cross-reference numbering)."""
    parts = []
    for b in blocks:
        if b["kind"] == "code":
            parts.append("\n" + _cell_markdown(b, front, files, rel) + "\n")
        else:
            parts.append(substitute_inline(b["text"], b.get("inline", {})))
    return "".join(parts)


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _metadata(front: dict, src_dir: Path) -> dict:
    keep = {
        k: v
        for k, v in front.items()
        if k in ("title", "subtitle", "author", "date", "abstract", "lang", "link-citations", "csl", "bibliography")
    }
    for k in ("bibliography", "csl"):
        if k in keep:
            keep[k] = str((src_dir / keep[k]).resolve())
    return keep


def read_markdown(md: str, front: dict, src_dir: Path) -> dict:
    """The document (Pandoc Markdown, with the front matter's metadata) parsed once by pandoc,
    as its JSON AST, which both writers take."""
    import json

    return json.loads(run_pandoc([pandoc_path(), "-f", "markdown", "-t", "json"], _with_metadata(md, front, src_dir)))


def _with_metadata(md: str, front: dict, src_dir: Path) -> str:
    return "---\n" + yaml.safe_dump(_metadata(front, src_dir)) + "---\n\n" + md


def relative_images(doc: dict, src_dir: Path, out_dir: Path) -> dict:
    """``doc`` with the paths of its images (relative to the .qmd; URLs and absolute paths are
    kept) relative to ``out_dir``, where the Typst file is compiled."""
    import copy

    doc = copy.deepcopy(doc)

    def fn(el):
        if el["t"] == "Image":
            p = el["c"][2][0]
            if not (re.match(r"^[a-z]+:", p) or p.startswith("/")):
                el["c"][2][0] = os.path.relpath((src_dir / p).resolve(), out_dir.resolve())

    walk(doc, fn)
    return doc


def to_html(doc: dict, front: dict, src_dir: Path, out: Path) -> None:
    """Self-contained HTML of the parsed document ``doc`` (pandoc JSON)."""
    import json

    fmt = (front.get("format") or {}).get("html") or {}
    css = src_dir / fmt["css"] if fmt.get("css") else None
    args = [
        pandoc_path(),
        "-f",
        "json",
        "-t",
        "html5",
        "-s",
        "--embed-resources",
        "--citeproc",
        f"--resource-path={src_dir}",
        "-o",
        str(out),
    ]
    if fmt.get("toc", True):
        args.append("--toc")
    if fmt.get("number-sections", True):
        args.append("--number-sections")
    # the built-in page and look stand in for Quarto's theme; the document's own css adds to either
    args += ["--template", str(src_dir / BUILTIN_TEMPLATE), "--css", str(src_dir / BUILTIN_CSS)]
    if css:
        args += ["--css", str(css)]
    for name in _as_list(fmt.get("include-after-body")):  # as Quarto: files beside the .qmd, verbatim
        args += ["--include-after-body", str(src_dir / name)]
    run_pandoc(args + _filters(front, src_dir), json.dumps(doc))


def to_pdf(doc: dict, front: dict, src_dir: Path, out: Path, root: Path) -> None:
    """Typst (``out`` with suffix .typ) and PDF of the parsed document ``doc`` (pandoc JSON)."""
    import json

    import typst

    fmt = (front.get("format") or {}).get("typst") or {}
    typ = out.with_suffix(".typ")
    args = [
        pandoc_path(),
        "-f",
        "json",
        "-t",
        "typst",
        "-s",
        "--citeproc",
        f"--resource-path={src_dir}",
        "-V",
        f"section-numbering={fmt.get('section-numbering', '1.1.')}",
        "-V",
        f"papersize={fmt.get('papersize', 'a4')}",
        "-o",
        str(typ),
    ]
    if fmt.get("toc", True):
        args.append("--toc")
    if fmt.get("fontsize"):  # as Quarto's Typst template: the body text's size
        args += ["-V", f"fontsize={fmt['fontsize']}"]
    for name in _as_list(fmt.get("include-in-header")):  # as Quarto: files beside the .qmd, verbatim
        args += ["-V", "header-includes=" + (src_dir / name).read_text(encoding="utf-8")]
    run_pandoc(args + _filters(front, src_dir), json.dumps(doc))
    typst.compile(str(typ), output=str(out), root=str(root))


def _filters(front: dict, src_dir: Path) -> list[str]:
    """The document's Lua filters (front matter ``filters:``, paths beside the .qmd), run by
    pandoc on the way to each format, as Quarto runs them (each sees its ``FORMAT``)."""
    return [f"--lua-filter={src_dir / f}" for f in _as_list(front.get("filters"))]


def _as_list(v) -> list:
    return [] if v is None else list(v) if isinstance(v, (list, tuple)) else [v]


def run_pandoc(args: list[str], stdin: str) -> str:
    p = subprocess.run(args, input=stdin.encode(), capture_output=True)
    if p.returncode:
        raise RenderError(f"pandoc failed: {p.stderr.decode(errors='replace')}")
    return p.stdout.decode()


def render(qmd, outdir, engine: str = "auto", formats=("html", "pdf")) -> list[Path]:
    """Render ``qmd`` to ``outdir/<stem>.html`` and ``.pdf``; ``engine`` is ``auto``
    (Quarto when on PATH), ``quarto`` or ``builtin``."""
    qmd, outdir = Path(qmd).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    if engine == "quarto" or (engine == "auto" and shutil.which("quarto")):
        return _render_quarto(qmd, outdir, formats)
    try:
        return _render_builtin(qmd, outdir, formats)
    finally:  # the support directory the paper's cells fill (analysis.paper.results.FIGURE_DIR), as Quarto removes it
        shutil.rmtree(qmd.parent / f"{qmd.stem}_files", ignore_errors=True)


def describe_pdf(qmd, pdfs: list[Path], authors: list[str]) -> None:
    """Title, ``description`` (as subject) and ``keywords`` of the document's front matter and
    ``authors`` written into each PDF (:mod:`analysis.paper.pdfmeta`), whichever renderer made it."""
    from analysis.paper.pdfmeta import describe

    front, _ = parse(Path(qmd).read_text(encoding="utf-8"))
    for pdf in pdfs:
        describe(
            pdf,
            str(front.get("title", "")),
            [str(a) for a in authors],
            str(front.get("description", "")),
            [str(k) for k in _as_list(front.get("keywords"))],
        )


def _render_builtin(qmd: Path, outdir: Path, formats) -> list[Path]:
    src = qmd.parent
    front, blocks = parse(qmd.read_text(encoding="utf-8"))
    files = outdir / f"{qmd.stem}_files"
    if files.exists():
        shutil.rmtree(files)
    blocks = execute(blocks, src)
    md = assemble(front, blocks, files, os.path.relpath(files, src))
    (outdir / f"{qmd.stem}.md").write_text(md, encoding="utf-8")
    made = []
    # one parse of the document for both formats
    doc = read_markdown(fig_alt(number(md, "typst")), front, src)
    if "html" in formats:
        made.append(outdir / f"{qmd.stem}.html")
        to_html(caption_prefixes(doc, numbering(md)), front, src, made[-1])
    if "pdf" in formats:
        made.append(outdir / f"{qmd.stem}.pdf")
        root = Path(os.path.commonpath([src, outdir, src.parent]))
        to_pdf(relative_images(doc, src, outdir), front, src, made[-1], root)
    return made


# What a render prints that is not a warning of Quarto, pandoc or typst: ipykernel's note on
# its local TCP transport, which every Jupyter kernel started by Quarto or nbclient prints.
KERNEL_NOISE = re.compile(r"\[IPKernelApp\] WARNING \| Kernel is running over TCP without encryption[^\n]*")
WARNING = re.compile(r"^.*(WARN(ING)?\b|\[WARNING\]|^warning:|Citeproc: citation).*$", re.M | re.I)


def render_warnings(log: str) -> list[str]:
    """The warning lines of a render log (Quarto ``WARN``, pandoc ``[WARNING]``, typst
    ``warning:``), ANSI colours removed, the kernel's transport note ignored."""
    text = KERNEL_NOISE.sub("", re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", log))
    return [m.group(0).strip() for m in WARNING.finditer(text)]


def _render_quarto(qmd: Path, outdir: Path, formats) -> list[Path]:
    """``quarto render`` for each format, with the kernel of this Python (``QUARTO_PYTHON``),
    so that Quarto executes the paper in the environment that built the results. Quarto's
    output is passed through (the render rule keeps it in ``results/logs/render/<stem>.log``);
    its warnings are repeated at the end."""
    import sys

    env = {**os.environ, "QUARTO_PYTHON": os.environ.get("QUARTO_PYTHON", sys.executable)}
    made, warnings = [], []
    for f, to in (("html", "html"), ("pdf", "typst")):
        if f not in formats:
            continue
        p = subprocess.run(
            ["quarto", "render", qmd.name, "--to", to], cwd=qmd.parent, env=env, capture_output=True, text=True
        )
        sys.stdout.write(p.stdout)
        sys.stdout.write(p.stderr)
        if p.returncode:
            raise RenderError(f"quarto render --to {to} failed (exit {p.returncode}):\n" + p.stderr[-3000:])
        warnings += render_warnings(p.stdout + p.stderr)
        made.append(outdir / f"{qmd.stem}.{f}")
    shutil.rmtree(qmd.parent / f"{qmd.stem}_files", ignore_errors=True)  # what Quarto leaves after a Typst render
    for w in warnings:
        print(f"render warning: {w}", file=sys.stderr)
    return made
