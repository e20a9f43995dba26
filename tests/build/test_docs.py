"""Docs that match the build: every results file the build writes is described in
docs/results.md with every column it has."""

import pytest

from ..conftest import ROOT
from ..support.docs import undocumented

DOC = (ROOT / "docs/results.md").read_text(encoding="utf-8")


@pytest.mark.build
def test_every_file_of_the_build_is_documented(build):
    assert undocumented(build, ["2021"]) == []
