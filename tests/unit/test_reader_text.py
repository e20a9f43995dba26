"""What a reviewer reads, checked as the reviewer meets it (issue 26): no identifier in the
text of either paper, the minus sign for negatives, no sentence that repeats a phrase, no short
table split across PDF pages, a PDF that says what it is and that poppler reads silently."""

from __future__ import annotations

import shutil

import pytest

from ..support.prose import hyphen_minus_numbers, identifiers, repeated_phrases

pytestmark = pytest.mark.build
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def test_the_checks_catch_what_they_look_for():
    assert identifiers("the reason out_of_range and mr.credit.counterfeit.pct in results/2021/flow_x.csv") == [
        "mr.credit.counterfeit.pct",
        "out_of_range",
    ]
    assert hyphen_minus_numbers("a change of -24.0 [-32.3, −15.2] in 2020-2021, COVID-19") != []
    assert len(hyphen_minus_numbers("a change of -24.0 [-32.3, −15.2] in 2020-2021, COVID-19")) == 2
    assert (
        repeated_phrases("Credit ranks first in all reconstructions, and it clears the bar in all reconstructions.")
        != []
    )
    assert repeated_phrases("Friedman: p < .001, N = 215; Wilcoxon: p < .001, N = 215.") == []
    compared = "From Simulated demo wave, 2023 to Simulated demo wave, 2026, one share changed."
    assert repeated_phrases(compared) != []  # the labels' own words repeat
    assert repeated_phrases(compared, labels=("Simulated demo wave, 2023", "Simulated demo wave, 2026")) == []
