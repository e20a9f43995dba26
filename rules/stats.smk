# Statistics per wave and across waves (the article's reproduction is in rules/article.smk).


INFERENCE = [
    "mr_intervals",
    "cochran",
    "mr_pairwise",
    "friedman",
    "posthoc",
    "threshold",
    "first_choice",
    "plackett_luce",
]
COUNTERMEASURES = ["risks", "countermeasures", "coverage", "gaps"]


rule statistics:
    """Every statistic of one wave from one read of its cleaned responses: Table 1 and the score
    distribution; sections 4.1-4.4 (counts, percent of responses and of cases per option);
    intervals, Cochran's Q, Friedman / Kendall's W, post-hoc tests, 3.2-rule tests,
    Plackett-Luce; risk priorities, countermeasure scores, coverage and gaps
    (data/countermeasures.yaml); results by respondent attribute, small cells suppressed."""
    priority: 50
    input:
        code=code("statistics"),
        responses="results/{wave}/responses.arrow",  # (the CSV's Arrow twin: read in a fraction of the time)
        codebook=lambda wc: codebook_of(wc.wave),
        countermeasures=config["countermeasures"],
    output:
        table1=report(
            "results/{wave}/table1.csv",
            caption="../report/snakemake/table1.rst",
            category="Wave {wave}",
            subcategory="Tables",
            labels={"wave": "{wave}", "table": "Table 1"},
        ),
        distribution="results/{wave}/score_distribution.csv",
        mr=report(
            "results/{wave}/multiple_response.csv",
            caption="../report/snakemake/multiple_response.rst",
            category="Wave {wave}",
            subcategory="Tables",
            labels={"wave": "{wave}", "table": "multiple response"},
        ),
        inference=expand("results/{{wave}}/inference/{name}.csv", name=INFERENCE),
        countermeasures=expand("results/{{wave}}/countermeasures/{name}.csv", name=COUNTERMEASURES),
        breakdown="results/{wave}/breakdown.csv",
        group_tests="results/{wave}/group_tests.csv",
        group_worths="results/{wave}/group_worths.csv",
    params:
        inference_outdir="results/{wave}/inference",
        countermeasures_outdir="results/{wave}/countermeasures",
        seed=config["inference"]["seed"],
        bootstrap=config["inference"]["bootstrap"],
        pl_bootstrap=config["inference"]["pl_bootstrap"],
        priority_bootstrap=config["inference"]["priority_bootstrap"],
    log:
        "results/logs/statistics/{wave}.log",
    benchmark:
        "results/benchmarks/statistics/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.statistics --responses {input.responses} --codebook {input.codebook}"
            " --countermeasures {input.countermeasures} --table1 {output.table1} --distribution {output.distribution}"
            " --mr {output.mr} --inference-outdir {params.inference_outdir}"
            " --countermeasures-outdir {params.countermeasures_outdir} --breakdown {output.breakdown}"
            " --group-tests {output.group_tests} --group-worths {output.group_worths}"
            " --bootstrap {params.bootstrap} --pl-bootstrap {params.pl_bootstrap}"
            " --priority-bootstrap {params.priority_bootstrap} --seed {params.seed} 2> {log} || {{ cat {log} >&2; exit 1; }}"
        )


WAVE_COMPARISON = ["mr_changes", "mmi", "ranking_changes", "priorities", "waves", "wave_worths"]


rule compare_waves:
    """Changes between consecutive waves: options (Newcombe, MMI bootstrap), areas (Welch), priorities;
    consecutive waves of one panel paired over their linked respondents (McNemar, paired t)."""
    priority: 42
    input:
        code=code("compare"),
        responses=expand("results/{wave}/responses.arrow", wave=WAVE_IDS),
        risks=expand("results/{wave}/countermeasures/risks.csv", wave=WAVE_IDS),
        table1=expand("results/{wave}/table1.csv", wave=WAVE_IDS),
        friedman=expand("results/{wave}/inference/friedman.csv", wave=WAVE_IDS),
        codebooks=[codebook_of(w) for w in WAVE_IDS],
    output:
        [
            report(f, caption="../report/snakemake/waves.rst", category="Across waves", subcategory="Tables")
            for f in expand("results/waves/{name}.csv", name=WAVE_COMPARISON)
        ],
        codebook="results/waves/codebook.yaml",
    params:
        codebooks=lambda wc, input: ",".join(input.codebooks),
        waves=",".join(WAVE_IDS),
        responses=lambda wc, input: ",".join(input.responses),
        risks=lambda wc, input: ",".join(input.risks),
        table1=lambda wc, input: ",".join(input.table1),
        friedman=lambda wc, input: ",".join(input.friedman),
        seed=config["inference"]["seed"],
        bootstrap=config["inference"]["priority_bootstrap"],
        panels=",".join(WAVES[w].get("panel", "") for w in WAVE_IDS),
    log:
        "results/logs/compare_waves.log",
    benchmark:
        "results/benchmarks/compare_waves.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.compare --waves {params.waves} --wave-responses {params.responses}"
            " --wave-risks {params.risks} --wave-table1 {params.table1} --wave-friedman {params.friedman}"
            " --wave-codebooks {params.codebooks} --bootstrap {params.bootstrap} --seed {params.seed}"
            " --panels '{params.panels}' --outdir results/waves --codebook {output.codebook} 2> {log}"
        )


rule trends:
    """Three or more waves: per option a Cochran-Armitage trend test with the odds ratio per year (per
    wave where a wave has no field date), per area the change in mean score (HC3), Holm across all;
    shares per wave."""
    priority: 42
    input:
        code=code("trends"),
        responses=expand("results/{wave}/responses.arrow", wave=WAVE_IDS),
        codebooks=[codebook_of(w) for w in WAVE_IDS],
    output:
        trends=report(
            "results/waves/trends.csv",
            caption="../report/snakemake/waves.rst",
            category="Across waves",
            subcategory="Tables",
        ),
        shares="results/waves/shares.csv",
    params:
        waves=",".join(WAVE_IDS),
        field_dates=",".join(str(WAVES[w].get("field_date", "")) for w in WAVE_IDS),
        responses=lambda wc, input: ",".join(input.responses),
        codebooks=lambda wc, input: ",".join(input.codebooks),
    log:
        "results/logs/trends.log",
    benchmark:
        "results/benchmarks/trends.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.trends --waves {params.waves} --wave-responses {params.responses}"
            " --wave-codebooks {params.codebooks} --field-dates {params.field_dates:q} --out {output.trends}"
            " --shares {output.shares} 2> {log}"
        )
