# microstore-risk: raw survey waves -> cleaned data -> statistics -> figures -> Quarto paper.
import os
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

from analysis.configcheck import ConfigError, check_config, read_config_text

# Every configuration mistake is one clear message (file, line, key path) before any job runs.
try:
    read_config_text("config.yaml")
except ConfigError as e:
    sys.exit(f"error: {e}")


configfile: "config.yaml"


try:
    check_config(config, ["config.yaml", *workflow.overwrite_configfiles],
                 read_config_text("schemas/config.schema.yaml"), Path(workflow.basedir))
except ConfigError as e:
    sys.exit(f"error: {e}")
validate(config, "schemas/config.schema.yaml")  # the schema of record (also fills in defaults)

# Entry points run as `python -m analysis.cli`: the Python that runs Snakemake (the
# project's .venv) comes first on PATH; under --use-conda the activated env does.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
os.environ["PYTHONPATH"] = workflow.basedir + os.pathsep + os.environ.get("PYTHONPATH", "")
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("SOURCE_DATE_EPOCH", "1622160000")  # 2021-05-28, the article's publication date
os.environ.setdefault("MPLBACKEND", "Agg")

WAVES = {w["id"]: w for w in config["waves"]}
WAVE_IDS = list(WAVES)
MULTI = len(WAVE_IDS) > 1


def raw_path(wave):
    """The raw file of a wave: its `path`, or the output of rule simulate for a simulated wave."""
    w = WAVES[wave]
    return f"results/simulated/{wave}/responses.csv" if "simulate" in w else w["path"]



def code(*modules):
    """The analysis modules a rule runs, as inputs, so that a code change reruns it."""
    base = ["cli", "io", "errors", "codebook"]
    return [f"analysis/{m}.py" for m in dict.fromkeys(base + list(modules))]


REC = config["reconstruction"]

wildcard_constraints:
    wave="|".join(WAVES),
    chunk=r"\d+",


localrules:
    all,
    effective_config,
    reconstruct,
    check_reconstruction,


include: "rules/data.smk"
include: "rules/stats.smk"
include: "rules/report.smk"


rule all:
    input:
        "report/_output/paper.html",
        "report/_output/paper.pdf",
        "results/reproduction.csv",
        "results/reconstructed/check.json",
        expand("results/{wave}/breakdown.csv", wave=WAVE_IDS),
    default_target: True
