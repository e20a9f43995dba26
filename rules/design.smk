# Weighted waves (config: a wave's weights, strata, cluster or rake): final weights and design-based estimates.

WEIGHTED = [w for w in WAVE_IDS if any(k in WAVES[w] for k in DESIGN_KEYS)]
DESIGN_TABLES = ["proportions", "means", "group_tests", "worths"]


rule design_spec:
    """A weighted wave's design keys of config.yaml (weights, strata, cluster, rake, trim), as the
    JSON file rule weighting reads."""
    input:
        code="analysis/workflow/provenance.py",  # (the script records its provenance)
    output:
        "results/{wave}/design.json",
    params:
        entry=lambda wc: {k: WAVES[wc.wave][k] for k in DESIGN_KEYS if k in WAVES[wc.wave]},
    log:
        "results/logs/design_spec/{wave}.log",
    benchmark:
        "results/benchmarks/design_spec/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "scripts/config_json.py"


rule weighting:
    """A weighted wave's final weights: its design weights, raked to its population margins and
    trimmed where its entry asks (svy), with Kish's effective sample size."""
    priority: 48
    input:
        code=code("weighting"),
        responses="results/{wave}/responses.arrow",
        codebook=lambda wc: codebook_of(wc.wave),
        design="results/{wave}/design.json",
    output:
        weights="results/{wave}/weights.csv",
        summary="results/{wave}/weighting.csv",
    log:
        "results/logs/weighting/{wave}.log",
    benchmark:
        "results/benchmarks/weighting/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.weighting --responses {input.responses} --codebook {input.codebook}"
            " --design {input.design} --wave-id {wildcards.wave} --weights {output.weights}"
            " --summary {output.summary} 2> {log} || {{ cat {log} >&2; exit 1; }}"
        )


rule design:
    """A weighted wave's design-based estimates (svy): weighted percent of cases with design
    effects and effective sizes, weighted Table 1, Rao-Scott group tests, pseudo-likelihood worths
    with replicate-weight variance."""
    priority: 46
    input:
        code=code("design"),
        responses="results/{wave}/responses.arrow",
        weights="results/{wave}/weights.csv",
        codebook=lambda wc: codebook_of(wc.wave),
    output:
        expand("results/{{wave}}/design/{name}.csv", name=DESIGN_TABLES),
    params:
        outdir="results/{wave}/design",
        replicates=config["inference"].get("design_replicates", 200),
        seed=config["inference"]["seed"],
    log:
        "results/logs/design/{wave}.log",
    benchmark:
        "results/benchmarks/design/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.design --responses {input.responses} --weights {input.weights}"
            " --codebook {input.codebook} --outdir {params.outdir} --replicates {params.replicates}"
            " --seed {params.seed} 2> {log} || {{ cat {log} >&2; exit 1; }}"
        )


rule design_trends:
    """Several waves, one or more weighted: design-based change of every option and area over the
    waves (svy's survey-weighted regressions; two waves: their difference), Holm over all."""
    priority: 42
    input:
        code=code("design_trends"),
        responses=expand("results/{wave}/responses.arrow", wave=WAVE_IDS),
        weights=expand("results/{wave}/weights.csv", wave=WEIGHTED),
        codebooks=[codebook_of(w) for w in WAVE_IDS],
    output:
        "results/waves/design_trends.csv",
    params:
        waves=",".join(WAVE_IDS),
        field_dates=",".join(str(WAVES[w].get("field_date", "")) for w in WAVE_IDS),
        responses=lambda wc, input: ",".join(input.responses),
        codebooks=lambda wc, input: ",".join(input.codebooks),
        weights=",".join(f"results/{w}/weights.csv" if w in WEIGHTED else "" for w in WAVE_IDS),
    log:
        "results/logs/design_trends.log",
    benchmark:
        "results/benchmarks/design_trends.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.design_trends --waves {params.waves} --wave-responses {params.responses}"
            " --wave-codebooks {params.codebooks} --wave-weights '{params.weights}'"
            " --field-dates {params.field_dates:q} --out {output} 2> {log} || {{ cat {log} >&2; exit 1; }}"
        )
