"""Rule effective_config: the build's configuration (config.yaml, any --configfile and --config,
with the schema's defaults) and the results files the paper reads, as JSON. Standard library only:
it runs in Snakemake's own Python."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parents[1]))  # noqa: F821 (the project's root, for analysis)
from analysis.workflow.provenance import record_job  # noqa: E402 (standard library only)


def write(obj, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(obj, indent=2, sort_keys=True) + "\n")


write(snakemake.config, snakemake.output.config)  # noqa: F821 (Snakemake's script object)
write(sorted(snakemake.params.inputs), snakemake.output.inputs)  # noqa: F821
record_job(snakemake.rule, list(snakemake.input), list(snakemake.output))  # noqa: F821
