"""Trends over three or more waves: the tests against their textbook formulas, and the paper of
the three-wave demo (config/demo-three-waves.yaml) as readers see it."""

import re

import pandas as pd
import pytest


@pytest.mark.build
def test_three_waves_give_the_trends_section(demo_build):
    from ..support.docs import undocumented

    html = (demo_build / "report/_output/paper.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert 'id="sec-trends"' in html and 'id="tbl-trends"' in html and 'id="fig-trends"' in html
    t = pd.read_csv(demo_build / "results/waves/trends.csv", keep_default_na=False, na_values=[""])
    s = pd.read_csv(demo_build / "results/waves/shares.csv", keep_default_na=False, na_values=[""])
    assert set(s["wave"]) == {"2021", "demo-2023", "demo-2026"} and len(t) == 24  # 20 options, 4 areas
    pct = s[(s["subject"] == "no_carrier_choice")].set_index("wave")["value"]
    assert pct["demo-2023"] < pct["demo-2026"]  # planted: 0.60 then 0.684
    from analysis.wording import count_phrase

    n_sig = int((t["p_holm"] < 0.05).sum())
    assert n_sig and f"{count_phrase(n_sig, 'item')} trended beyond chance" in text
    assert 'id="tbl-wave-flow"' in html and "No reason excluded a tenth or more of any wave" in text
    assert undocumented(demo_build, ["2021", "demo-2023", "demo-2026"]) == []
