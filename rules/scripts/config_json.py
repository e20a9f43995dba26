"""Rules wave_layout and simulation_spec: one wave's entry of the configuration (params.entry)
as a JSON file, which the wave's jobs read instead of a JSON text on their command line.
Standard library only: it runs in Snakemake's own Python."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parents[1]))  # noqa: F821 (the project's root, for analysis)
from analysis.workflow.provenance import record_job  # noqa: E402 (standard library only)

with open(snakemake.output[0], "w", encoding="utf-8", newline="\n") as f:  # noqa: F821 (Snakemake's object)
    f.write(json.dumps(snakemake.params.entry, indent=2, sort_keys=True) + "\n")  # noqa: F821
record_job(snakemake.rule, list(snakemake.input), list(snakemake.output))  # noqa: F821
