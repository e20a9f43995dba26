"""microstore-risk: audit, reconstruction and reanalysis of Li, Zhang & Han (2021).

Modules are named for what they compute; none of them reads or writes files
except :mod:`analysis.io` (files), :mod:`analysis.steps` (one module per step of the
workflow: read the rule's inputs, call pure functions, write its outputs) and :mod:`analysis.cli`
(the user's commands ``wave-init`` and ``simulate``).
"""

__version__ = "0.1.0"
