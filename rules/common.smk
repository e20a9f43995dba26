# Names and helpers shared by the rule files.

WAVES = {w["id"]: w for w in config["waves"]}
WAVE_IDS = list(WAVES)
MULTI = len(WAVE_IDS) > 1
# the readers of platform exports (analysis/readers/), inputs of rule clean
READERS = [f"readers/{m}" for m in ("__init__", "spec", "labels", "layout", "problems", "selections", "rankings")]
# wave keys that are not the file's layout or coding (analysis.readers.spec.WAVE_DATA_KEYS; preset is passed on)
WAVE_DATA_KEYS = ("id", "path", "label", "field_date", "simulate")


def raw_path(wave):
    """The raw file of a wave: its `path`, or the output of rule simulate for a simulated wave."""
    w = WAVES[wave]
    return f"results/simulated/{wave}/responses.csv" if "simulate" in w else w["path"]


def code(*modules):
    """The analysis modules a rule runs, as inputs, so that a code change reruns it."""
    base = ["cli", "io", "errors", "codebook"]
    return [f"analysis/{m}.py" for m in dict.fromkeys(base + list(modules))]
