import copy

import pytest
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from .conftest import ROOT

SCHEMA = str(ROOT / "schemas/config.schema.yaml")


def test_project_config_is_valid(config):
    validate(copy.deepcopy(config), SCHEMA)


@pytest.mark.parametrize("change", [
    lambda c: c.pop("waves"),
    lambda c: c["waves"].append({"id": "bad id!", "path": "x.csv"}),
    lambda c: c["reconstruction"]["invalid_rankings"].update(typo=1),
    lambda c: c["report"].update(engine="word"),
    lambda c: c.update(unknown_key=1),
])
def test_bad_config_is_rejected(config, change):
    c = copy.deepcopy(config)
    change(c)
    with pytest.raises(WorkflowError):
        validate(c, SCHEMA)
