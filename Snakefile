# microstore-risk: raw survey waves -> cleaned data -> statistics -> figures -> Quarto paper.
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

from analysis.workflow.configcheck import ConfigError, check_config, read_config_text
from analysis.workflow.document import document, documents, has_article
from analysis.workflow.jobenv import JobEnvironmentError, job_environment

# Every configuration mistake is one clear message (file, line, key path) before any job runs.
try:
    read_config_text("config.yaml")
except ConfigError as e:
    sys.exit(f"error: {e}")


configfile: "config.yaml"


try:
    check_config(
        config,
        ["config.yaml", *workflow.overwrite_configfiles],
        read_config_text("schemas/config.schema.yaml"),
        Path(workflow.basedir),
    )
except ConfigError as e:
    sys.exit(f"error: {e}")
validate(config, "schemas/config.schema.yaml")  # the schema of record (also fills in defaults)

# Entry points run as `python -m analysis.cli` with the jobs' Python first on PATH: this one, or
# the project's .venv/bin/python when Snakemake runs from the light .venv/runner (analysis/workflow/jobenv.py).
try:
    job_environment(workflow.basedir)
except JobEnvironmentError as e:
    sys.exit(f"error: {e}")


include: "rules/common.smk"


report: "report/snakemake/workflow.rst"


# The article's wave (config: reconstruction) and its analysis, or a paper about the user's own survey.
REC = config.get("reconstruction")
ARTICLE = has_article(config)
DOCUMENT = document(config)
DOCUMENTS = documents(config)  # the paper and, with the article's wave, its supplement


wildcard_constraints:
    wave="|".join(WAVES),
    chunk=r"\d+",
    document="|".join(DOCUMENTS),


localrules:
    all,
    effective_config,
    wave_layout,
    simulation_spec,


if ARTICLE:

    localrules:
        reconstruct,
        check_reconstruction,


# Results of waves no longer configured (and of the article, or its paper, once the configuration has
# no article's wave) are removed before a build runs (not in a dry run).
onstart:
    from analysis.workflow.stale import remove_stale

    for line in remove_stale(Path("results"), WAVE_IDS, DOCUMENT, Path("report/_output")):
        print(line, file=sys.stderr)


include: "rules/data.smk"
include: "rules/stats.smk"
include: "rules/design.smk"


if ARTICLE:

    include: "rules/article.smk"


include: "rules/report.smk"
include: "rules/archive.smk"


rule all:
    input:
        expand("report/_output/{document}.{ext}", document=DOCUMENTS, ext=["html", "pdf"]),
        *(["results/reproduction.csv", "results/reconstructed/check.json"] if ARTICLE else []),
        expand("results/{wave}/breakdown.csv", wave=WAVE_IDS),
    default_target: True
