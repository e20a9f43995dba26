"""Pinned versions: the lock files' pins, by normalised package name."""

import re

from ..conftest import ROOT


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(name: str) -> dict[str, str]:
    """A lock file's pins, names normalised (comment lines skipped)."""
    return {
        norm(k): v
        for k, v in (
            line.strip().split("==")
            for line in (ROOT / name).read_text().splitlines()
            if "==" in line and not line.startswith("#")
        )
    }
