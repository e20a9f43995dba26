"""Questionnaire revisions as data: a wave's revision applied to the codebook, checked against
it, proposed by wave-init from a platform's export, and a three-wave build from exports alone
(the last wave with an added and a dropped option) whose paper names the revisions, shows every
wave's flow and flags a planted monotone trend as the only significant one."""

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.stats.plackett_luce import ordering_counts, orderings, pl_fit
from analysis.survey import exports
from analysis.survey.simulate import simulate

from ..conftest import ROOT, built_copy, snakemake, tracked_copy

PLANTED = "logistics.no_carrier_choice"


def _article_like(codebook) -> tuple[dict, dict]:
    """Selection probabilities that reproduce the reconstructed wave's percent of cases, and its
    Plackett-Luce worths: simulated waves like it differ from it only where planted."""
    raw = pd.read_csv(ROOT / "data/raw/2021/responses.csv", dtype=str, keep_default_na=False)
    shares = {}
    for q in codebook.question_items:
        cols = [o["column"] for o in q["options"]]
        x = raw[cols].astype(int)
        target = x[x.any(axis=1)].mean().to_numpy()  # percent of cases
        p = target.copy()
        for _ in range(100):  # p_j = t_j * P(at least one option named)
            p = target * (1 - np.prod(1 - p))
        shares |= {f"{q['id']}.{o['id']}": float(v) for o, v in zip(q["options"], p)}
    areas = codebook.areas["column"].tolist()
    s = raw[areas].replace("", "0").astype(int).to_numpy()
    s = s[(np.sort(s, axis=1) == [1, 2, 3, 4]).all(axis=1)]
    w = pl_fit(*ordering_counts(orderings(s)), len(areas))
    return shares, {a["id"]: float(v) for a, v in zip(codebook.area_items, w)}


def _export(codebook, n, seed, id_start, shares, worths, revise: bool):
    exp = exports.export(
        simulate(codebook, n, seed, shares, worths, id_start, False, 0.0, id_prefix="R_"), codebook, "qualtrics"
    )
    t, h = exp.table.copy(), [list(r) for r in exp.header]
    if revise:  # credit's "Other" no longer asked; a new logistics option
        i = list(t.columns).index("Q1_5")
        t, h = t.drop(columns=["Q1_5"]), [r[:i] + r[i + 1 :] for r in h]
        t["Q3_7"] = np.where(np.random.default_rng(seed).random(len(t)) < 0.3, "1", "")
        h[0].append("Logistics distribution problems - Live-stream selling")
        h[1].append('{"ImportId": "QID3_7"}')
    return exports.Export(t, h, exp.entry, exp.shape)


@pytest.fixture(scope="module")
def revised_build(codebook, base_build, tmp_path_factory):
    """Two waves of 600 added to a copy of the article's build, the second of a revised questionnaire."""
    root = built_copy(base_build, tmp_path_factory.mktemp("revised") / "project")
    shares, worths = _article_like(codebook)
    for k, (wave, seed, start) in enumerate([("2024", 11, 20001), ("2026", 12, 30001)], start=1):
        planted = {**shares, PLANTED: min(0.95, shares[PLANTED] + 0.12 * k)}
        path = root / f"data/raw/{wave}/export.csv"
        path.parent.mkdir(parents=True)
        exports.write(_export(codebook, 600, seed, start, planted, worths, revise=wave == "2026"), path)
    entries = []
    for wave in ("2024", "2026"):
        p = subprocess.run(
            [
                sys.executable,
                "-m",
                "analysis.cli",
                "wave-init",
                f"data/raw/{wave}/export.csv",
                "--label",
                f"Wave {wave}",
            ],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert p.returncode == 0, p.stderr
        entries.append(p.stdout)
    with open(root / "config.yaml", "a", encoding="utf-8") as f:
        f.write("".join(entries))
    snakemake(root)
    return root, entries


@pytest.mark.build
def test_wave_init_proposes_the_revision(revised_build):
    _, (first, last) = revised_build
    assert "revision" not in first
    entry = yaml.safe_load(last)[0]
    assert entry["revision"] == {
        "added_options": [{"question": "logistics", "id": "live_stream_selling", "label": "Live-stream selling"}],
        "dropped_options": ["credit.other"],
    }
    assert entry["columns"]["Q3_7"] == "logistics_live_stream_selling" and entry["id"] == "2026"


@pytest.mark.build
def test_three_waves_from_exports_name_the_revision_and_flag_the_planted_trend(revised_build):
    root, _ = revised_build
    html = (root / "report/_output/paper.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        "Wave 2026 asked a revised questionnaire: it added Live-stream selling (Logistics distribution problems) "
        "and dropped Other (Credit risk problems of micro stores)."
    ) in text
    assert (
        "Comparisons and trends use what every wave asked, so they leave out Other (Li, Zhang &amp; Han (2021), "
        "reconstructed), Other (Wave 2024) and Live-stream selling (Wave 2026)."
    ) in text
    assert 'id="tbl-wave-flow"' in html and 'id="sec-trends"' in html
    t = pd.read_csv(root / "results/waves/trends.csv", keep_default_na=False, na_values=[""])
    sig = t[t["p_holm"] < 0.05]
    assert list(sig["question"] + "." + sig["subject"]) == [PLANTED]
    assert "credit.other" not in set(t["question"] + "." + t["subject"])  # not asked in 2026
    r = t[(t["question"] + "." + t["subject"]) == PLANTED].iloc[0]
    assert r["effect"] > 1 and r["first"] < r["last"]
    mr = pd.read_csv(root / "results/2026/multiple_response.csv", keep_default_na=False)
    assert "live_stream_selling" in set(mr["option"]) and "other" not in set(
        mr.loc[mr["question"] == "credit", "option"]
    )


@pytest.mark.build
def test_a_five_area_ranking_is_scored_five_to_one(codebook, tmp_path):
    """A Qualtrics export whose ranking has a fifth column (positions 1-5): wave-init proposes
    the added area, and the wave's Table 1 has five areas scored 1 to 5, every ranking valid."""
    root = tracked_copy(tmp_path / "p")
    exp = exports.export(simulate(codebook, 80, 6, id_start=7001, id_prefix="R_"), codebook, "qualtrics")
    t, h = exp.table.copy(), [list(r) for r in exp.header]
    rng = np.random.default_rng(2)
    pos = np.array([rng.permutation(5) + 1 for _ in range(len(t))])
    for j in range(5):
        t[f"Q5_{j + 1}"] = pos[:, j].astype(str)
    h[0].append("Rank the four risk areas by importance (1 = most important, 4 = least) - Platform risks")
    h[1].append('{"ImportId": "QID5_5"}')
    (root / "data/raw/2028").mkdir(parents=True)
    exports.write(exports.Export(t, h, exp.entry, exp.shape), root / "data/raw/2028/export.csv")
    p = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "wave-init", "data/raw/2028/export.csv"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stderr
    entry = yaml.safe_load(p.stdout)[0]
    assert entry["revision"] == {"added_areas": [{"id": "platform_risks", "label": "Platform risks"}]}
    assert entry["ranking"] == "positions" and entry["columns"]["Q5_5"] == "rank_platform_risks"
    with open(root / "config.yaml", "a", encoding="utf-8") as f:
        f.write(p.stdout)
    snakemake(root, "results/2028/table1.csv")
    t1 = pd.read_csv(root / "results/2028/table1.csv")
    assert list(t1["area"]) == ["credit", "promotion", "logistics", "customer_service", "platform_risks"]
    assert (t1["n"] == 80).all() and t1["minimum"].min() == 1 and t1["maximum"].max() == 5
    assert t1["mean"].sum() == pytest.approx(15)  # 5 + 4 + 3 + 2 + 1 per respondent


@pytest.mark.build
def test_the_archive_holds_the_revised_waves_codebook(revised_build):
    """`make archive` of a build with a revised wave: the wave's codebook is a results file of
    the crate, made by rule wave_codebook."""
    import json
    import zipfile

    root, _ = revised_build
    snakemake(root, "archive")
    (crate,) = (root / "results/archive").glob("*.crate.zip")
    with zipfile.ZipFile(crate) as z:
        graph = {e["@id"]: e for e in json.loads(z.read("ro-crate-metadata.json"))["@graph"]}
        assert "results/2026/codebook.yaml" in z.namelist()
    job = next(e for e in graph.values() if e.get("result") == [{"@id": "results/2026/codebook.yaml"}])
    assert job["instrument"] == {"@id": "#rule-wave_codebook"}
    assert {"@id": "results/2026/codebook.yaml"} in graph["#build"]["result"]
