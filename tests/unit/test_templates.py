"""The paper's words under report/templates (issue 38): every template compiles, the filters and
macros give English lists and counts, and a name a template does not get fails."""

from __future__ import annotations

import jinja2
import pytest

from analysis.paper.templates import environment

from ..conftest import ROOT


def render(source: str, **values) -> str:
    return environment(ROOT).from_string(source).render(**values)


def test_every_template_compiles():
    env = environment(ROOT)
    names = env.list_templates(extensions=["j2"])
    assert {"front.md.j2", "abstract.md.j2", "waves.md.j2", "trends.md.j2", "breakdown.md.j2"} <= set(names)
    for name in names:
        env.get_template(name)


@pytest.mark.parametrize(
    "items, said", [([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")]
)
def test_and_join_and_the_loop_separator_say_a_list_in_english(items, said):
    assert render("{{ x | and_join }}", x=items) == said
    looped = '{% from "_macros.md.j2" import sep %}{% for i in x %}{{ i }}{{ sep(loop) }}{% endfor %}'
    assert render(looped, x=items) == said


def test_count_says_small_numbers_in_words():
    assert [render('{{ n | count("wave") }}', n=n) for n in (0, 1, 3, 14)] == [
        "no waves",
        "one wave",
        "three waves",
        "14 waves",
    ]


def test_a_name_the_template_does_not_get_fails():
    with pytest.raises(jinja2.UndefinedError):
        render("{{ W.sizes }}", W=object())
    with pytest.raises(jinja2.UndefinedError):
        render("{{ missing }}")


def test_every_sentence_the_code_says_is_a_macro_of_its_template():
    """``say(R.root, "<section>", "<macro>", ...)`` in analysis/paper names a macro of
    report/templates/sentences/<section>.md.j2 (a misspelt name fails here, not in a render)."""
    import re

    env = environment(ROOT)
    calls = {
        m.groups()
        for path in (ROOT / "analysis/paper").glob("*.py")
        for m in re.finditer(r'say\(\s*R\.root,\s*"(\w+)",\s*"(\w+)"', path.read_text(encoding="utf-8"))
    }
    assert len(calls) >= 30
    missing = [(s, m) for s, m in sorted(calls) if not hasattr(env.get_template(f"sentences/{s}.md.j2").module, m)]
    assert missing == []
