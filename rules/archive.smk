# The citable archive of a build: `make archive` (an explicit target, not part of the default build).
rule archive:
    """The build as a Workflow Run RO-Crate: sources, data, every results file and the paper,
    each with its SHA-256 and the job that made it; the configuration's values; the software."""
    input:
        code=code("archive"),
        sources=SOURCES,
        results=archived_results(),
        config="results/config.effective.json",
        notice=[f"results/reconstructed/{REC['wave']}/reconstruction.json"] if ARTICLE else [],
    output:
        f"results/archive/microstore-risk-{VERSION}.crate.zip",
    params:
        provenance="results/provenance",
    log:
        "results/logs/archive.log",
    benchmark:
        "results/benchmarks/archive.tsv"
    conda:
        "../envs/archive.yaml"
    shell:
        "python -m analysis.steps.archive --effective-config {input.config} --provenance {params.provenance}"
        " --notice '{input.notice}' --sources {input.sources:q} --results {input.results:q} --out {output} 2> {log}"
        " || {{ cat {log} >&2; exit 1; }}"
