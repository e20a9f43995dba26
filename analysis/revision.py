"""A wave's questionnaire as it was asked: the codebook with the wave's revision applied.

A revision (a wave's ``revision:`` entry in config.yaml) is a small crosswalk from the codebook:
``added_options`` (each ``{question, id, label}``, optional ``label_zh`` and ``column``, default
``<question>_<id>``), ``dropped_options`` and ``renamed_options`` (``question.option`` ids; a
renamed option keeps its meaning and gets the wave's ``label``), ``split_options`` (an option
the wave asked as two or more added options of its question, ``question.option: [id, ...]``: the
wave does not ask it, and comparisons read it as the union of its parts, a respondent who named
either), ``added_areas`` (``{id,
label}``, optional ``label_zh``, ``column``: default ``rank_<id>``) and ``dropped_areas``. A
ranking of k areas has the scores k..1. The revised codebook lists what was changed under its
key ``revision`` (so that, e.g., a countermeasure's dropped risk is left out, not an error), and
:func:`common` gives what two or more waves both asked, which comparisons and trends use."""

from __future__ import annotations

import copy

from analysis.codebook import Codebook

KEYS = ("added_options", "dropped_options", "renamed_options", "split_options", "added_areas", "dropped_areas")


class RevisionError(ValueError):
    """A revision that does not fit the codebook (names the key and the item)."""


def _options(codebook: Codebook) -> dict[str, dict]:
    return {f"{q['id']}.{o['id']}": o for q in codebook["multiple_response"]["questions"] for o in q["options"]}


def revised(codebook: Codebook, revision: dict) -> Codebook:
    """``codebook`` as the wave asked it (a new codebook)."""
    c = codebook.to_dict()
    questions = {q["id"]: q for q in c["multiple_response"]["questions"]}
    options = _options(c)
    for key in ("dropped_options", "renamed_options"):
        for oid in revision.get(key, []):
            if oid not in options:
                raise RevisionError(f"{key}: {oid!r} is not an option of the codebook (question.option)")
    unions = _split_columns(revision, options)
    gone = [*revision.get("dropped_options", []), *revision.get("split_options", {})]
    for q in questions.values():
        q["options"] = [o for o in q["options"] if f"{q['id']}.{o['id']}" not in gone]
    for oid, label in revision.get("renamed_options", {}).items():
        options[oid]["label"] = label
    for o in revision.get("added_options", []):
        if o["question"] not in questions:
            raise RevisionError(f"added_options: question {o['question']!r} is not in the codebook")
        if f"{o['question']}.{o['id']}" in options:
            raise RevisionError(f"added_options: {o['question']}.{o['id']} is already an option")
        questions[o["question"]]["options"].append(
            {
                "id": o["id"],
                "column": o.get("column", f"{o['question']}_{o['id']}"),
                "label": o["label"],
                "label_zh": o.get("label_zh", ""),
            }
        )
    rk = c["ranking"]
    known = {a["id"] for a in rk["areas"]}
    for a in revision.get("dropped_areas", []):
        if a not in known:
            raise RevisionError(f"dropped_areas: {a!r} is not a ranking area of the codebook")
    rk["areas"] = [a for a in rk["areas"] if a["id"] not in revision.get("dropped_areas", [])]
    for a in revision.get("added_areas", []):
        if a["id"] in known:
            raise RevisionError(f"added_areas: {a['id']!r} is already a ranking area")
        rk["areas"].append(
            {
                "id": a["id"],
                "column": a.get("column", f"rank_{a['id']}"),
                "label": a["label"],
                "label_zh": a.get("label_zh", ""),
            }
        )
    k = len(rk["areas"])
    if k != len(codebook.area_items):
        rk["scores"] = list(range(k, 0, -1))
        rk["valid_rule"] = (
            f"each of the scores {', '.join(map(str, rk['scores']))} used exactly once across the {k} areas"
        )
    c["revision"] = {key: copy.deepcopy(revision[key]) for key in KEYS if revision.get(key)}
    if unions:
        c["revision"]["unions"] = unions
    return Codebook(c)


def _split_columns(revision: dict, options: dict[str, dict]) -> dict[str, dict]:
    """Each split option (``question.option``) -> its codebook ``column`` and ``label`` and the
    columns of its ``parts`` (added options of the same question); raises for a split that does
    not fit."""
    added = {
        f"{o['question']}.{o['id']}": o.get("column", f"{o['question']}_{o['id']}")
        for o in revision.get("added_options", [])
    }
    out = {}
    for oid, parts in (revision.get("split_options") or {}).items():
        if oid not in options:
            raise RevisionError(f"split_options: {oid!r} is not an option of the codebook (question.option)")
        question = oid.split(".", 1)[0]
        ids = [f"{question}.{p}" for p in parts]
        missing = [i for i in ids if i not in added]
        if len(ids) < 2 or missing:
            raise RevisionError(
                f"split_options: {oid!r} needs two or more parts, each an added option of question "
                f"{question!r} (not added: {', '.join(missing) or 'none'})"
            )
        out[oid] = {"column": options[oid]["column"], "label": options[oid]["label"], "parts": [added[i] for i in ids]}
    return out


def with_unions(responses, codebook: Codebook):
    """``responses`` of a wave asked by ``codebook`` (a revised one) with a column for each option
    the wave split (:data:`KEYS` ``split_options``): 1 where the respondent named any of its parts,
    which is what the option asked as one would have recorded. Other waves' responses unchanged."""
    unions = codebook.revision.get("unions") or {}
    if not unions:
        return responses
    return responses.assign(**{u["column"]: responses[u["parts"]].max(axis=1) for u in unions.values()})


def _asked(codebook: Codebook) -> dict[str, dict]:
    """The options a wave's answers give (``question.option`` -> option): those it asked and those
    it split (as the union of their parts)."""
    out = _options(codebook.to_dict())
    for oid, u in (codebook.revision.get("unions") or {}).items():
        out[oid] = {"id": oid.split(".", 1)[1], "column": u["column"], "label": u["label"], "label_zh": ""}
    return out


def common(codebooks: list[Codebook]) -> Codebook:
    """What every one of ``codebooks`` asked: the first's options and areas that all of them have
    (by id), their labels the first's. The ranking is common only when every wave ranked the same
    areas (scores on another scale are not comparable): otherwise its areas are empty."""
    c = codebooks[0].to_dict()
    shared = set.intersection(*(set(_asked(x)) for x in codebooks))
    every = {}
    for x in codebooks:  # (an option the first wave split: as the first wave that asked it has it)
        for oid, o in _asked(x).items():
            every.setdefault(oid, o)
    for q in c["multiple_response"]["questions"]:
        have = [f"{q['id']}.{o['id']}" for o in q["options"]]
        split = [oid for oid in (c.get("revision") or {}).get("unions", {}) if oid.startswith(f"{q['id']}.")]
        q["options"] = [copy.deepcopy(every[oid]) for oid in [*have, *split] if oid in shared]
    same = all(x.areas["area"].tolist() == [a["id"] for a in c["ranking"]["areas"]] for x in codebooks)
    if not same:
        c["ranking"]["areas"] = []
    c.pop("revision", None)
    return Codebook(c)


def left_out(codebooks: dict[str, Codebook]) -> dict[str, list[str]]:
    """Per wave (id -> its codebook): the options (``question.option``) and areas it asked that a
    comparison of all the waves leaves out, because another wave did not ask them."""
    shared = set.intersection(*(set(_asked(x)) for x in codebooks.values()))
    areas = [x.areas["area"].tolist() for x in codebooks.values()]
    same = all(a == areas[0] for a in areas)
    return {
        w: sorted(set(_options(x.to_dict())) - shared) + ([] if same else [f"ranking.{a}" for a in x.areas["area"]])
        for w, x in codebooks.items()
    }
