"""Configuration mistakes as one clear message each, before any job runs.

JSON Schema (``schemas/config.schema.yaml``) stays the schema of record; this module turns
its errors (jsonschema's ``iter_errors``) into short messages that name the file, the line
where YAML can tell, the key path (``waves[1].pth``), what is wrong and what is allowed,
with a did-you-mean for near misses. Checks the schema cannot express (unique wave ids,
wave files that exist, ``reconstruction.wave`` naming a wave) are made here too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from analysis import yamlfile


class ConfigError(Exception):
    """One or more configuration mistakes; ``str()`` is the message for the user."""


@dataclass(frozen=True)
class Problem:
    path: tuple  # key path into the configuration, e.g. ("waves", 1, "pth")
    message: str


def key_path(path) -> str:
    """``("waves", 1, "pth")`` -> ``waves[1].pth``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def read_config_text(path: str | Path) -> dict:
    """The YAML mapping in ``path``; a file that is not UTF-8, not YAML or not a mapping
    raises :class:`ConfigError` naming the file, line and column."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise ConfigError(
            f"{path}:{line}:{col}: the file is not UTF-8 text (byte 0x{raw[e.start]:02x}); save it as UTF-8"
        ) from None
    try:
        data = yamlfile.load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise ConfigError(f"{where}: not valid YAML: {what}") from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: the configuration must be a mapping of keys (waves:, report:, ...), not {type(data).__name__}"
        )
    return data


def _node_at(node, path):
    """The YAML node of ``path`` (or the deepest existing parent) and its 1-based line."""
    line = node.start_mark.line + 1
    for p in path:
        if isinstance(node, yaml.MappingNode) and isinstance(p, str):
            hit = next(((k, v) for k, v in node.value if k.value == p), None)
            if hit is None:
                return node, line
            line, node = hit[0].start_mark.line + 1, hit[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(p, int) and p < len(node.value):
            node = node.value[p]
            line = node.start_mark.line + 1
        else:
            return node, line
    return node, line


def locate(files: list[Path], path: tuple) -> str:
    """``file:line`` where ``path`` is set: the last file (later ones override) whose YAML
    holds the path's first key; the first file when none does (a value from ``--config``)."""
    best = None
    for f in files:
        try:
            root = yaml.compose(Path(f).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(root, yaml.MappingNode) and (not path or any(k.value == path[0] for k, _ in root.value)):
            best = (f, root)
    if best is None:
        return f"{files[0]}" if files else "config"
    _, line = _node_at(best[1], path)
    return f"{best[0]}:{line}"


def _suggest(word, allowed) -> str:
    close = difflib.get_close_matches(str(word), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _subschema(schema: dict, path) -> dict:
    """The schema of the object at ``path`` (properties/items only: enough for messages)."""
    s = schema
    for p in path:
        if isinstance(p, int):
            s = s.get("items", {})
        else:
            s = s.get("properties", {}).get(p, {})
    return s


def _noun(path, top: str = "the configuration") -> str:
    if len(path) == 2 and path[0] == "waves":
        return "a wave"
    if len(path) == 3 and path[:2] == ("report", "authors"):
        return "an author"
    return f"'{key_path(path)}'" if path else top


def schema_problems(config: dict, schema: dict, top: str = "the configuration") -> list[Problem]:
    """The schema's errors as :class:`Problem` s, one per mistake; ``top`` names the whole
    object in messages. Unknown keys, missing keys, enums and wave ids get this project's words
    (with a did-you-mean); jsonschema's own message is clear for the rest (types, bounds, sizes)
    and is kept."""
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema).iter_errors(config), key=lambda e: [str(x) for x in e.absolute_path])
    problems, explained = _key_problems(errors, top)
    for e in errors:
        if e.validator not in ("additionalProperties", "propertyNames"):
            problems += _value_problems(e, schema, explained, top)
    return problems


def _key_problems(errors, top: str) -> tuple[list[Problem], set]:
    """Unknown keys (with the key they were probably meant as, which then is not reported
    missing too); returns the problems and the (path, key) pairs so explained."""
    problems, explained = [], set()
    for e in errors:
        path = tuple(e.absolute_path)
        if e.validator == "additionalProperties":
            allowed = list(e.schema.get("properties", {}))
            for key in sorted(set(e.instance) - set(allowed)):
                hint = _suggest(key, allowed)
                if hint:
                    explained.add((path, hint.split("'")[1]))
                problems.append(
                    Problem(path + (key,), f"unknown key '{key}'{hint}; {_noun(path, top)} has {', '.join(allowed)}")
                )
        elif e.validator == "propertyNames":
            allowed = e.schema.get("propertyNames", {}).get("enum", [])
            for key in sorted(k for k in e.instance if k not in allowed):
                problems.append(
                    Problem(
                        path + (key,), f"unknown key '{key}'{_suggest(key, allowed)}; allowed: {', '.join(allowed)}"
                    )
                )
    return problems, explained


def _value_problems(e, schema: dict, explained: set, top: str) -> list[Problem]:
    """One schema error other than an unknown key, in this project's words where jsonschema's
    are not enough, else jsonschema's message."""
    path = tuple(e.absolute_path)
    if e.validator == "required":
        missing = e.message.split("'")[1]
        return [] if (path, missing) in explained else [Problem(path, f"missing key '{missing}' in {_noun(path, top)}")]
    if e.validator == "oneOf" and path[:1] == ("waves",):
        has = [k for k in ("path", "simulate") if k in e.instance]
        if not has and not any((path, k) in explained for k in ("path", "simulate")):
            return [Problem(path, "a wave needs 'path' (its raw file) or 'simulate'")]
        return [Problem(path, "a wave has either 'path' or 'simulate', not both")] if len(has) == 2 else []
    if e.validator == "enum":
        allowed = e.validator_value
        return [
            Problem(
                path,
                f"'{e.instance}' is not allowed{_suggest(e.instance, allowed)}; allowed: {', '.join(map(str, allowed))}",
            )
        ]
    if e.validator == "pattern":
        what = _subschema(schema, path).get("description", "")
        if e.validator_value == "^[A-Za-z0-9_-]+$":
            said = f"'{e.instance}' may hold only letters, digits, '_' and '-'" + (f" ({what})" if what else "")
        else:
            said = f"'{e.instance}' does not match the form expected" + (f": {what}" if what else "")
        return [Problem(path, said)]
    if e.validator == "type" and e.validator_value == "string" and isinstance(e.instance, (date, datetime)):
        # (YAML reads an unquoted 2026-12-07 as a date)
        return [Problem(path, f"{e.instance.isoformat()} is read as a date, not text; write it in quotes")]
    return [Problem(path, e.message)]


def semantic_problems(config: dict, root: Path) -> list[Problem]:
    """What the schema cannot say: unique wave ids, wave paths that are existing files and
    not one wave's file listed again (per sheet), and ``reconstruction.wave`` naming a wave."""
    problems, seen, paths = [], {}, {}
    waves = config.get("waves") or []
    for i, w in enumerate(waves):
        if not isinstance(w, dict):
            continue
        wid = str(w.get("id"))
        if wid in seen:
            problems.append(
                Problem(
                    ("waves", i, "id"),
                    f"wave id '{wid}' is used twice (also waves[{seen[wid]}]); each wave needs its own id",
                )
            )
        seen.setdefault(wid, i)
        if isinstance(w.get("path"), str):
            where = root / w["path"]
            if where.is_dir():
                problems.append(
                    Problem(("waves", i, "path"), f"'{w['path']}' is a folder, not a file: name the export file in it")
                )
            elif not where.is_file():
                problems.append(Problem(("waves", i, "path"), f"no file '{w['path']}' (paths are relative to {root})"))
            else:
                same = paths.setdefault((where.resolve(), w.get("sheet")), i)
                if same != i:
                    problems.append(
                        Problem(
                            ("waves", i, "path"),
                            f"'{w['path']}' is also the file of waves[{same}] "
                            f"('{waves[same].get('id')}'): one wave per file",
                        )
                    )
    problems += _mapping_problems(config, root)
    rec = (config.get("reconstruction") or {}).get("wave")
    if rec is not None and seen and str(rec) not in seen:
        problems.append(
            Problem(
                ("reconstruction", "wave"),
                f"'{rec}' names no wave; "
                f"waves are {', '.join(seen)}. It must name the article's "
                "wave, whose file is the article's reconstructed data; "
                "another survey cannot stand in for it. To analyse only "
                "your own survey, remove the `reconstruction:` section",
            )
        )
    return problems


def _mapping_problems(config: dict, root: Path) -> list[Problem]:
    """Each wave's ``columns:`` must map to a column, a question id or the ranking's id of the
    codebook, as the wave's ``revision`` (if any) changes it; a revision must fit the codebook."""
    book = root / str(config.get("codebook", ""))
    if not book.is_file():
        return []
    try:
        from analysis.codebook import Codebook

        codebook = Codebook(yamlfile.load(book.read_text(encoding="utf-8")))
        allowed = codebook.targets
    except Exception:  # a broken codebook is reported by the first rule that reads it
        return []
    from analysis.revision import RevisionError, revised

    problems = []
    for i, w in enumerate(config.get("waves") or []):
        wave_allowed = allowed
        if (w or {}).get("revision"):  # a revised wave maps to its own questionnaire
            try:
                wave_allowed = revised(codebook, w["revision"]).targets
            except RevisionError as e:
                problems.append(Problem(("waves", i, "revision"), str(e)))
                continue
        for k, v in ((w or {}).get("columns") or {}).items():
            if v not in wave_allowed:
                problems.append(
                    Problem(
                        ("waves", i, "columns", k),
                        f"'{v}' is not a codebook column, question id or "
                        f"the ranking's id{_suggest(v, sorted(wave_allowed))}",
                    )
                )
    return problems


def check_config(config: dict, files: list, schema: dict, root: Path) -> None:
    """Raise :class:`ConfigError` listing every mistake as ``file:line: key.path: message``."""
    files = [Path(f) for f in files]
    problems = schema_problems(config, schema)
    if not problems:
        problems = semantic_problems(config, Path(root))
    if problems:
        lines = [f"{locate(files, p.path)}: {key_path(p.path)}: {p.message}" for p in problems]
        raise ConfigError("\n".join(dict.fromkeys(lines)))
