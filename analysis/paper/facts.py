"""The facts the paper's prose quotes, typed: one frozen dataclass per section of the paper,
built from the results files (:func:`facts`), each by its own builder. ``report/paper.qmd`` reads them
as ``F.<section>.<name>``; a
test checks every name it reads against the fields, so a wrong name fails in a test, not in a
render. Each value is Markdown (:class:`analysis.paper.markup.Md`; numbers carry their provenance
tooltip) or a plain flag, list or table the prose chooses its words by."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from analysis.paper import apa
from analysis.paper.audit_facts import AuditFacts, audit_facts
from analysis.paper.countermeasure_facts import CountermeasureFacts, countermeasure_facts
from analysis.paper.data_facts import DataFacts, data_facts
from analysis.paper.identification_facts import IdentificationFacts, identification_facts
from analysis.paper.labels import area_labels
from analysis.paper.markup import Md, text
from analysis.paper.results import Results, as_markdown
from analysis.paper.templates import say
from analysis.wording import join


@dataclass(frozen=True)
class RiskFacts:
    """Section 3: tests of the ranking and the multiple-response questions."""

    friedman: Md
    kendall: Md
    friedman_sig: bool
    areas_differ: Md
    friedman_verb: Md
    threshold_t: dict[str, Md]
    threshold_ci: dict[str, Md]
    key_areas: list[str]
    top_is_key: bool  # the first area's mean is above the key-risk threshold (the article's Table 1 fixes it)
    robust_key_areas: list[str]
    key_sentence: Md
    pl_order: Md
    cochran: dict[str, Md]


@dataclass(frozen=True)
class SensitivityFacts:
    """Section 3.5: the draws of other reconstructions."""

    n_draws: Md
    marginal_identical: bool
    marginal_text: Md
    coverage_text: Md


@dataclass(frozen=True)
class Facts:
    """Every fact the prose quotes, by section (``F.data.n_read``, ``F.risk.friedman``, ...)."""

    data: DataFacts
    audit: AuditFacts
    risk: RiskFacts
    sensitivity: SensitivityFacts
    countermeasures: CountermeasureFacts
    identification: IdentificationFacts


def facts(R: Results) -> Facts:
    """Everything the prose quotes, section by section, from the results files of ``R``. The prose
    quotes these as inline values: their text is Markdown (spans, emphasis, references)."""
    lab = area_labels(R)
    areas = list(lab)
    top = areas[0]
    data = data_facts(R, lab, areas, top)
    return Facts(
        data=data,
        audit=audit_facts(R, data, lab, areas, top),
        risk=_risk_facts(R, data, lab, areas, top),
        sensitivity=_sensitivity_facts(R, lab, areas, top),
        countermeasures=countermeasure_facts(R, lab, areas, top),
        identification=identification_facts(R, data, lab, areas, top),
    )


def _risk_facts(R: Results, data: DataFacts, lab: dict[str, Md], areas: list[str], top: str) -> RiskFacts:
    """The tests of the ranking and of the multiple-response questions (results/<wave>/inference/)."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    fr = R.csv("inference/friedman.csv").iloc[0]
    F.friedman = R.span(
        apa.chi2(fr["chi2"], int(fr["df"]), int(fr["n"]), fr["p"]), "inference/friedman.csv", "chi2, df, n, p"
    )
    F.kendall = R.span(apa.kendall_w(fr["kendall_w"]), "inference/friedman.csv", "kendall_w")
    F.friedman_sig = fr["p"] < 0.05
    F.areas_differ = say(R.root, "risk", "areas_differ", significant=F.friedman_sig)
    F.friedman_verb = say(R.root, "risk", "friedman_verb", significant=F.friedman_sig, n_areas=len(areas))
    th = R.csv("inference/threshold.csv").set_index("area")
    F.threshold_t = {
        a: R.span(
            apa.t(th.at[a, "t"], int(th.at[a, "df"]), th.at[a, "p_greater"]),
            "inference/threshold.csv",
            f"t, df, p_greater ({a})",
        )
        for a in areas
    }
    F.threshold_ci = {
        a: R.span(
            apa.ci(th.at[a, "boot_low"], th.at[a, "boot_high"]), "inference/threshold.csv", f"boot_low, boot_high ({a})"
        )
        for a in areas
    }
    F.key_areas = [a for a in areas if th.at[a, "above_threshold"]]
    F.top_is_key = top in F.key_areas
    F.robust_key_areas = [a for a in areas if th.at[a, "interval_above"] and th.at[a, "p_greater"] < 0.05]
    F.key_sentence = say(
        R.root,
        "risk",
        "key",
        key=[lab[a] for a in F.key_areas],
        robust=[lab[a] for a in F.robust_key_areas],
        all_robust=set(F.robust_key_areas) == set(F.key_areas),
        threshold=data.threshold_text,
    )
    pl = R.csv("inference/plackett_luce.csv").set_index("area")
    F.pl_order = join([lab[a] for a in pl.sort_values("worth", ascending=False).index])

    co = R.csv("inference/cochran.csv").set_index("question")
    F.cochran = {
        q: R.span(
            apa.cochran_q(co.at[q, "q"], int(co.at[q, "df"]), int(co.at[q, "n"]), co.at[q, "p"]),
            "inference/cochran.csv",
            f"q, df, n, p ({q})",
        )
        for q in co.index
    }
    return RiskFacts(**as_markdown(vars(F)))


def _sensitivity_facts(R: Results, lab: dict[str, Md], areas: list[str], top: str) -> SensitivityFacts:
    """The draws of other reconstructions (results/sensitivity/)."""
    F = SimpleNamespace()  # (this section's facts, as they are built)
    sens = R.csv("sensitivity/conclusions.csv", wave="").set_index("conclusion")
    F.n_draws = R.span(f"{int(sens['n_draws'].iloc[0]):,}", "sensitivity/conclusions.csv", "n_draws", wave="")
    summ = R.csv("sensitivity/summary.csv", wave="")
    marg = summ[summ["family"].eq("friedman") | summ["subject"].str.match(r"^(nemenyi|conover):")]
    F.marginal_identical = bool(marg["identical"].astype(str).eq("True").all())
    F.marginal_text = say(R.root, "risk", "marginal", identical=F.marginal_identical)
    F.coverage_text = coverage_sentence(R)
    return SensitivityFacts(**as_markdown(vars(F)))


def coverage_sentence(R: Results) -> str:
    """How much of the attainable data sets the draws visited (results/sensitivity/coverage.csv)."""
    cov = R.csv("sensitivity/coverage.csv", wave="").set_index("item")
    m = cov.loc["table1_matrix"]
    src = "sensitivity/coverage.csv"
    mats = R.span(
        f"{int(m.visited):,} of the {int(m.attainable):,}", src, "table1_matrix: visited, attainable", wave=""
    )
    qs = cov[cov.index.str.startswith("mr_total:")]
    lab = {q["id"]: text(q["label"]) for q in R.codebook.question_items}
    totals = [
        say(
            R.root,
            "risk",
            "question_total",
            count=R.span(f"{int(r.visited)} of {int(r.attainable)}", src, f"{i}: visited, attainable", wave=""),
            question=lab[i.split(":", 1)[1]],
        )
        for i, r in qs.iterrows()
    ]
    return say(R.root, "risk", "coverage", matrices=mats, every=bool(m.all_visited), totals=totals)
