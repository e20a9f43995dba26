# Figures and the Quarto paper (report/paper.qmd and its supplement report/supplement.qmd with the
# article's wave, else report/survey.qmd).

# figure name -> its input files (the order the figure function takes them)
from analysis.paper.figurespec import FIGURE_INPUTS as FIGURES, TREND_INPUTS


rule figures:
    """The seaborn figures of one wave, drawn in one job (one Python start-up with matplotlib and
    seaborn instead of one per figure; see FIGURES for each figure's inputs)."""
    priority: 44
    input:
        code=code("figures"),
        data=lambda wc: sorted({f.format(wave=wc.wave) for files in FIGURES.values() for f in files}),
        codebook=lambda wc: codebook_of(wc.wave),
    output:
        **{
            name: report(
                f"results/{{wave}}/figures/{name}.png",
                caption=f"../report/snakemake/figure-{name}.rst",
                category="Wave {wave}",
                subcategory="Figures",
                labels={"wave": "{wave}", "figure": name},
            )
            for name in FIGURES
        },
    params:
        # each figure: its name, image and input files (the order its drawing function takes them)
        figures=lambda wc, output: " ".join(
            f"--figure {n} {getattr(output, n)} {' '.join(f.format(wave=wc.wave) for f in FIGURES[n])}"
            for n in FIGURES
        ),
        # each figure's own inputs (with the codebook), for its provenance record
        reads=lambda wc, input, output: " ".join(
            f"{getattr(output, n)}={','.join([*(f.format(wave=wc.wave) for f in FIGURES[n]), input.codebook])}"
            for n in FIGURES
        ),
    log:
        "results/logs/figures/{wave}.log",
    benchmark:
        "results/benchmarks/figures/{wave}.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        step(
            "python -m analysis.steps.figures {params.figures} --codebook {input.codebook} 2> {log}",
            reads=True,
        )


rule figure_trend:
    """Mean scores and option shares across waves."""
    priority: 42
    input:
        code=code("figures"),
        data=TREND_INPUTS,
        codebook="results/waves/codebook.yaml",  # (what every wave asked)
        config="results/config.effective.json",
    output:
        report(
            "results/waves/figures/trend.png",
            caption="../report/snakemake/trend.rst",
            category="Across waves",
            subcategory="Figures",
            labels={"figure": "trend"},
        ),
    log:
        "results/logs/figure_trend.log",
    benchmark:
        "results/benchmarks/figure/trend.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        step(
            "python -m analysis.steps.figures --figure trend {output:q} {input.data:q}"
            " --codebook {input.codebook} --effective-config {input.config} 2> {log}"
        )


rule figure_trends:
    """Three or more waves: mean scores and option shares per wave, significant trends marked."""
    priority: 42
    input:
        code=code("figures"),
        data=["results/waves/shares.csv", "results/waves/trends.csv"],
        codebook="results/waves/codebook.yaml",  # (what every wave asked)
        config="results/config.effective.json",
    output:
        report(
            "results/waves/figures/trends.png",
            caption="../report/snakemake/trends.rst",
            category="Across waves",
            subcategory="Figures",
            labels={"figure": "trends"},
        ),
    log:
        "results/logs/figure_trends.log",
    benchmark:
        "results/benchmarks/figure/trends.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        step(
            "python -m analysis.steps.figures --figure trends {output:q} {input.data:q}"
            " --codebook {input.codebook} --effective-config {input.config} 2> {log}"
        )


PAPER_INPUTS = [
    *expand(
        "results/{wave}/{f}",
        wave=WAVE_IDS,
        f=[
            "table1.csv",
            "multiple_response.csv",
            "flow.csv",
            "exclusions.csv",
            "group_tests.csv",
            "group_worths.csv",
            *[f"inference/{n}.csv" for n in INFERENCE],
            *[f"countermeasures/{n}.csv" for n in COUNTERMEASURES],
            *[f"figures/{n}.png" for n in FIGURES],
        ],
    ),
    *(ARTICLE_INPUTS if ARTICLE else []),
]
if MULTI:
    PAPER_INPUTS += [*expand("results/waves/{name}.csv", name=WAVE_COMPARISON), "results/waves/figures/trend.png"]
if TREND:
    PAPER_INPUTS += ["results/waves/trends.csv", "results/waves/shares.csv", "results/waves/figures/trends.png"]
PAPER_INPUTS += expand("results/{wave}/breakdown.csv", wave=WAVE_IDS)
PAPER_INPUTS += expand(
    "results/{wave}/{f}", wave=WEIGHTED, f=["weighting.csv", *(f"design/{n}.csv" for n in DESIGN_TABLES)]
)
if MULTI and WEIGHTED:
    PAPER_INPUTS += ["results/waves/design_trends.csv"]
PAPER_INPUTS += ["results/about.json", "results/sources.sha256"]


rule about:
    """What the paper says of the software that made it: the version, licence, title and authors
    of the project, and the checksums of its sources with their one identifier (the SHA-256 of
    the list), which names the exact sources an unpacked archive of the build holds."""
    priority: 40
    input:
        code=code("about"),
        sources=SOURCES,
        pyproject="pyproject.toml",
        citation="CITATION.cff",
    output:
        checksums="results/sources.sha256",
        about="results/about.json",
    log:
        "results/logs/about.log",
    benchmark:
        "results/benchmarks/about.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        step(
            "python -m analysis.steps.about --pyproject {input.pyproject} --citation {input.citation}"
            " --checksums {output.checksums} --out {output.about} --sources {input.sources:q} 2> {log}"
        )


rule effective_config:
    """The configuration of this build (config.yaml plus any --configfile/--config) and the
    results files the paper reads (from the current DAG, for its provenance appendix). The
    configuration files are inputs, so that an edit reruns it even without Snakemake's metadata."""
    priority: 40
    input:
        configs=CONFIG_FILES,
        code="analysis/workflow/provenance.py",  # (the script records its provenance)
    output:
        config="results/config.effective.json",
        inputs="results/paper_inputs.json",
    params:
        config=config,
        inputs=sorted(PAPER_INPUTS),
    log:
        "results/logs/effective_config.log",
    benchmark:
        "results/benchmarks/effective_config.tsv"
    conda:
        "../envs/analysis.yaml"
    script:
        "scripts/effective_config.py"


rule render:
    """One document (the paper, or the article's supplement) in HTML and PDF: `quarto render`
    when on PATH, else the built-in renderer. The paper and its supplement render side by side."""
    input:
        code=lambda wc: code("render", *document_modules(Path(f"report/{wc.document}.qmd"))),
        qmd="report/{document}.qmd",  # (analysis/workflow/document.py)
        meta=[
            "report/_quarto.yml",
            "report/references.bib",
            "report/style.css",
            "report/provenance.html",
            "report/builtin.css",
            "report/builtin-template.html",
            "report/typst-header.typ",
            "report/typst-text.lua",
            "report/words.yaml",
            "report/captions.yaml",
            "report/apa.csl",
            *sorted(str(p) for p in Path("report/templates").glob("*.j2")),
        ],
        config="results/config.effective.json",
        paper_inputs="results/paper_inputs.json",
        results=PAPER_INPUTS,
    output:
        html="report/_output/{document}.html",
        pdf="report/_output/{document}.pdf",
    params:
        engine=config["report"].get("engine", "auto"),
    log:
        "results/logs/render/{document}.log",
    benchmark:
        "results/benchmarks/render/{document}.tsv"
    conda:
        "../envs/report.yaml"
    shell:
        step(
            "python -m analysis.steps.render --qmd {input.qmd} --outdir report/_output --engine {params.engine}"
            " --effective-config {input.config}"
            " > {log} 2>&1 || {{ tail -n 40 {log} >&2; exit 1; }}"
        )
