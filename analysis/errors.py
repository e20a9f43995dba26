"""The exceptions that reach users as one message: a fault of an input file, a failed render."""

from __future__ import annotations


class InputError(Exception):
    """A fault of an input file, reported as one line naming file, row and column.

    ``row`` is the 1-based line number in the file (the header is line 1).
    """

    def __init__(self, path, rule: str, row: int | None = None, column: str | None = None):
        self.path, self.rule, self.row, self.column = str(path), rule, row, column
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {rule}")


class RenderError(Exception):
    """The paper could not be rendered: a code cell, an inline expression, a cross-reference,
    pandoc or Quarto failed (the message says which and why)."""
