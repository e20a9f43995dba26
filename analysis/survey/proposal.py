"""What wave-init proposes for one file: the wave entry, a comment of evidence per key, the revision, and what it could not place or settle."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Proposal:
    """The entry's fields (in order), a comment per field, and what could not be placed."""

    entry: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    unplaced: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    unsettled: list = field(default_factory=list)  # decisions the data cannot settle
    revision: dict = field(default_factory=dict)  # how the file's questionnaire differs from the codebook
