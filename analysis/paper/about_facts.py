"""What the paper says of itself: its authors, date, version and sources (the title block), how to
cite it, and the availability of its data and code (the back matter). Built from the build's
configuration (``report:``) and ``results/about.json`` (rule about); the words are the templates
``report/templates/front.md.j2`` and ``back.md.j2`` (:mod:`analysis.paper.templates`)."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.paper.markup import Md, text
from analysis.paper.results import Results
from analysis.wording import join
from analysis.workflow.document import has_article

SOURCES_ID_HEX = 16  # hex digits of the sources' SHA-256 the paper prints as their identifier


@dataclass(frozen=True)
class Author:
    """One author as the title block shows them (each part escaped Markdown; ``orcid`` plain)."""

    name: Md
    affiliation: Md
    orcid: str


@dataclass(frozen=True)
class AboutFacts:
    """The title block's and the back matter's facts (``A.<name>`` in the templates)."""

    article: bool  # the build reanalyses the article (report/paper.qmd), else the user's survey
    authors: list[Author]
    date: Md  # the configured date (report.date), never the build's time
    year: str
    version: Md
    sources_id: Md  # the first SOURCES_ID_HEX hex digits of the SHA-256 of results/sources.sha256
    n_sources: Md
    software_title: Md
    software_authors: Md
    licence: Md
    repository: str  # "" when none is configured
    html: Md  # where the HTML version is
    raw_files: Md  # the configured waves' raw files (escaped: paths are the user's), for the data statement


def about_facts(R: Results) -> AboutFacts:
    """The facts of the title block and the back matter of ``R``'s build (each number with its
    provenance: results/about.json or the effective configuration)."""
    about = R.json("about.json")
    report = R.config["report"]
    repository = report.get("repository", "")

    def span(content: str, field: str) -> Md:
        return R.span(content, "about.json", field, wave="")

    html = f"`report/_output/{R.document}.html` of the build" + (f", or <{repository}>" if repository else "")
    raw = [w["path"] for w in R.config["waves"] if "path" in w]
    return AboutFacts(
        article=has_article(R.config),
        authors=[
            Author(text(a["name"]), text(a["affiliation"]) if a.get("affiliation") else Md(""), a.get("orcid", ""))
            for a in report["authors"]
        ],
        date=R.span(text(report["date"]), "config.effective.json", "report.date", wave=""),
        year=report["date"][:4],
        version=span(text(about["version"]), "version"),
        sources_id=span(
            about["sources_sha256"][:SOURCES_ID_HEX], f"sources_sha256 (first {SOURCES_ID_HEX} hex digits)"
        ),
        n_sources=span(str(about["sources"]), "sources"),
        software_title=text(about["title"]),
        software_authors=join([text(a) for a in about["authors"]]),
        licence=text(about["licence"]),
        repository=repository,
        html=Md(html),
        raw_files=join([text(p) for p in raw]) if raw else Md("none (the waves are simulated)"),
    )
