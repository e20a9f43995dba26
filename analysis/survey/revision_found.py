"""What a file's columns say of a revised questionnaire, as wave-init proposes it: items added (with ids and labels), dropped, renamed (by wording similarity) or split into parts."""

from __future__ import annotations

from analysis.codebook import Codebook
from analysis.survey.matching import RENAME_SIMILARITY, leftover, likeness, slug
from analysis.survey.proposal import Proposal
from analysis.survey.readers.labels import norm


def added(p: Proposal, new: tuple[str, str, str], codebook: Codebook) -> str:
    """Record a new option or area in the proposal's revision; its codebook column."""
    kind, question, label = new
    if kind == "option":
        taken = set(codebook.options.query("question == @question")["option"]) | {
            o["id"] for o in p.revision.get("added_options", []) if o["question"] == question
        }
        item = {"question": question, "id": slug(label, taken), "label": label}
        p.revision.setdefault("added_options", []).append(item)
        return f"{question}_{item['id']}"
    taken = set(codebook.areas["area"]) | {a["id"] for a in p.revision.get("added_areas", [])}
    item = {"id": slug(label, taken), "label": label}
    p.revision.setdefault("added_areas", []).append(item)
    return f"rank_{item['id']}"


def dropped(p: Proposal, missing: list[str], codebook: Codebook, have: set[str]) -> list[str]:
    """Codebook columns the file lacks: an option of a question the file otherwise asks, or an
    area of a ranking it otherwise asks, is proposed as dropped (the rest stay missing)."""
    opts, ar = codebook.options.set_index("column"), codebook.areas.set_index("column")
    still = []
    for c in missing:
        if c in opts.index and any(x in have for x in opts.index[opts["question"] == opts.at[c, "question"]]):
            p.revision.setdefault("dropped_options", []).append(f"{opts.at[c, 'question']}.{opts.at[c, 'option']}")
        elif c in ar.index and any(x in have for x in ar.index):
            p.revision.setdefault("dropped_areas", []).append(ar.at[c, "area"])
        else:
            still.append(c)
    return still


def renamed_or_split(p: Proposal, codebook: Codebook) -> list[str]:
    """Among one question's proposed dropped and added options: a dropped option whose wording one
    added option shares (:func:`likeness` at least :data:`RENAME_SIMILARITY`) is proposed as
    renamed, one whose wording two or more share as split into them. Returns the evidence of each."""
    rev = p.revision
    opts = codebook.options.assign(key=lambda o: o["question"] + "." + o["option"]).set_index("key")
    evidence = []
    for oid in list(rev.get("dropped_options", [])):
        q, old = oid.split(".", 1)[0], opts.loc[oid]
        like = [(o, likeness(old, o["label"])) for o in rev.get("added_options", []) if o["question"] == q]
        near = [(o, r) for o, r in like if r >= RENAME_SIMILARITY]
        if not near:
            continue
        rev["dropped_options"].remove(oid)
        said = ", ".join(f"{o['label']!r} {r:.2f}" for o, r in near)
        if len(near) == 1:
            new = near[0][0]
            rev["added_options"].remove(new)
            rev.setdefault("renamed_options", {})[oid] = new["label"]
            cols = p.entry.get("columns", {})
            for k, v in cols.items():
                if v == f"{q}_{new['id']}":
                    cols[k] = old["column"]
            evidence.append(f"{oid} ({old['label']!r}) renamed: its wording is like {said}")
        else:
            rev.setdefault("split_options", {})[oid] = [o["id"] for o, _ in near]
            evidence.append(f"{oid} ({old['label']!r}) split: its wording is like {said}")
    for k in ("dropped_options", "added_options"):
        if k in rev and not rev[k]:
            rev.pop(k)
    return evidence


def parts_of_splits(p: Proposal, mapping: dict, twins: dict, codebook: Codebook, texts) -> None:
    """Two or more file columns that name one codebook option, none of them by its exact label
    ("Commodity counterfeit (brand-name goods)", "... (no-name goods)"): the option was asked as
    several, each proposed as an added option (:func:`renamed_or_split` then proposes the split);
    otherwise the further columns stay unplaced."""
    opts = codebook.options.set_index("column")
    for target, extra in twins.items():
        cols = [next(c for c, t in mapping.items() if t == target), *extra]
        labels = {norm(x) for x in (opts.at[target, "label"], opts.at[target, "label_zh"]) if x}
        words = {c: str(texts[c]) if texts is not None and str(texts[c]).strip() else c for c in cols}
        if any(leftover(words[c]) and norm(leftover(words[c])) in labels for c in cols):
            p.unplaced.extend(extra)  # one of them is the option as the codebook words it
            continue
        del mapping[cols[0]]
        for c in cols:
            mapping[c] = added(p, ("option", opts.at[target, "question"], leftover(words[c])), codebook)
