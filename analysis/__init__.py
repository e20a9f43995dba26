"""microstore-risk: audit, reconstruction and reanalysis of Li, Zhang & Han (2021).

Wings, lowest layer first; a module imports only from its own and lower layers:

- top level: ``io`` (results files), ``errors``, ``yamlfile``, ``codebook`` (the questionnaire as
  one immutable :class:`~analysis.codebook.Codebook`, parsed once), ``revision`` (a wave's
  codebook), ``rounding``, ``wording``;
- ``workflow/``: provenance, configuration check, jobs' Python, sources, stale results, archive;
- ``survey/``: raw exports read as text (``raw_files``, the one module besides ``io`` that reads
  files), platform readers, cleaning, wave-init, exports, simulated waves;
- ``stats/``: the statistics of a wave and across waves;
- ``article/``: the article's printed numbers, audit, reconstruction and identification;
- ``paper/``: results loader, facts, tables, figures and the renderer;
- ``steps/`` (one module per workflow step: read the rule's inputs, call pure functions, write
  its outputs) and ``cli`` (the user's commands ``wave-init`` and ``simulate``) on top.

Modules are named for what they compute.
"""

__version__ = "0.1.0"
