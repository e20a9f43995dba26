import json

# Data layer: reconstruction of the article's wave, validation and cleaning of every wave.


rule reconstruct_raw:
    """Reconstructed questionnaires that reproduce every printed aggregate (never the original data)."""
    priority: 40
    input:
        code=code("reconstruct", "identification", "inference", "published", "rounding"),
        published=config["published"],
        codebook=config["codebook"],
    output:
        raw="results/reconstructed/{wave}/responses.csv",
        info="results/reconstructed/{wave}/reconstruction.json",
    params:
        rule="reconstruct_raw",
        seed=REC["seed"],
        invalid=",".join(f"{k}={v}" for k, v in sorted(REC["invalid_rankings"].items())),
    log:
        "results/logs/reconstruct_raw/{wave}.log",
    benchmark:
        "results/benchmarks/reconstruct_raw/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli --rule {params.rule} reconstruct --published {input.published} --codebook {input.codebook}"
        " --seed {params.seed} --invalid {params.invalid} --out {output.raw} --info {output.info} 2> {log}"


rule check_reconstruction:
    """Whether the committed raw file is byte-identical to a fresh reconstruction."""
    priority: 40
    input:
        code=code(),
        fresh=f"results/reconstructed/{REC['wave']}/responses.csv",
        committed=WAVES[REC["wave"]]["path"],
    output:
        "results/reconstructed/check.json",
    params:
        rule="check_reconstruction",
    log:
        "results/logs/check_reconstruction.log",
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli --rule {params.rule} compare-files --fresh {input.fresh} --committed {input.committed}"
        " --out {output} 2> {log}"


rule reconstruct:
    """Explicit target only (`snakemake reconstruct`): rewrite the committed raw file of the
    article's wave from the reconstruction. Never part of the default build."""
    input:
        f"results/reconstructed/{REC['wave']}/responses.csv",
    output:
        touch(f"results/reconstructed/{REC['wave']}/installed.flag"),
    params:
        target=WAVES[REC["wave"]]["path"],
    log:
        "results/logs/reconstruct.log",
    conda:
        "../envs/analysis.yaml"
    shell:
        "cp {input} {params.target} 2> {log}"


rule simulate:
    """A synthetic wave from the codebook (config: waves[].simulate), for demos and tests."""
    input:
        code=code("simulate"),
        codebook=config["codebook"],
    output:
        "results/simulated/{wave}/responses.csv",
    params:
        rule="simulate",
        spec=lambda wc: json.dumps(WAVES[wc.wave]["simulate"], sort_keys=True),
    log:
        "results/logs/simulate/{wave}.log",
    benchmark:
        "results/benchmarks/simulate/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli --rule {params.rule} simulate --spec '{params.spec}' --codebook {input.codebook}"
        " --out {output} 2> {log}"


rule clean:
    """Validate one wave against the codebook; log every excluded questionnaire with its reason.
    Respondent ids already used by an earlier wave (config order) are excluded too."""
    priority: 60
    input:
        code=code("clean", *READERS),
        presets="analysis/readers/presets.yaml",
        raw=lambda wc: raw_path(wc.wave),
        codebook=config["codebook"],
        prior=lambda wc: [f"results/{w}/responses.csv" for w in WAVE_IDS[: WAVE_IDS.index(wc.wave)]],
    output:
        responses="results/{wave}/responses.csv",
        arrow="results/{wave}/responses.arrow",
        exclusions="results/{wave}/exclusions.csv",
        flow="results/{wave}/flow.csv",
    params:
        rule="clean",
        wave=lambda wc: json.dumps({k: v for k, v in WAVES[wc.wave].items() if k not in WAVE_DATA_KEYS},
                                   sort_keys=True, ensure_ascii=True),
        prior=lambda wc, input: ",".join(input.prior),
    log:
        "results/logs/clean/{wave}.log",
    benchmark:
        "results/benchmarks/clean/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli --rule {params.rule} clean --raw {input.raw:q} --codebook {input.codebook}"
        " --wave {params.wave:q} --prior '{params.prior}'"
        " --responses {output.responses} --responses-arrow {output.arrow} --exclusions {output.exclusions} --flow {output.flow} 2> {log}"
        " || {{ cat {log} >&2; exit 1; }}"
