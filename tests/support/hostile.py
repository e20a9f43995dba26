"""A corpus of hostile labels, written where users write text: wave labels (config), area,
question and option labels (codebook), countermeasure labels, the reanalysis authors.

Every label must reach the HTML and the PDF as exactly that text (issue 26): HTML tags and
scripts, Markdown and Typst markup characters, quotes, a very long label, CJK and right-to-left
text. The scripts, if they ever ran, would mark the page (``data-pwned`` on ``<body>``,
``window.pwned``), which the browser test looks for."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

LABELS = {
    "wave_2021": "Spring <script>window.pwned = 1</script> *bold* 2026",
    "wave_demo": "<img src=x onerror=\"document.body.setAttribute('data-pwned', '1')\"> _u_ [link](http://x) #h",
    "credit": r"Credit $x$ @li2021 \ ~s~ ^p^ | pipe | <b>b</b>",
    "promotion": "Promotion \"double\" 'single' & -- ... {.prov} #heading = * _ [ ] < >",
    "logistics": "物流配送 “风险” 微店",
    "customer_service": "خدمة الزبائن",
    "option": "Option <i onmouseover=alert(1)>i</i> `code` **strong**",
    "question": "Question with <u>tags</u> & *stars*",
    "countermeasure": "Entry review <script>document.body.dataset.pwned = 1</script> [x](y)",
    "author": "A. Author <script>window.pwned = 2</script> & B. *Author*",
    "long": "A very long label that goes on " * 6 + "and ends here",
}

# the title block's and the back matter's settings of the hostile build (not config.yaml's)
ORCID = "0000-0002-1825-0097"
DATE = "1999-01-02"
REPOSITORY = "https://example.org/micro_store-risk?a=1&b=*x*"


# the labels each document shows: the supplement names neither the article's wave nor a countermeasure
# (its coverage figure draws them as an image, its alt text does not list them)
SHOWN = {"paper": list(LABELS), "supplement": [k for k in LABELS if k not in ("wave_2021", "countermeasure")]}


def _yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_hostile_labels(root: Path) -> Path:
    """Put :data:`LABELS` into the copy of the project at ``root``; returns its config file
    (the two-wave demo, with the hostile labels)."""

    def codebook(cb):
        for a in cb["ranking"]["areas"]:
            a["label"] = LABELS[a["id"]] if a["id"] != "promotion" else LABELS["promotion"]
        q = cb["multiple_response"]["questions"][1]
        q["label"] = LABELS["question"]
        q["options"][0]["label"] = LABELS["option"]
        q["options"][1]["label"] = LABELS["long"]

    def countermeasures(cm):
        cm["countermeasures"][0]["label"] = LABELS["countermeasure"]

    _yaml(root / "data/codebook.yaml", codebook)
    _yaml(root / "data/countermeasures.yaml", countermeasures)
    config = root / "config/demo-two-waves.yaml"

    def demo(c):
        c["waves"][0]["label"] = LABELS["wave_2021"]
        c["waves"][1]["label"] = LABELS["wave_demo"]
        c.setdefault("report", {}).update(
            authors=[
                {"name": LABELS["author"], "affiliation": LABELS["author"]},
                {"name": "C. Author", "orcid": ORCID},
            ],
            date=DATE,
            repository=REPOSITORY,
        )

    _yaml(config, demo)
    return config


def squash(s: str) -> str:
    """``s`` without white space, and without the zero-width spaces and the bidirectional
    embedding marks that pdftotext writes around right-to-left text (typst-header.typ lets
    paths break after "/" by a zero-width space): what is compared is the characters a reader
    sees. (pdftotext writes the Arabic ligature lam-alef back in the wrong order, so the
    corpus's Arabic label has none.)"""
    return re.sub(r"[\s\u200b\u202a-\u202e]+", "", s)
