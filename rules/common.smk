# Names and helpers shared by the rule files.

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
