"""Every claim with its condition (issue 35), as readers meet it in the HTML and the PDF: the
exact ranks, the interval around a range named and explained, the base of percent of cases, no
bootstrap interval beside an identified range, the actors' order only where it holds, the
countermeasure coding and the sampling assumption stated where the claims are made. The real
Quarto paper is checked with the same function (tests/build/test_quarto.py)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from ..support.claims import claims_problems, flat, supplement_claims_problems
from ..support.htmlstructure import visible_text
from ..support.pdfwords import pdf_text

pytestmark = pytest.mark.build


def countermeasure_ranks(text: str) -> dict[str, str]:
    """The possible ranks the countermeasure table prints for three countermeasures."""
    out = {}
    for name in ["Entry review of sellers", "Buyer review system", "Public sales account"]:
        m = re.search(
            re.escape(name) + r" [\d., ]+ (?:platform|seller|consumer|regulator) \d+ [\d.]+ to [\d.]+ "
            r"(\d+ to \d+)",
            text,
        )
        out[name] = m.group(1) if m else ""
    return out


def test_html_claims_carry_their_conditions(build):
    text = flat(visible_text((build / "report/_output/paper.html").read_text(encoding="utf-8")))
    assert claims_problems(text) == []
    assert countermeasure_ranks(text) == {
        "Entry review of sellers": "1 to 4",
        "Buyer review system": "3 to 6",
        "Public sales account": "1 to 6",
    }


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdf_claims_carry_their_conditions(build):
    text = flat(
        subprocess.run(
            ["pdftotext", "-raw", str(build / "report/_output/paper.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
        floats=True,
    )
    assert claims_problems(text) == []


def test_the_supplements_classification_carries_the_ranks_actors_and_interval(build):
    html = flat(visible_text((build / "report/_output/supplement.html").read_text(encoding="utf-8")))
    assert supplement_claims_problems(html) == []
    if shutil.which("pdftotext"):
        pdf = pdf_text(build / "report/_output/supplement.pdf")
        assert supplement_claims_problems(flat(pdf)) == []
