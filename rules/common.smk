# Names and helpers shared by the rule files.

from analysis.readers.spec import NOT_LAYOUT

WAVES = {w["id"]: w for w in config["waves"]}
# the configuration files of this build (config.yaml and any --configfile)
CONFIG_FILES = list(dict.fromkeys(["config.yaml", *workflow.overwrite_configfiles]))
WAVE_IDS = list(WAVES)
MULTI = len(WAVE_IDS) > 1
# the readers of platform exports (analysis/readers/), inputs of rule clean
READERS = [f"readers/{p.stem}" for p in sorted(Path("analysis/readers").glob("*.py"))]
# wave keys that are not the file's layout or coding; the preset is passed on to the reader
WAVE_DATA_KEYS = tuple(k for k in NOT_LAYOUT if k != "preset")


def raw_path(wave):
    """The raw file of a wave: its `path`, or the output of rule simulate for a simulated wave."""
    w = WAVES[wave]
    return f"results/simulated/{wave}/responses.csv" if "simulate" in w else w["path"]


def code(step, *modules):
    """The analysis modules a job runs, as inputs, so that a code change reruns it; these are
    its step (analysis/steps/<step>.py, or the user's CLI for "cli") and the modules it uses."""
    runs = ["cli"] if step == "cli" else ["steps/__init__", f"steps/{step}"]
    base = ["io", "errors", "codebook", "yamlfile", "exports", "provenance"]  # (every step runs these)
    return [f"analysis/{m}.py" for m in dict.fromkeys(runs + base + list(modules))]


# `priority:` on rules orders ready jobs when cores are scarce (cold build on 2 cores): the two
# long chains that end in the paper first (clean -> statistics -> figures; the sensitivity draws
# -> their summary -> figure; then the comparison of waves -> trend figure); the short jobs whose
# outputs only the paper itself reads (audit, reproduction, reconstruction check, configuration)
# fill the gaps, as `render` waits for everything anyway.
