"""YAML parsing with libyaml's C loader where PyYAML has it (the same documents as
``yaml.safe_load``)."""

from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text):
    """``yaml.safe_load(text)`` with the C loader."""
    return yaml.load(text, Loader=SafeLoader)
