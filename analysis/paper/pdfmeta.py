"""The paper's PDF as a library catalogues it: title, authors, subject and keywords in the
document information dictionary and the XMP metadata (ISO 32000-1, 14.3), written with pikepdf
after either renderer has made the PDF.

Typst writes a tagged PDF whose ``/MarkInfo`` says ``/Suspects false``. That is the default
value (ISO 32000-1, table 321), but poppler 22 reports every false ``/Suspects`` as
"Syntax Error: Suspects object is wrong type (boolean)" on each command; the entry is dropped,
which leaves the meaning unchanged and poppler quiet. The file is saved with a document id
derived from its content, so the same paper gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import pikepdf


def describe(pdf: Path, title: str, authors: list[str], subject: str, keywords: list[str]) -> None:
    """Write the metadata into ``pdf`` in place."""
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:creator"] = list(authors)
            meta["dc:description"] = subject
            meta["dc:subject"] = list(keywords)
            meta["pdf:Keywords"] = ", ".join(keywords)
        mark = doc.Root.get("/MarkInfo")
        if mark is not None and mark.get("/Suspects") is False:
            del mark["/Suspects"]
        doc.save(pdf, deterministic_id=True)
