"""The citable archive (`make archive`): a Workflow Run RO-Crate 0.5 of the whole build, checked
on the crate itself against the profile's MUST points (and those of Process Run Crate 0.5,
Workflow RO-Crate 1.0 and RO-Crate 1.1 it inherits), file for file against the paper's
provenance appendix, and rebuilt from its own contents byte for byte."""

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.build


def test_citation_file_names_this_version_and_the_article():
    """CITATION.cff: the software's version and licence as pyproject.toml gives them, the
    article as the paper's bibliography gives it."""
    import re
    import tomllib

    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert cff["cff-version"] == "1.2.0" and cff["version"] == project["version"]
    assert cff["license"] == project["license"]["text"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT")
    (article,) = cff["references"]
    bib = (ROOT / "report/references.bib").read_text()
    li2021 = bib[bib.index("@article{li2021") :].split("\n}\n")[0]
    assert f"doi     = {{{article['doi']}}}" in li2021 and f"volume  = {{{article['volume']}}}" in li2021
    assert [a["family-names"] for a in article["authors"]] == re.findall(r"(\w+), \w+", li2021.split("\n")[1])
