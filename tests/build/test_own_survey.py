"""A user's own survey beside the article's (issue 36): the article's analysis only on the
article's data, and what the user's wave keeps."""

import re
import shutil
import subprocess

import pytest

from ..conftest import OWN_N, ROOT


@pytest.mark.build
def test_a_config_without_the_articles_wave_builds_a_paper_about_the_users_survey(own_build):
    """No reproduction, audit, identification or draws run; the survey paper (HTML and PDF)
    says what the wave's results files say, every questionnaire is counted (read = kept +
    excluded, valid + excluded rankings = kept), and nothing of the article's claims appears."""
    import pandas as pd

    from ..support.claims import flat
    from ..support.htmlstructure import visible_text

    root = own_build
    assert sorted(p.name for p in (root / "report/_output").glob("*.html")) == ["survey.html"]
    for gone in ("reproduction.csv", "audit.csv", "identification.csv", "sensitivity", "reconstructed"):
        assert not (root / "results" / gone).exists(), gone
    flow = pd.read_csv(root / "results/2026/flow.csv", keep_default_na=False)
    n = flow.groupby("step")["n"].sum()
    assert n["read"] == OWN_N  # ids 1..400 like the article's 1..238: nobody is lost
    assert n["questionnaires_kept"] + n.get("excluded_questionnaire", 0) == OWN_N
    assert n["valid_rankings"] + n["excluded_ranking"] == n["questionnaires_kept"]
    assert flow[flow["step"] == "excluded_ranking"].set_index("reason")["n"].to_dict() == {"blank": 7}
    fr = pd.read_csv(root / "results/2026/inference/friedman.csv").iloc[0]
    pl = pd.read_csv(root / "results/2026/inference/plackett_luce.csv").set_index("area")["worth"]
    fc = pd.read_csv(root / "results/2026/inference/first_choice.csv").set_index("area")
    misfit = bool(((100 * pl < fc["ci_low"]) | (100 * pl > fc["ci_high"])).any())
    html = flat(visible_text((root / "report/_output/survey.html").read_text(encoding="utf-8")))
    pdf = flat(
        subprocess.run(
            ["pdftotext", "-raw", str(root / "report/_output/survey.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    from analysis.paper import apa

    chi2 = re.sub(r"[*~]", "", apa.chi2(fr["chi2"], int(fr["df"]), int(fr["n"]), fr["p"]))
    for text in (html, pdf):
        assert f"We analysed {OWN_N} questionnaires of Spring survey 2026" in text
        assert f"became {int(n['valid_rankings'])} valid rankings" in text
        assert chi2.split(" = ")[0] in text and f"N = {int(fr['n'])}" in text
        assert "{python}" not in text and "nan" not in text.split()
        assert ("The model does not fit the first choices" in text) == misfit  # (worth against the Wilson interval)
        words = text[: text.index("How to cite")]  # (the paper's own words; then the software's title)
        for claim in (
            "reconstruct",
            "surveyed",
            "238 college",
            "215 valid",
            "Consistency audit",
            "Reproduction report",
            "Table 1 of the article beside",
        ):
            assert claim not in words, claim


def test_a_dropped_option_that_countermeasures_address_is_left_out(codebook, tmp_path):
    """A wave whose revision drops credit.counterfeit (addressed by countermeasures of
    data/countermeasures.yaml): rule statistics runs, and each countermeasure counts only the
    risks the wave asked."""
    import pandas as pd
    import yaml

    from analysis.revision import revised
    from analysis.survey.simulate import simulate

    from ..support.steps import revised_wave

    book = revised(
        codebook,
        {
            "dropped_options": ["credit.counterfeit"],
            "added_options": [{"question": "credit", "id": "counterfeit_goods", "label": "Counterfeit goods"}],
        },
    )
    w = revised_wave(book, simulate(book, 120, 3), tmp_path)
    cm = yaml.safe_load((ROOT / "data/countermeasures.yaml").read_text())
    want = {c["id"]: len([r for r in c["addresses"] if r != "credit.counterfeit"]) for c in cm["countermeasures"]}
    got = pd.read_csv(w / "countermeasures/countermeasures.csv").set_index("countermeasure")["n_risks"].to_dict()
    assert got == want and any(("credit.counterfeit" in c["addresses"]) for c in cm["countermeasures"])
    risks = pd.read_csv(w / "countermeasures/risks.csv")
    assert "credit.counterfeit" not in set(risks["risk"]) and "credit.counterfeit_goods" in set(risks["risk"])


def test_a_split_option_is_compared_as_the_union_of_its_parts(codebook, tmp_path):
    """A wave that asks "Commodity counterfeit" as brand-name and no-name goods: the comparison
    reads the option as the respondents who named either (not one half), and the wave's own
    statistics keep both parts."""
    import numpy as np
    import pandas as pd

    from analysis.revision import RevisionError, common, left_out, revised
    from analysis.stats import compare as cp
    from analysis.steps import read_asked_by_all
    from analysis.survey.clean import clean
    from analysis.survey.simulate import simulate

    rev = {
        "added_options": [
            {"question": "credit", "id": "counterfeit_brand", "label": "Counterfeit (brand-name)"},
            {"question": "credit", "id": "counterfeit_noname", "label": "Counterfeit (no-name)"},
        ],
        "split_options": {"credit.counterfeit": ["counterfeit_brand", "counterfeit_noname"]},
    }
    book = revised(codebook, rev)
    assert "credit.counterfeit" not in {f"credit.{o['id']}" for o in book.question_items[0]["options"]}
    shares = {"credit.counterfeit_brand": 0.4, "credit.counterfeit_noname": 0.4}
    paths = []
    for name, b, raw in [
        ("old", codebook, simulate(codebook, 400, 1, {"credit.counterfeit": 0.64})),
        ("new", book, simulate(book, 400, 2, shares)),
    ]:
        paths.append(tmp_path / f"{name}.csv")
        clean(raw, b)[0].to_csv(paths[-1], index=False)
    code = common([codebook, book])
    assert "counterfeit" in [o["id"] for o in code.question_items[0]["options"]]
    assert left_out({"old": codebook, "new": book}) == {
        "old": [],
        "new": ["credit.counterfeit_brand", "credit.counterfeit_noname"],
    }
    old, new = read_asked_by_all([str(p) for p in paths], [codebook, book], code)
    raw_new = pd.read_csv(paths[1])
    either = (raw_new["credit_counterfeit_brand"] | raw_new["credit_counterfeit_noname"]).to_numpy()
    assert np.array_equal(new["credit_counterfeit"].to_numpy(), either) and list(new.columns) == list(old.columns)
    row = cp.mr_changes(old, new, code, ("old", "new")).set_index("option").loc["counterfeit"]
    answered = raw_new[[c for c in raw_new.columns if c.startswith("credit_")]].to_numpy().any(axis=1)
    # percent of the cases that answered the question: about 1 - 0.6^2 = 64 % of all, not one half's 40 %
    assert row["pct_to"] == pytest.approx(100 * either[answered].mean()) and either.mean() > 0.55
    with pytest.raises(RevisionError, match="needs two or more parts, each an added option"):
        revised(codebook, {"split_options": {"credit.counterfeit": ["a", "b"]}})


def test_a_panel_is_compared_paired_over_its_linked_respondents(codebook, tmp_path):
    """Two waves declared one panel: the same people (ids 1..150, the second wave in another row
    order and with 20 newcomers) are linked by id, and the changes are paired: McNemar over the
    discordant pairs (statsmodels; checked against scipy's exact binomial test) and paired t
    (checked against the mean of the differences); no bootstrap of marginal independence."""
    import numpy as np
    import pandas as pd
    from scipy import stats

    from analysis.survey.simulate import simulate

    from ..support.steps import statistics_command, step

    first = simulate(codebook, 150, 8, {"credit.quality": 0.3})
    second = first.copy()
    flip = np.random.default_rng(3).random(150) < 0.25  # a quarter now name Commodity quality
    second.loc[flip, "credit_quality"] = "1"
    second = pd.concat([second.sample(frac=1, random_state=1), simulate(codebook, 20, 9, id_start=9001)])
    files = {}
    for name, raw in (("w1", first), ("w2", second)):
        w = tmp_path / name
        w.mkdir()
        raw.to_csv(tmp_path / f"{name}.csv", index=False)
        p = step(
            "clean",
            "--raw",
            str(tmp_path / f"{name}.csv"),
            "--codebook",
            "data/codebook.yaml",
            "--responses",
            str(w / "responses.csv"),
            "--exclusions",
            str(w / "exclusions.csv"),
            "--flow",
            str(w / "flow.csv"),
        )
        assert p.returncode == 0, p.stderr
        q = step("statistics", *statistics_command(w, ""))
        assert q.returncode == 0, q.stderr[-2000:]
        files[name] = w
    arg = {
        k: ",".join(str(files[w] / f) for w in ("w1", "w2"))
        for k, f in [
            ("r", "responses.csv"),
            ("k", "countermeasures/risks.csv"),
            ("t", "table1.csv"),
            ("f", "inference/friedman.csv"),
        ]
    }
    p = step(
        "compare",
        "--waves",
        "w1,w2",
        "--wave-responses",
        arg["r"],
        "--wave-risks",
        arg["k"],
        "--wave-table1",
        arg["t"],
        "--wave-friedman",
        arg["f"],
        "--wave-codebooks",
        "data/codebook.yaml,data/codebook.yaml",
        "--bootstrap",
        "50",
        "--seed",
        "1",
        "--panels",
        "p,p",
        "--outdir",
        str(tmp_path / "waves"),
        "--codebook",
        str(tmp_path / "waves/codebook.yaml"),
    )
    assert p.returncode == 0, p.stderr
    mr = pd.read_csv(tmp_path / "waves/mr_changes.csv").set_index(["question", "option"])
    row = mr.loc[("credit", "quality")]
    a = first["credit_quality"].astype(int).to_numpy().astype(bool)
    b = a | flip
    answered = first[[c for c in first.columns if c.startswith("credit_")]].astype(int).to_numpy().any(axis=1)
    a, b = a[answered], b[answered]  # (the flip only adds selections: who answered before answered after)
    only_after, only_before = int((~a & b).sum()), int((a & ~b).sum())
    assert row["design"] == "paired" and row["n_pairs"] == answered.sum()
    assert row["diff"] == pytest.approx(100 * (only_after - only_before) / answered.sum())
    want = (
        stats.binomtest(only_before, only_before + only_after).pvalue
        if only_before + only_after < 25
        else stats.chi2.sf((abs(only_after - only_before) - 1) ** 2 / (only_after + only_before), 1)
    )
    assert row["p"] == pytest.approx(want)
    assert pd.read_csv(tmp_path / "waves/mmi.csv").empty
    rk = pd.read_csv(tmp_path / "waves/ranking_changes.csv")
    assert (rk["design"] == "paired").all() and (rk["diff"].abs() < 1e-12).all()  # the same rankings


def test_partial_rankings_are_kept_for_first_choices_and_worths(codebook, tmp_path):
    """A Qualtrics wave in which 40 % ranked only their top two areas, read with the entry
    wave-init proposes (partial_rankings: true): nobody is lost, the partial rankings are logged
    as partial, count in the first choices and enter the Plackett-Luce likelihood with their two
    choice stages; the worths equal choix's I-LSR on the same data written as top-1 choices
    (Hunter 2004: a top-k ranking is k choices); Table 1 keeps the complete rankings only."""
    import json

    import choix
    import numpy as np
    import pandas as pd

    from analysis.survey import exports
    from analysis.survey.raw_files import read_raw
    from analysis.survey.waveinit import propose

    from ..support.steps import statistics_command, step

    exp = exports.export(simulate_wave(codebook), codebook, "qualtrics")
    t = exp.table
    cols = [f"Q5_{j}" for j in range(1, 5)]
    for i in range(0, 200, 5):
        for j in (0, 1):  # rows 0, 1, 5, 6, ...: 40 % of 200
            for c in cols:
                if t.at[i + j, c] not in ("1", "2"):
                    t.at[i + j, c] = ""
    path = tmp_path / "q.csv"
    exports.write(exp, path)
    p = propose(read_raw(path, "csv", "utf-8"), codebook, "csv")
    assert p.entry["partial_rankings"] is True and p.entry["ranking"] == "positions"
    (tmp_path / "layout.json").write_text(json.dumps(p.entry))
    w = tmp_path / "w"
    w.mkdir()
    q = step(
        "clean",
        "--raw",
        str(path),
        "--codebook",
        "data/codebook.yaml",
        "--wave",
        str(tmp_path / "layout.json"),
        "--responses",
        str(w / "responses.csv"),
        "--exclusions",
        str(w / "exclusions.csv"),
        "--flow",
        str(w / "flow.csv"),
    )
    assert q.returncode == 0, q.stderr
    flow = pd.read_csv(w / "flow.csv", keep_default_na=False).set_index(["step", "reason"])["n"]
    assert flow[("read", "")] == 200 and flow[("questionnaires_kept", "")] == 200
    assert flow[("partial_rankings", "")] == 80 and flow[("valid_rankings", "")] == 120
    assert ("excluded_ranking", "partial") not in flow.index  # (kept, not excluded)
    q = step("statistics", *statistics_command(w, ""))
    assert q.returncode == 0, q.stderr[-2000:]
    r = pd.read_csv(w / "responses.csv")
    areas = codebook.areas["column"].tolist()
    assert r["ranking_partial"].sum() == 80 and r.loc[r["ranking_partial"], areas].notna().sum(axis=1).eq(2).all()
    first = pd.read_csv(w / "inference/first_choice.csv")
    assert (first["n"] == 200).all() and first["n_first"].sum() == 200
    assert (pd.read_csv(w / "table1.csv")["n"] == 120).all()
    choices = []
    for row in r[areas].to_numpy(float):
        order = [j for j in np.argsort(-np.nan_to_num(row, nan=-1), kind="stable") if not np.isnan(row[j])]
        for s, item in enumerate(order[:3]):
            choices.append((item, tuple(j for j in range(4) if j not in order[: s + 1])))
    theta = choix.ilsr_top1(4, choices, tol=1e-12)
    want = np.exp(theta) / np.exp(theta).sum()
    pl = pd.read_csv(w / "inference/plackett_luce.csv")
    np.testing.assert_allclose(pl["worth"], want, atol=1e-5)


def simulate_wave(codebook):
    from analysis.survey.simulate import simulate

    return simulate(
        codebook,
        200,
        12,
        None,
        {"credit": 0.5, "promotion": 0.2, "logistics": 0.15, "customer_service": 0.15},
        1,
        False,
        0.0,
        False,
        "R_",
    )


@pytest.mark.parametrize("n, valid", [(2, 2), (3, 2), (300, 300)])
def test_the_survey_papers_facts_are_never_empty_at_edge_sizes(codebook, tmp_path, n, valid):
    """A wave of two or three questionnaires (two valid rankings, the fewest the statistics
    take) and one of 300: every fact the survey paper prints inline is text (Quarto leaves an
    empty inline result as its code), and the counts are the flow's."""
    import dataclasses

    import yaml

    from analysis.paper.results import Results
    from analysis.paper.survey_facts import survey_facts

    from ..support.steps import statistics_command, step, wave

    w, p = wave(codebook, tmp_path, n, valid)
    assert p.returncode == 0, p.stderr
    q = step("statistics", *statistics_command(w, ""))
    assert q.returncode == 0, q.stderr
    root = tmp_path / "root"
    (root / "results").mkdir(parents=True)
    w.rename(root / "results" / "w")
    for f in ("Snakefile", "data/codebook.yaml", "report/words.yaml", "report/captions.yaml"):
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        (root / f).write_bytes((ROOT / f).read_bytes())
    shutil.copytree(ROOT / "report/templates", root / "report/templates")  # (the sentences' words)
    c = yaml.safe_load((ROOT / "config.yaml").read_text())
    c.pop("reconstruction")
    c["waves"] = [{"id": "w", "path": "raw.csv", "label": "Wave W"}]
    (root / "config.yaml").write_text(yaml.safe_dump(c))
    R = Results(root)
    assert R.wave == "w" and R.document == "survey"
    F = survey_facts(R)
    inline = set(re.findall(r"`\{python\} F\.([a-z_]+)\.([A-Za-z_]+)`", (ROOT / "report/survey.qmd").read_text()))
    empty = [(s, f) for s, f in inline if not str(getattr(getattr(F, s), f)).strip()]
    assert empty == []
    assert str(F.data.wave) == "Wave W"
    assert re.sub(r"<[^>]+>", "", F.data.n_read) == str(n)
    assert re.sub(r"<[^>]+>", "", F.data.n_valid) == str(valid)
    assert F.ranking.ranked and "Friedman test" in F.ranking.friedman_sentence
    assert all(dataclasses.is_dataclass(getattr(F, s.name)) for s in dataclasses.fields(F))
