"""The Workflow Run RO-Crate of a build (the ``rocrate`` package): the workflow as the crate's
``ComputationalWorkflow`` (Workflow RO-Crate 1.0), one ``CreateAction`` for the build whose
``object`` is the data and the configuration's values and whose ``result`` is every results file
and the rendered paper (Workflow Run Crate 0.5), and one ``CreateAction`` per job of the build,
from its provenance record (:mod:`analysis.workflow.provenance`), whose ``instrument`` is the rule that
made the files. Every file carries its SHA-256.

Profiles: https://w3id.org/ro/wfrun/workflow/0.5 (Leo et al. 2024, PLOS ONE 19(9): e0309210),
https://w3id.org/workflowhub/workflow-ro-crate/1.0, RO-Crate 1.1 (Soiland-Reyes et al. 2022,
Data Science 5(2))."""

from __future__ import annotations

from dataclasses import dataclass

PROCESS_RUN = "https://w3id.org/ro/wfrun/process/0.5"
WORKFLOW_RUN = "https://w3id.org/ro/wfrun/workflow/0.5"
WORKFLOW_RO_CRATE = "https://w3id.org/workflowhub/workflow-ro-crate/1.0"
RUN_CONTEXT = "https://w3id.org/ro/terms/workflow-run/context"  # defines the sha256 property
ARTICLE = "https://doi.org/10.4018/JOEUC.20210901.oa5"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
SPDX = "https://spdx.org/licenses/"


@dataclass(frozen=True)
class Build:
    """What one build consists of. Paths are relative to the project's root; ``sha256`` maps
    every file of the crate to its digest; ``records`` are the jobs' provenance records."""

    version: str
    licence: str  # SPDX identifier of the project's licence
    authors: list[str]
    sources: list[str]
    data: dict[str, str]  # input data file -> the configuration key that names it
    parameters: dict[str, object]  # configuration key -> value (scalars)
    results: list[str]
    records: list[dict]
    sha256: dict[str, str]
    software: dict[str, str]  # package -> version
    start: str  # ISO 8601
    end: str
    notices: dict[str, str]  # data folder -> what its data are (the reconstruction notice)


def flatten(config: dict, prefix: str = "") -> dict[str, object]:
    """The scalar values of ``config`` by key path (``inference.seed``); list items are named by
    their ``id`` when they have one (``waves.2021.label``), else by position."""
    out: dict[str, object] = {}
    items = (
        config.items()
        if isinstance(config, dict)
        else ((str(v.get("id", i)) if isinstance(v, dict) else str(i), v) for i, v in enumerate(config))
    )
    for k, v in items:
        key = f"{prefix}{k}"
        if isinstance(v, (dict, list)):
            out |= flatten(v, f"{key}.")
        else:
            out[key] = v
    return out


def value_type(value: object) -> str:
    """The ``additionalType`` of a FormalParameter holding ``value``."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    return "Float" if isinstance(value, float) else "Text"


def ref(entity) -> dict:
    return {"@id": entity.id}


def crate(b: Build, root):
    """The crate of build ``b`` whose files lie under ``root`` (written by the caller)."""
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate

    c = ROCrate(version="1.1", gen_preview=False)
    c.metadata.extra_contexts.append(RUN_CONTEXT)
    files = {}
    for path in b.sources:
        if path != "Snakefile":
            files[path] = c.add_file(root / path, path, properties={"sha256": b.sha256[path]})
    wf = c.add_workflow(
        root / "Snakefile",
        "Snakefile",
        main=True,
        lang="snakemake",
        lang_version=b.software.get("snakemake"),
        properties={"name": "microstore-risk workflow", "sha256": b.sha256["Snakefile"]},
    )
    files["Snakefile"] = wf
    wf["hasPart"] = [
        ref(files[p])
        for p in b.sources
        if p.startswith(("rules/", "envs/", "schemas/"))
        or p in ("requirements.lock", "requirements-runner.lock", "config.yaml", "pyproject.toml")
    ]
    for path in b.results:
        files[path] = c.add_file(root / path, path, properties={"sha256": b.sha256[path]})
    _describe_root(c, b, ContextEntity)
    objects = _inputs(c, b, wf, files, ContextEntity)
    outputs = _outputs(c, wf, b.results, files)
    run = c.add_action(
        wf,
        identifier="#build",
        object=objects,
        result=outputs,
        properties={
            "@type": "CreateAction",
            "name": f"Build of microstore-risk {b.version} (snakemake, make paper)",
            "startTime": b.start,
            "endTime": b.end,
            "actionStatus": {"@id": "http://schema.org/CompletedActionStatus"},
        },
    )
    c.root_dataset["mentions"] = [ref(run), *(ref(j) for j in _jobs(c, b.records, files, ContextEntity))]
    _software(c, wf, b.software, ContextEntity)
    return c


def _describe_root(c, b: Build, ContextEntity) -> None:
    """Name, description, date, licence, authors, profiles and the cited article."""
    licence = c.add(
        ContextEntity(
            c,
            SPDX + b.licence,
            properties={"@type": "CreativeWork", "name": f"{b.licence} License", "identifier": b.licence},
        )
    )
    article = c.add(
        ContextEntity(
            c,
            ARTICLE,
            properties={
                "@type": "ScholarlyArticle",
                "name": "Research on Risk Analysis and Countermeasures of Micro Store Operation Model",
                "author": "Wei Li, Li Zhang, Changgen Han",
                "datePublished": "2021",
                "isPartOf": "Journal of Organizational and End User Computing 33(5)",
                "license": {"@id": CC_BY},
            },
        )
    )
    c.add(ContextEntity(c, CC_BY, properties={"@type": "CreativeWork", "name": "CC BY 4.0", "identifier": "CC-BY-4.0"}))
    profiles = [
        c.add(
            ContextEntity(
                c,
                url,
                properties={"@type": ["CreativeWork", "Profile"], "name": name, "version": url.rsplit("/", 1)[1]},
            )
        )
        for url, name in [
            (PROCESS_RUN, "Process Run Crate"),
            (WORKFLOW_RUN, "Workflow Run Crate"),
            (WORKFLOW_RO_CRATE, "Workflow RO-Crate"),
        ]
    ]
    root = c.root_dataset
    _name_root(root, b)
    root["datePublished"] = b.end
    root["version"] = b.version
    root["license"] = ref(licence)
    root["citation"] = ref(article)
    root["author"] = [
        ref(c.add(ContextEntity(c, f"#author-{i}", properties={"@type": "Organization", "name": a})))
        for i, a in enumerate(b.authors)
    ]
    for p in profiles:
        root.append_to("conformsTo", p)
    _notices(c, b, ContextEntity)


def _name_root(root, b: Build) -> None:
    """The crate's name and description: the article's reanalysis (its wave reconstructed, and
    said so) or a build of the user's own waves."""
    if b.notices:  # a build with the article's wave
        root["name"] = f"microstore-risk {b.version}: audit, reconstruction and reanalysis of Li, Zhang & Han (2021)"
        root["description"] = (
            "The paper, its data, code, environment and provenance: a Workflow Run RO-Crate of one "
            "build. The respondent-level data of the article's wave are RECONSTRUCTED from its "
            "printed aggregates, not the original survey responses."
        )
    else:
        root["name"] = (
            f"microstore-risk {b.version}: a survey with the questionnaire of Li, Zhang & Han (2021), analysed"
        )
        root["description"] = (
            "The paper, its data, code, environment and provenance: a Workflow Run RO-Crate of one "
            "build of the configured survey waves (the article's wave is not among them)."
        )


def _notices(c, b: Build, ContextEntity) -> None:
    """Each data folder of reconstructed data as a dataset carrying its reconstruction notice."""
    for folder, notice in b.notices.items():
        prop = c.add(
            ContextEntity(
                c,
                f"#notice-{folder}",
                properties={"@type": "PropertyValue", "name": "reconstruction notice", "value": notice},
            )
        )
        c.add_dataset(
            None,
            f"{folder}/",
            properties={"name": f"data of {folder}", "description": notice, "additionalProperty": ref(prop)},
        )


def _inputs(c, b: Build, wf, files, ContextEntity) -> list:
    """FormalParameters of the configuration's values and data files, as the workflow's inputs;
    the run's objects (the data files and one PropertyValue per value)."""
    objects = []
    for key, path in b.data.items():
        fp = c.add_formal_parameter(
            key, "File", identifier=f"#param-{key}", valueRequired=True, description=f"config: {key}"
        )
        wf.append_to("input", fp)
        files[path]["exampleOfWork"] = ref(fp)
        objects.append(files[path])
    for key, value in b.parameters.items():
        fp = c.add_formal_parameter(
            key, value_type(value), identifier=f"#param-{key}", description=f"config: {key}", valueRequired=True
        )
        wf.append_to("input", fp)
        objects.append(
            c.add(
                ContextEntity(
                    c,
                    f"#value-{key}",
                    properties={"@type": "PropertyValue", "name": key, "value": value, "exampleOfWork": ref(fp)},
                )
            )
        )
    return objects


def _outputs(c, wf, results: list[str], files) -> list:
    """One FormalParameter per results file, as the workflow's outputs; the files."""
    out = []
    for path in results:
        fp = c.add_formal_parameter(path, "File", identifier=f"#output-{path}", valueRequired=True)
        wf.append_to("output", fp)
        files[path]["exampleOfWork"] = ref(fp)
        out.append(files[path])
    return out


def _jobs(c, records: list[dict], files, ContextEntity) -> list:
    """One CreateAction per job: the rule as instrument, the code and inputs it read as object,
    its outputs as result (so every results file has the job, and the rule, that made it)."""
    rules, jobs = {}, []
    for rec in records:
        rule = rec["rule"]
        if rule not in rules:
            rules[rule] = c.add(
                ContextEntity(
                    c,
                    f"#rule-{rule}",
                    properties={
                        "@type": "SoftwareApplication",
                        "name": f"rule {rule}",
                        "description": "a rule of the workflow (Snakefile, rules/*.smk)",
                    },
                )
            )
        outs = sorted(rec["outputs"])
        job = c.add_action(
            rules[rule],
            identifier=f"#job-{rule}-{outs[0]}",
            properties={"@type": "CreateAction", "name": f"rule {rule}: {', '.join(outs)}"},
        )
        job["object"] = [ref(files[f]) for f in sorted({**rec["code"], **rec["inputs"]})]
        job["result"] = [ref(files[f]) for f in outs]
        jobs.append(job)
    return jobs


def _software(c, wf, software: dict[str, str], ContextEntity) -> None:
    """The versions of the software the build ran, as the workflow's requirements."""
    for name, version in sorted(software.items()):
        wf.append_to(
            "softwareRequirements",
            c.add(
                ContextEntity(
                    c,
                    f"#software-{name}",
                    properties={"@type": "SoftwareApplication", "name": name, "softwareVersion": version},
                )
            ),
        )
