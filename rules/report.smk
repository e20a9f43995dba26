# Figures and the Quarto paper.


rule figure_ranking:
    """Score distribution per ranking area (seaborn)."""
    input:
        distribution="results/{wave}/score_distribution.csv",
        codebook=config["codebook"],
    output:
        "results/{wave}/figures/ranking_distribution.png",
    log:
        "results/logs/figure_ranking/{wave}.log",
    benchmark:
        "results/benchmarks/figure_ranking/{wave}.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        "python -m analysis.cli figure-ranking --distribution {input.distribution}"
        " --codebook {input.codebook} --out {output} 2> {log}"


rule render:
    """The paper in HTML and PDF: `quarto render` when on PATH, else the built-in renderer."""
    input:
        qmd="report/paper.qmd",
        meta=["report/_quarto.yml", "report/references.bib", "report/style.css"],
        config="config.yaml",
        results=expand(
            "results/{wave}/{f}",
            wave=list(WAVES),
            f=["table1.csv", "multiple_response.csv", "flow.csv", "exclusions.csv",
               "figures/ranking_distribution.png"],
        ),
        reproduction="results/reproduction.csv",
        check="results/reconstructed/check.json",
    output:
        html="report/_output/paper.html",
        pdf="report/_output/paper.pdf",
    params:
        engine=config["report"].get("engine", "auto"),
    log:
        "results/logs/render.log",
    benchmark:
        "results/benchmarks/render.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        "python -m analysis.cli render --qmd {input.qmd} --outdir report/_output --engine {params.engine}"
        " > {log} 2>&1 || {{ tail -n 40 {log} >&2; exit 1; }}"
