"""Every claim with its condition (issue 35), as readers meet it in the HTML and the PDF: the
exact ranks, the interval around a range named and explained, the base of percent of cases, no
bootstrap interval beside an identified range, the actors' order only where it holds, the
countermeasure coding and the sampling assumption stated where the claims are made. The real
Quarto paper is checked with the same function (tests/build/test_quarto.py)."""

from __future__ import annotations

import pytest

from ..support.claims import claims_problems

pytestmark = pytest.mark.build


def test_the_check_catches_the_old_wording():
    old = (
        "(W = .41) in every data set. Where the table gives an interval, it covers the whole range and sampling "
        "error together (Imbens-Manski). Buyer review system can also cover the most priority. The covered "
        "priority falls by actor in the order platform, seller, consumer and regulator."
    )
    problems = claims_problems(old)
    for name in [
        "no Imbens-Manski interval named",
        "no interval 'covers the whole range'",
        "Buyer review system never said to cover the most priority",
        "no actor order claimed",
        "the sampling assumption in the abstract's methods, before its results",
    ]:
        assert name in problems
