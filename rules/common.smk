# Names and helpers shared by the rule files.

import tomllib

from analysis.survey.readers.spec import DESIGN_KEYS, NOT_LAYOUT
from analysis.workflow.sources import document_modules, imported_modules, source_files

WAVES = {w["id"]: w for w in config["waves"]}
# the configuration files of this build (config.yaml and any --configfile)
# (relative to the project, as every other input, when inside it)
CONFIG_FILES = list(
    dict.fromkeys(
        (
            Path(f).resolve().relative_to(Path.cwd().resolve()).as_posix()
            if Path(f).resolve().is_relative_to(Path.cwd().resolve())
            else str(f)
        )
        for f in ["config.yaml", *workflow.overwrite_configfiles]
    )
)
WAVE_IDS = list(WAVES)
SOURCES = source_files(Path(workflow.basedir))  # (rules about and archive)
MULTI = len(WAVE_IDS) > 1
TREND = len(WAVE_IDS) >= 3  # trends over the waves need three or more
# wave keys that are not the file's layout or coding; the preset is passed on to the reader
WAVE_DATA_KEYS = tuple(k for k in NOT_LAYOUT if k != "preset")


def codebook_of(wave):
    """The codebook a wave's jobs read: its own (rule wave_codebook) when its entry has a
    `revision:`, else the project's."""
    return f"results/{wave}/codebook.yaml" if "revision" in WAVES[wave] else config["codebook"]


def raw_path(wave):
    """The raw file of a wave: its `path`, or the output of rule simulate for a simulated wave."""
    w = WAVES[wave]
    return f"results/simulated/{wave}/responses.csv" if "simulate" in w else w["path"]


def code(step, *modules):
    """The files of the code a job runs, as inputs, so that a code change reruns it: its step
    (analysis/steps/<step>.py, or the user's CLI for "cli"), the provenance module every command
    ends with, ``modules`` (dotted names, e.g. what a Quarto document imports) and every module of
    analysis/ they import, found in their source (analysis/workflow/sources.py)."""
    runs = ["analysis.cli"] if step == "cli" else [f"analysis.steps.{step}"]
    return imported_modules(Path(workflow.basedir), [*runs, "analysis.workflow.provenance", *modules])


def step(command, reads=False):
    """A rule's shell command, then the job's provenance record (analysis/workflow/provenance.py):
    the rule (from its log path, results/logs/<rule>...), its declared input and output files,
    and with ``reads`` the inputs of each output (``params.reads``). Every rule that runs a step
    uses it, so the bookkeeping is written once."""
    return (
        command
        + " && python -m analysis.workflow.provenance --log {log:q} --inputs {input:q} --outputs {output:q}"
        + (" --reads {params.reads}" if reads else "")
    )


VERSION = tomllib.loads(Path(workflow.basedir, "pyproject.toml").read_text())["project"]["version"]
SIMULATED = [w for w in WAVE_IDS if "simulate" in WAVES[w]]


def archived_results():
    """Every file the build makes (the outputs of its rules), the rendered paper included; called
    by rule archive, once every rule is defined."""
    per_wave = [rules.wave_layout, rules.clean, rules.statistics, rules.figures]
    files = [
        *expand([f for r in per_wave for f in r.output], wave=WAVE_IDS),
        *expand([*rules.simulation_spec.output, *rules.simulate.output], wave=SIMULATED),
        *expand(rules.wave_codebook.output, wave=[w for w in WAVE_IDS if "revision" in WAVES[w]]),
        *expand([f for r in (rules.design_spec, rules.weighting, rules.design) for f in r.output], wave=WEIGHTED),
    ]
    files += expand(rules.render.output, document=DOCUMENTS)
    single = [rules.effective_config, rules.about]
    if ARTICLE:
        files += [
            *expand(rules.reconstruct_raw.output, wave=REC["wave"]),
            *expand(rules.sensitivity_chunk.output, chunk=range(SENS["chunks"])),
        ]
        single += [
            rules.check_reconstruction,
            rules.reproduce,
            rules.audit,
            rules.identify,
            rules.sensitivity_summary,
            rules.figure_identified,
            rules.figure_priority_ranges,
            rules.figure_sensitivity,
        ]
    if MULTI:
        single += [rules.compare_waves, rules.figure_trend]
    if TREND:
        single += [rules.trends, rules.figure_trends]
    if MULTI and WEIGHTED:
        single += [rules.design_trends]
    return sorted({*files, *(f for r in single for f in r.output)})

# `priority:` on rules orders ready jobs when cores are scarce (cold build on 2 cores): the two
# long chains that end in the paper first (clean -> statistics -> figures; the sensitivity draws
# -> their summary -> figure; then the comparison of waves -> trend figure); the short jobs whose
# outputs only the paper itself reads (audit, reproduction, reconstruction check, configuration)
# fill the gaps, as `render` waits for everything anyway.
