# Data layer: reconstruction of the article's wave, validation and cleaning of every wave.


rule reconstruct_raw:
    """Reconstructed questionnaires that reproduce every printed aggregate (never the original data)."""
    input:
        code=code("reconstruct", "published", "rounding"),
        published=config["published"],
        codebook=config["codebook"],
    output:
        raw="results/reconstructed/{wave}/responses.csv",
        info="results/reconstructed/{wave}/reconstruction.json",
    params:
        seed=REC["seed"],
        invalid=",".join(f"{k}={v}" for k, v in sorted(REC["invalid_rankings"].items())),
    log:
        "results/logs/reconstruct_raw/{wave}.log",
    benchmark:
        "results/benchmarks/reconstruct_raw/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli --rule {rule} reconstruct --published {input.published} --codebook {input.codebook}"
        " --seed {params.seed} --invalid {params.invalid} --out {output.raw} --info {output.info} 2> {log}"


rule check_reconstruction:
    """Whether the committed raw file is byte-identical to a fresh reconstruction."""
    input:
        code=code(),
        fresh=f"results/reconstructed/{REC['wave']}/responses.csv",
        committed=WAVES[REC["wave"]]["path"],
    output:
        "results/reconstructed/check.json",
    log:
        "results/logs/check_reconstruction.log",
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli --rule {rule} compare-files --fresh {input.fresh} --committed {input.committed}"
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
    shell:
        "cp {input} {params.target} 2> {log}"


rule clean:
    """Validate one wave against the codebook; log every excluded questionnaire with its reason."""
    input:
        code=code("clean"),
        raw=lambda wc: WAVES[wc.wave]["path"],
        codebook=config["codebook"],
    output:
        responses="results/{wave}/responses.csv",
        exclusions="results/{wave}/exclusions.csv",
        flow="results/{wave}/flow.csv",
    log:
        "results/logs/clean/{wave}.log",
    benchmark:
        "results/benchmarks/clean/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli --rule {rule} clean --raw {input.raw} --codebook {input.codebook}"
        " --responses {output.responses} --exclusions {output.exclusions} --flow {output.flow} 2> {log}"
        " || {{ cat {log} >&2; exit 1; }}"
