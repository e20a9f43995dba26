"""Which paper a build writes: the article's reanalysis (``report/paper.qmd``) when the
configuration has the article's wave (its ``reconstruction:`` section), else a paper about the
user's own survey (``report/survey.qmd``) that never quotes the article's claims. The article's
reanalysis comes with a supplement (``report/supplement.qmd``: the full audit, the reproduction
report, robustness, the draws and the provenance appendix). Standard
library only: the workflow reads it in Snakemake's own Python."""

from __future__ import annotations


def has_article(config: dict) -> bool:
    """Whether the build includes the article's wave (``reconstruction:`` in the configuration)."""
    return bool(config.get("reconstruction"))


def document(config: dict) -> str:
    """The stem of the paper's Quarto document under ``report/``: ``paper`` or ``survey``; the
    rendered files are ``report/_output/<stem>.html`` and ``.pdf``."""
    return "paper" if has_article(config) else "survey"


def documents(config: dict) -> list[str]:
    """The stems of every Quarto document the build renders: the paper (:func:`document`) and,
    with the article's wave, its supplement."""
    return ["paper", "supplement"] if has_article(config) else ["survey"]
