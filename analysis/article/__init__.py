"""The article's printed numbers: reading them, rounding rules, the consistency audit, the
reconstruction, the exact identification bounds, priority bounds, their classification, the
reconstruction draws and the reproduction table.

May import the top level, ``workflow``, ``survey`` and ``stats``."""
