"""The facts of the paper's data section: the wave read and cleaned, Table 1's means, the key-risk
rule and the reproduction check."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from analysis.paper.markup import Md
from analysis.paper.range_example import range_example
from analysis.paper.results import Results, Value, as_markdown, prov_span
from analysis.wording import join


@dataclass(frozen=True)
class DataFacts:
    """Section 2: the data, Table 1's means, the key-risk rule and the reproduction check."""

    n_read: Value
    n_valid: Value
    n_excluded: Value
    exclusion_kinds: Md
    mean: dict[str, Value]
    threshold: float
    points: Md
    threshold_text: Md
    n_s4: Md
    n_s4_match: Md
    n_mismatch: Md
    n_s22: Md
    range_example: Md  # a range on the article's numbers, before any range is used


def data_facts(R: Results, lab: dict[str, Md], areas: list[str], top: str) -> DataFacts:
    """The wave read and cleaned, Table 1's means, the key-risk rule and the reproduction check."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    F.n_read = R.value("flow.csv", {"step": "read"}, "n", 0)
    F.n_valid = R.value("flow.csv", {"step": "valid_rankings"}, "n", 0)
    exc = R.csv("exclusions.csv")
    exc = exc[exc["scope"] != "attribute"]  # (a respondent kept with one attribute missing is not excluded)
    F.n_excluded = Value(
        len(exc), 0, R.rel(R.path("exclusions.csv")), "number of rows", R.rule_of(R.rel(R.path("exclusions.csv")))
    )
    kinds = exc["reason"].value_counts().sort_index()
    F.exclusion_kinds = join(
        [f"{k.replace('_', ' ')} ({R.span(str(v), 'exclusions.csv', 'reason == ' + k)})" for k, v in kinds.items()]
    )
    F.mean = {a: R.value("table1.csv", {"area": a}, "mean", 2) for a in areas}
    F.threshold = R.codebook.threshold
    F.points = prov_span(str(sum(R.codebook.scores)), R.config["codebook"], "ranking: sum of the scores")
    F.threshold_text = prov_span(str(F.threshold), R.config["codebook"], "ranking.key_risk_threshold")

    rep = R.csv("reproduction.csv", wave="", dtype=str)
    s4 = rep[~rep["id"].str.startswith("s22.")]
    F.n_s4 = R.span(str(len(s4)), "reproduction.csv", "rows of section 4 and Table 1", wave="")
    F.n_s4_match = R.span(str(int((s4["status"] == "match").sum())), "reproduction.csv", "status == match", wave="")
    n_mis = int((rep["status"] == "mismatch").sum())
    F.n_mismatch = R.span("none" if n_mis == 0 else str(n_mis), "reproduction.csv", "status == mismatch", wave="")
    F.n_s22 = R.span(str(int(rep["id"].str.startswith("s22.").sum())), "reproduction.csv", "rows s22.*", wave="")
    F.range_example = range_example(R)
    return DataFacts(**as_markdown(vars(F)))
