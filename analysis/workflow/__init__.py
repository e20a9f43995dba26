"""The workflow's bookkeeping: provenance records of every job, the configuration check, the
jobs' Python, the project's source files, stale results, which paper a build writes and the
RO-Crate archive.

May import the top-level modules only (``io``, ``errors``, ``yamlfile``, ``codebook``,
``revision``, ``rounding``, ``wording``). Layers, lowest first: top level, ``workflow``,
``survey``, ``stats``, ``article``, ``paper``; then ``steps`` and ``cli``. A wing imports only
from its own and lower layers (tests/unit/test_layers.py)."""
