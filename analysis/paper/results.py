"""What the paper's code cells call: results loaded from ``results/``, numbers that carry
their provenance, and Markdown tables. Reads files; computes nothing new."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from analysis import yamlfile
from analysis.codebook import Codebook
from analysis.paper.markup import Md, attr, text
from analysis.rounding import fmt
from analysis.workflow.document import document as paper_document
from analysis.workflow.document import has_article
from analysis.workflow.provenance import by_output, closure, read_records


def project_root(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` (default: cwd) holding the Snakefile."""
    p = (start or Path.cwd()).resolve()
    for d in (p, *p.parents):
        if (d / "Snakefile").exists():
            return d
    raise FileNotFoundError("no Snakefile above the current directory")


def as_markdown(obj):
    """``obj`` with every ``str`` in it (also inside dicts, lists and tuples) made :class:`Md`."""
    if isinstance(obj, str):
        return obj if isinstance(obj, Md) else Md(obj)
    if isinstance(obj, dict):
        return {k: as_markdown(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(as_markdown(v) for v in obj)
    return obj


def prov_span(content: str, source: str, field: str, rule: str = "") -> Md:
    """Markdown span whose provenance (HTML ``title``, which report/provenance.html opens on click,
    tap or keyboard) names the results file, field and rule.

    Written as an HTML ``<span>``, which pandoc's Markdown (``native_spans``, on in Pandoc
    Markdown and Quarto) reads as the same Span as ``[text]{.prov title="..."}``: the same
    document, the same HTML and PDF."""
    tip = f"{source} : {field}" + (f" (rule {rule})" if rule else "")
    return Md(f'<span class="prov" title="{attr(tip)}">{content}</span>')


@dataclass(frozen=True)
class Value:
    """A number in the prose, printed with fixed decimals, that knows where it came from."""

    x: float
    decimals: int
    source: str
    field: str
    rule: str = ""
    suffix: str = ""

    def __str__(self) -> str:
        return minus_signs(fmt(self.x, self.decimals) if self.decimals >= 0 else str(self.x)) + self.suffix

    def _repr_markdown_(self) -> str:
        return prov_span(str(self), self.source, self.field, self.rule)

    def __float__(self) -> float:
        return float(self.x)


EMPTY = "\u2014"  # an empty cell as readers see it
# Where figures are copied for rendering, relative to the document: its "<stem>_files"
# support directory, as Quarto names it (removed after rendering by Quarto and the built-in).
FIGURE_DIR = "{document}_files/results"


def md_table(
    df: pd.DataFrame, align: list[str] | None = None, source: str | dict[str, str] = "", markdown: tuple[str, ...] = ()
) -> Markdown:
    """A DataFrame as a Markdown pipe table (text left, numbers right). Headers and cells are
    text, escaped (:func:`analysis.paper.markup.text`), except the cells of the columns named in
    ``markdown``, which are Markdown written by this project's code (APA statistics, say).
    With ``source`` (the results file and rule, or one per column name), every cell holding a
    number carries it as its provenance (a ``title`` that report/provenance.html opens on click, tap or keyboard)."""
    if align is None:
        align = ["right" if pd.api.types.is_numeric_dtype(t) else "left" for t in df.dtypes]
    df = df.astype(object).where(df.notna(), EMPTY)  # readers see a dash, never nan or None
    widths = column_widths(df)
    sources = [source.get(c, "") if isinstance(source, dict) else source for c in df.columns]
    df = df.copy()
    for c in df.columns:
        df[c] = [Md(v) if c in markdown else _breakable(text(minus_signs(str(v)))) for v in df[c]]
    df = df.rename(columns=text)
    for c, src in zip(df.columns, sources):
        if src:
            df[c] = [prov_span(v, src, _plain(c)) if re.search(r"\d", _plain(v)) else v for v in df[c]]
    lines = df.to_markdown(index=False, colalign=align, disable_numparse=True).splitlines()
    # pandoc sizes the columns of a wide table by these dashes (relative widths in HTML and Typst)
    lines[1] = (
        "|"
        + "|".join(
            (":" if a in ("left", "center") else "-") + "-" * (w - 2) + (":" if a in ("right", "center") else "-")
            for w, a in zip(widths, align)
        )
        + "|"
    )
    return Markdown("\n".join(lines))


_NUMERIC_CELL = re.compile(r"[-+\u2212\d.,%\s\[\]()<>]*\d[-+\u2212\d.,%\s\[\]()<>]*")


def minus_signs(cell: str) -> str:
    """A cell of numbers (``-24.0 [-32.3, -15.2]``) with the minus sign U+2212 for each
    hyphen-minus before a digit, as the prose writes negatives (:func:`analysis.paper.apa.num`);
    any other cell (a label such as "COVID-19") is returned unchanged."""
    if not _NUMERIC_CELL.fullmatch(cell):
        return cell
    return re.sub(r"(?<![\d.])-(?=\d)", "\u2212", cell)


def _breakable(md: Md) -> Md:
    """Escaped text with a line-break opportunity (HTML ``<wbr>``) after each "/", so that a
    path in a table cell wraps in a browser instead of widening the table; the PDF breaks
    paths there by itself (report/typst-header.typ) and pandoc leaves the HTML out of it."""
    return Md(md.replace("\\/", "\\/<wbr>"))


def _plain(md: str) -> str:
    """The text of escaped Markdown (:func:`analysis.paper.markup.text`): backslash escapes undone."""
    return re.sub(r"\\(.)", r"\1", md)


# Characters of table text a column of the page's text width holds (8 pt type in the PDF), and
# the break opportunities of a cell: spaces, and after "/" (typst-header.typ breaks paths there).
TABLE_WIDTH = 100
_TOKENS = re.compile(r"[^\s/]+/?|/")


def column_widths(df: pd.DataFrame, total: int = TABLE_WIDTH) -> list[int]:
    """Relative column widths (in characters, each at least 3) from content, as browsers lay
    out automatic tables (CSS 2.1, 17.5.2.2): each column's minimum is its longest unbreakable
    token, its maximum its longest cell; when the maxima do not fit in ``total``, each column
    gets its minimum plus a share of the room left in proportion to (maximum - minimum)."""
    lo, hi = [], []
    for c in df.columns:
        cells = [str(c), *map(str, df[c])]
        lo.append(max(max((len(t) for t in _TOKENS.findall(x)), default=1) for x in cells))
        hi.append(max(len(x) for x in cells))
    if sum(hi) <= total:
        return [max(3, h) for h in hi]
    room, spread = total - sum(lo), sum(h - m for h, m in zip(hi, lo))
    if room <= 0 or spread == 0:
        return [max(3, m) for m in lo]
    return [max(3, round(m + room * (h - m) / spread)) for h, m in zip(hi, lo)]


class Results:
    """The results of one build, read from ``results/`` under the project root."""

    def __init__(self, root: Path | None = None, document: str | None = None):
        """``document``: the stem of the Quarto document being rendered (default: the build's
        paper, :func:`analysis.workflow.document.document`); its figures are copied beside it."""
        self.root = root or project_root()
        # the build's effective configuration (written by rule effective_config), else config.yaml
        effective = self.root / "results" / "config.effective.json"
        source = effective if effective.exists() else self.root / "config.yaml"
        self.config = yamlfile.load(source.read_text(encoding="utf-8"))
        self.waves = [w["id"] for w in self.config["waves"]]
        # the wave the paper is about: the article's, else (a paper about the user's own survey) the newest
        self.document = document or paper_document(self.config)
        self.wave = self.config["reconstruction"]["wave"] if has_article(self.config) else self.waves[-1]
        self._wave_codebooks: dict[str, Codebook] = {}

    def path(self, name: str, wave: str | None = None) -> Path:
        return self.root / "results" / (wave or self.wave) / name if wave != "" else self.root / "results" / name

    def rel(self, p: Path) -> str:
        return p.relative_to(self.root).as_posix()

    def csv(self, name: str, wave: str | None = None, **kw) -> pd.DataFrame:
        """A results CSV of ``wave`` (default: the article's wave; ``""`` for results/ itself)."""
        kw = {"keep_default_na": False, "na_values": [""], **kw}
        return pd.read_csv(self.path(name, wave), **kw)

    def json(self, name: str, wave: str | None = "") -> dict:
        """A results JSON file (default: one of results/ itself, such as about.json)."""
        return json.loads(self.path(name, wave).read_text(encoding="utf-8"))

    def codebook_of(self, wave: str) -> Codebook:
        """The codebook as ``wave`` asked it: its own (results/<wave>/codebook.yaml, rule
        wave_codebook) when its entry has a ``revision``, else the project's."""
        entry = next((w for w in self.config["waves"] if w["id"] == wave), {})
        if "revision" not in entry:
            return self.codebook
        if wave not in self._wave_codebooks:  # (read once: the sections ask for it again and again)
            path = self.root / "results" / wave / "codebook.yaml"
            self._wave_codebooks[wave] = Codebook(yamlfile.load(path.read_text(encoding="utf-8")))
        return self._wave_codebooks[wave]

    @cached_property
    def codebook(self) -> Codebook:
        return Codebook(yamlfile.load((self.root / self.config["codebook"]).read_text(encoding="utf-8")))

    @cached_property
    def published(self) -> pd.DataFrame:
        from analysis.article.published import published_table

        return published_table(yamlfile.load((self.root / self.config["published"]).read_text(encoding="utf-8")))

    def value(
        self, name: str, where: dict, column: str, decimals: int, wave: str | None = None, suffix: str = ""
    ) -> Value:
        """One cell of a results CSV, selected by ``where`` (column -> value), with provenance."""
        df = self.csv(name, wave)
        m = pd.Series(True, index=df.index)
        for k, v in where.items():
            m &= df[k].astype(str) == str(v)
        if m.sum() != 1:
            raise KeyError(f"{name}: {where} selects {int(m.sum())} rows")
        field = ", ".join(f"{k}={v}" for k, v in where.items()) + f" -> {column}"
        src = self.rel(self.path(name, wave))
        return Value(df.loc[m, column].iloc[0], decimals, src, field, self.rule_of(src), suffix)

    @cached_property
    def provenance(self) -> dict[str, dict]:
        """Output file -> the provenance record of the job that wrote it (results/provenance/)."""
        return by_output(read_records(self.root / "results/provenance"))

    @cached_property
    def build_files(self) -> list[str]:
        """The results files of the current build that the paper rests on: the files the paper
        reads (``results/paper_inputs.json``, from the current DAG) and, through the provenance
        records, every results file they were computed from (:func:`analysis.workflow.provenance.closure`)."""
        return closure(
            json.loads((self.root / "results/paper_inputs.json").read_text(encoding="utf-8")), self.provenance
        )

    def rule_of(self, source: str) -> str:
        return self.provenance.get(source, {}).get("rule", "")

    def source(self, name: str, wave: str | None = None) -> str:
        """ "<results file>, rule <the rule that wrote it>" (from the provenance records), the
        source line of a table."""
        src = self.rel(self.path(name, wave))
        return f"{src}, rule {self.rule_of(src)}"

    def span(self, text: str, name: str, field: str, wave: str | None = None) -> Md:
        """``text`` (e.g. an APA-formatted test) with a tooltip naming its results file."""
        src = self.rel(self.path(name, wave))
        return prov_span(text, src, field, self.rule_of(src))

    def caption(self, words: str, name: str, wave: str | None = None) -> Md:
        """A table's or figure's caption ``words`` (Markdown) that opens the results file it is
        built from, and its rule, as a number does: the source stays out of the caption's words."""
        return self.span(words, name, "every value shown", wave)

    def caption_block(self, name: str, wave: str | None = None, *, caller) -> Md:
        """:meth:`caption` as a template's call block (``{% call caption("flow.csv", w) %}words{%
        endcall %}``, :mod:`analysis.paper.templates`): the block's words are the caption's."""
        return self.caption(caller(), name, wave)

    def figure(self, name: str, label: str, wave: str | None = None, caption: str | None = None) -> Md:
        """Figure ``label``: the results image ``figures/<name>`` of ``wave`` (``""``: the
        build's own figures, ``"waves"``: the comparison of waves) as a Markdown figure with
        its caption (``report/captions.yaml``, key ``caption``, default ``label``) and its alt text (:mod:`analysis.paper.alttext`),
        as Quarto reads it (``fig-alt``). The image is copied into the document's support
        directory (:data:`FIGURE_DIR`, which both renderers remove after rendering), inside the
        Quarto project, where Quarto's Typst step may read it; the HTML embeds it."""
        from analysis.paper.alttext import alt_text

        src = self.path(f"figures/{name}", wave)
        rel = Path(FIGURE_DIR.format(document=self.document)) / src.relative_to(self.root / "results")
        dest = Path.cwd() / rel
        data = src.read_bytes()
        if not dest.exists() or dest.read_bytes() != data:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        path = self.rel(src)
        caption = prov_span(self.captions[caption or label], path, "the figure", self.rule_of(path))
        alt = alt_text(self, label, wave).replace("\\", "\\\\").replace('"', '\\"')
        return Md(f'![{caption}]({rel.as_posix()}){{#{label} fig-alt="{alt}"}}')

    @cached_property
    def words(self) -> dict[str, dict[str, str]]:
        """The words readers see for the pipeline's codes (``report/words.yaml``)."""
        return yamlfile.load((self.root / "report/words.yaml").read_text(encoding="utf-8"))

    @cached_property
    def captions(self) -> dict[str, str]:
        return yamlfile.load((self.root / "report/captions.yaml").read_text(encoding="utf-8"))
