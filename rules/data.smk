# Data layer: simulated waves, each wave's layout and codebook, validation and cleaning of every wave
# (the article's wave is reconstructed in rules/article.smk).


rule simulation_spec:
    """A simulated wave's `simulate` entry of config.yaml, as the JSON file rule simulate reads."""
    input:
        code="analysis/workflow/provenance.py",  # (the script records its provenance)
    output:
        "results/simulated/{wave}/spec.json",
    params:
        entry=lambda wc: WAVES[wc.wave]["simulate"],
    log:
        "results/logs/simulation_spec/{wave}.log",
    benchmark:
        "results/benchmarks/simulation_spec/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "scripts/config_json.py"


rule simulate:
    """A synthetic wave from the codebook (config: waves[].simulate), for demos and tests."""
    input:
        code=code("cli"),
        spec="results/simulated/{wave}/spec.json",
        codebook=config["codebook"],
    output:
        "results/simulated/{wave}/responses.csv",
    log:
        "results/logs/simulate/{wave}.log",
    benchmark:
        "results/benchmarks/simulate/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.cli simulate --spec-file {input.spec} --codebook {input.codebook}"
            " --out {output} 2> {log}"
        )


rule wave_codebook:
    """The codebook as a wave with a `revision:` entry asked it: options and ranking areas added,
    dropped or renamed (analysis/revision.py); its per-wave jobs read it instead of the codebook."""
    input:
        code=["analysis/workflow/provenance.py", "analysis/revision.py"],
        codebook=config["codebook"],
    output:
        "results/{wave}/codebook.yaml",
    params:
        revision=lambda wc: WAVES[wc.wave]["revision"],
    log:
        "results/logs/wave_codebook/{wave}.log",
    benchmark:
        "results/benchmarks/wave_codebook/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "scripts/wave_codebook.py"


rule wave_layout:
    """A wave's layout and coding keys of config.yaml (its preset, columns, ranking, ...), as the
    JSON file rule clean reads."""
    input:
        code="analysis/workflow/provenance.py",  # (the script records its provenance)
    output:
        "results/{wave}/layout.json",
    params:
        entry=lambda wc: {k: v for k, v in WAVES[wc.wave].items() if k not in WAVE_DATA_KEYS},
    log:
        "results/logs/wave_layout/{wave}.log",
    benchmark:
        "results/benchmarks/wave_layout/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "scripts/config_json.py"


rule clean:
    """Validate one wave against the codebook; log every excluded questionnaire with its reason.
    Ids are checked within the wave: a respondent is (wave, id)."""
    priority: 60
    input:
        code=code("clean"),
        presets="analysis/survey/readers/presets.yaml",
        raw=lambda wc: raw_path(wc.wave),
        layout="results/{wave}/layout.json",
        codebook=lambda wc: codebook_of(wc.wave),
    output:
        responses="results/{wave}/responses.csv",
        arrow="results/{wave}/responses.arrow",
        exclusions="results/{wave}/exclusions.csv",
        flow="results/{wave}/flow.csv",
    params:
        acknowledged=lambda wc: ",".join(WAVES[wc.wave].get("acknowledge_exclusions", [])),
    log:
        "results/logs/clean/{wave}.log",
    benchmark:
        "results/benchmarks/clean/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.clean --raw {input.raw:q} --codebook {input.codebook}"
            " --wave {input.layout}"
            " --responses {output.responses} --responses-arrow {output.arrow} --exclusions {output.exclusions} --flow {output.flow}"
            " --wave-id {wildcards.wave} --acknowledged '{params.acknowledged}' 2> {log}"
            " || {{ cat {log} >&2; exit 1; }}"
            " && {{ grep '^warning: ' {log} >&2 || true; }}"
        )
