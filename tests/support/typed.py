"""Numbers typed into a .qmd's prose (rather than computed): its text without front matter, code,
inline code, citations, references and links, less section numbers, the article's table name and years."""

import re

ALLOWED = [
    r"(?i)\bsections?\s+\d+(\.\d+)*((,\s*|\s+and\s+|\s+to\s+)\d+(\.\d+)*)*",  # section numbers
    r"\bTable 1\b",  # the article's table name
    r"\b(19|20)\d{2}\b",  # years
]


def qmd_prose(qmd: str) -> str:
    """The .qmd without front matter, code cells, inline code, citations, references and links."""
    text = re.sub(r"\A---\n.*?\n---\n", "", qmd, flags=re.S)
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"-?@[\w-]+", "", text)
    text = re.sub(r"\{[^}]*\}", "", text)
    return text


def typed_numbers(qmd: str) -> list[str]:
    text = qmd_prose(qmd)
    for pattern in ALLOWED:
        text = re.sub(pattern, "", text)
    return re.findall(r"\d+(?:[.,]\d+)*", text)
