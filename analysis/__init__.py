"""microstore-risk: audit, reconstruction and reanalysis of Li, Zhang & Han (2021).

Modules are named for what they compute; none of them reads or writes files
except :mod:`analysis.io` (files) and :mod:`analysis.cli` (the Snakemake entry points).
"""

__version__ = "0.1.0"
