# The article's wave (config: reconstruction): its reconstruction from the printed numbers, the
# reproduction, audit and identification of those numbers, the reconstruction draws and their
# figures. Included only when the configuration has a `reconstruction:` section; a build of a
# user's own survey has none of these rules.

from analysis.paper.figurespec import IDENTIFIED_INPUTS, PRIORITY_RANGE_INPUTS, SENSITIVITY_INPUTS

SENS = config["sensitivity"]
# what the paper about the article reads of the article's own results (rule render)
ARTICLE_INPUTS = [
    "results/reproduction.csv",
    "results/audit.csv",
    "results/identification.csv",
    "results/pairwise.csv",
    "results/priorities.csv",
    "results/classification.csv",
    "results/reconstructed/check.json",
    "results/sensitivity/summary.csv",
    "results/sensitivity/conclusions.csv",
    "results/figures/sensitivity.png",
    "results/figures/identified_cases.png",
    "results/figures/priority_ranges.png",
]


rule reconstruct_raw:
    """Reconstructed questionnaires that reproduce every printed aggregate (never the original data)."""
    priority: 40
    input:
        code=code("reconstruct"),
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
        step(
            "python -m analysis.steps.reconstruct --published {input.published} --codebook {input.codebook}"
            " --seed {params.seed} --invalid {params.invalid} --out {output.raw} --info {output.info} 2> {log}"
        )


rule check_reconstruction:
    """Whether the committed raw file is byte-identical to a fresh reconstruction."""
    priority: 40
    input:
        code=code("check_reconstruction"),
        fresh=f"results/reconstructed/{REC['wave']}/responses.csv",
        committed=WAVES[REC["wave"]]["path"],
    output:
        "results/reconstructed/check.json",
    params:
        wave=REC["wave"],
    log:
        "results/logs/check_reconstruction.log",
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.check_reconstruction --fresh {input.fresh} --committed {input.committed}"
            " --wave-id {params.wave} --out {output} 2> {log} || {{ cat {log} >&2; exit 1; }}"
        )


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


rule reproduce:
    """Published versus reproduced, one row per printed number of the article."""
    priority: 40
    input:
        code=code("reproduce"),
        published=config["published"],
        codebook=config["codebook"],
        table1=f"results/{REC['wave']}/table1.csv",
        mr=f"results/{REC['wave']}/multiple_response.csv",
        flow=f"results/{REC['wave']}/flow.csv",
    output:
        report(
            "results/reproduction.csv",
            caption="../report/snakemake/reproduction.rst",
            category="Article",
            subcategory="Reproduction",
            labels={"table": "reproduction"},
        ),
    log:
        "results/logs/reproduce.log",
    benchmark:
        "results/benchmarks/reproduce.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.reproduce --published {input.published} --codebook {input.codebook}"
            " --table1 {input.table1} --mr {input.mr} --flow {input.flow} --out {output} 2> {log}"
        )


rule audit:
    """Consistency audit of every printed number (GRIM, GRIMMER, identities, attainability)."""
    priority: 40
    input:
        code=code("audit"),
        published=config["published"],
        codebook=config["codebook"],
    output:
        report(
            "results/audit.csv",
            caption="../report/snakemake/audit.rst",
            category="Article",
            subcategory="Audit",
            labels={"table": "audit"},
        ),
    log:
        "results/logs/audit.log",
    benchmark:
        "results/benchmarks/audit.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.audit --published {input.published} --codebook {input.codebook} --out {output} 2> {log}"
        )


rule identify:
    """Exact bounds of what the article's printed numbers leave open: rank totals, first choices,
    pairwise preferences, totals of responses and percent of cases (integer programs and
    enumeration, not draws); the pairwise sign tests over those bounds; the ranges of the
    countermeasure priorities."""
    priority: 40
    input:
        code=code("identify"),
        published=config["published"],
        codebook=config["codebook"],
        countermeasures=config["countermeasures"],
    output:
        bounds="results/identification.csv",
        pairwise="results/pairwise.csv",
        priorities="results/priorities.csv",
        classification="results/classification.csv",
    log:
        "results/logs/identify.log",
    benchmark:
        "results/benchmarks/identify.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.identify --published {input.published} --codebook {input.codebook}"
            " --countermeasures {input.countermeasures} --out {output.bounds} --pairwise {output.pairwise}"
            " --priorities {output.priorities} --classification {output.classification} 2> {log}"
        )


rule sensitivity_chunk:
    """One share of the reconstruction draws (draw d goes to chunk d mod chunks)."""
    priority: 45
    input:
        code=code("sensitivity_chunk"),
        published=config["published"],
        codebook=config["codebook"],
    output:
        stats="results/sensitivity/chunk-{chunk}.csv",
        design="results/sensitivity/design-{chunk}.csv",
    params:
        **SENS,
    resources:
        mem_mb=2000,
        runtime=30,
    log:
        "results/logs/sensitivity_chunk/chunk-{chunk}.log",
    benchmark:
        "results/benchmarks/sensitivity/chunk-{chunk}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.sensitivity_chunk --published {input.published} --codebook {input.codebook}"
            " --chunk {wildcards.chunk} --chunks {params.chunks} --draws {params.draws} --seed {params.seed}"
            " --bootstrap {params.bootstrap} --out {output.stats} --design {output.design} 2> {log}"
        )


rule sensitivity_summary:
    """min / median / max of every statistic across draws and the share of draws each conclusion holds in."""
    priority: 44
    input:
        code=code("sensitivity_summary"),
        chunks=expand("results/sensitivity/chunk-{chunk}.csv", chunk=range(SENS["chunks"])),
        designs=expand("results/sensitivity/design-{chunk}.csv", chunk=range(SENS["chunks"])),
        codebook=config["codebook"],
    output:
        summary="results/sensitivity/summary.csv",
        conclusions="results/sensitivity/conclusions.csv",
        coverage="results/sensitivity/coverage.csv",
    params:
        chunks=lambda wc, input: ",".join(input.chunks),
        designs=lambda wc, input: ",".join(input.designs),
    log:
        "results/logs/sensitivity_summary.log",
    benchmark:
        "results/benchmarks/sensitivity/summary.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.sensitivity_summary --chunks {params.chunks} --codebook {input.codebook}"
            " --designs {params.designs} --summary {output.summary} --conclusions {output.conclusions}"
            " --coverage {output.coverage} 2> {log}"
        )


rule figure_identified:
    """Percent of cases of every option: exact range, 95% interval for the range, central reconstruction."""
    priority: 44
    input:
        code=code("figures"),
        data=[f.format(wave=REC["wave"]) for f in IDENTIFIED_INPUTS],
        codebook=config["codebook"],
    output:
        report(
            "results/figures/identified_cases.png",
            caption="../report/snakemake/identified_cases.rst",
            category="Article",
            subcategory="Identification",
            labels={"figure": "identified_cases"},
        ),
    log:
        "results/logs/figure_identified.log",
    benchmark:
        "results/benchmarks/figure/identified_cases.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        step(
            "python -m analysis.steps.figures --figure identified_cases {output:q} {input.data:q}"
            " --codebook {input.codebook} 2> {log}"
        )


rule figure_priority_ranges:
    """Risk priorities and countermeasure scores: exact ranges with the reconstruction's value."""
    priority: 44
    input:
        code=code("figures"),
        data=[f.format(wave=REC["wave"]) for f in PRIORITY_RANGE_INPUTS],
        codebook=config["codebook"],
    output:
        report(
            "results/figures/priority_ranges.png",
            caption="../report/snakemake/priority_ranges.rst",
            category="Article",
            subcategory="Identification",
            labels={"figure": "priority_ranges"},
        ),
    log:
        "results/logs/figure_priority_ranges.log",
    benchmark:
        "results/benchmarks/figure/priority_ranges.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        step(
            "python -m analysis.steps.figures --figure priority_ranges {output:q} {input.data:q}"
            " --codebook {input.codebook} 2> {log}"
        )


rule figure_sensitivity:
    """Holm-adjusted Wilcoxon p-values across all reconstruction draws."""
    priority: 44
    input:
        code=code("figures"),
        data=expand(SENSITIVITY_INPUTS, chunk=range(SENS["chunks"])),
        codebook=config["codebook"],
    output:
        report(
            "results/figures/sensitivity.png",
            caption="../report/snakemake/sensitivity.rst",
            category="Article",
            subcategory="Sensitivity",
            labels={"figure": "sensitivity"},
        ),
    log:
        "results/logs/figure_sensitivity.log",
    benchmark:
        "results/benchmarks/figure/sensitivity.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        step(
            "python -m analysis.steps.figures --figure sensitivity {output:q} {input.data:q}"
            " --codebook {input.codebook} 2> {log}"
        )
