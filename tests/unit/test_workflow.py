"""The workflow as the Snakemake community checks it."""

from ..conftest import ROOT


def test_a_rules_code_is_the_import_closure_of_its_step():
    """code() of rules/common.smk: a step's file and every module of analysis/ it imports,
    transitively (lazy imports inside functions too), and nothing it does not import; a Quarto
    document's cells are read for the modules they import."""
    from analysis.workflow.sources import document_modules, imported_modules

    stats = imported_modules(ROOT, ["analysis.steps.statistics"])
    assert {"analysis/steps/statistics.py", "analysis/stats/plackett_luce.py", "analysis/survey/checks.py"} <= set(
        stats
    )
    assert "analysis/paper/figures.py" not in stats and "analysis/article/identification.py" not in stats
    paper = imported_modules(ROOT, ["analysis.steps.render", *document_modules(ROOT / "report/paper.qmd")])
    assert {
        "analysis/paper/identification_facts.py",
        "analysis/article/identification.py",
        "analysis/stats/countermeasures.py",
        "analysis/revision.py",
    } <= set(paper)
    survey = document_modules(ROOT / "report/survey.qmd")
    assert "analysis.paper.survey_facts" in survey and "analysis.paper.facts" not in survey
