"""Rule wave_codebook: the codebook as a wave with a `revision:` entry asked it
(analysis.revision.revised), as the YAML file its jobs read instead of the codebook. Standard
library and PyYAML only: it runs in Snakemake's own Python."""

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(snakemake.scriptdir).parents[1]))  # noqa: F821 (the project's root, for analysis)
from analysis.codebook import Codebook  # noqa: E402
from analysis.revision import RevisionError, revised  # noqa: E402
from analysis.workflow.provenance import record_job  # noqa: E402

with open(snakemake.input.codebook, encoding="utf-8") as f:  # noqa: F821 (Snakemake's object)
    codebook = Codebook(yaml.safe_load(f))
try:
    wave = revised(codebook, snakemake.params.revision)  # noqa: F821
except RevisionError as e:
    sys.exit(f"error: config.yaml: waves[{snakemake.wildcards.wave}].revision: {e}")  # noqa: F821
with open(snakemake.output[0], "w", encoding="utf-8", newline="\n") as f:  # noqa: F821
    f.write(f"# The codebook of wave {snakemake.wildcards.wave} ({snakemake.input.codebook} with its revision)\n")  # noqa: F821
    yaml.safe_dump(wave.to_dict(), f, allow_unicode=True, sort_keys=False, width=120)
record_job(snakemake.rule, list(snakemake.input), list(snakemake.output))  # noqa: F821
