# Statistics per wave and the reproduction of the article's printed numbers.


rule describe_ranking:
    """Table 1 (SPSS descriptives of the ranking scores) and the score distribution."""
    input:
        responses="results/{wave}/responses.csv",
        codebook=config["codebook"],
    output:
        table1="results/{wave}/table1.csv",
        distribution="results/{wave}/score_distribution.csv",
    log:
        "results/logs/describe_ranking/{wave}.log",
    benchmark:
        "results/benchmarks/describe_ranking/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli describe --responses {input.responses} --codebook {input.codebook}"
        " --table1 {output.table1} --distribution {output.distribution} 2> {log}"


rule multiple_response:
    """Sections 4.1-4.4: counts, percent of responses and percent of cases per option."""
    input:
        responses="results/{wave}/responses.csv",
        codebook=config["codebook"],
    output:
        "results/{wave}/multiple_response.csv",
    log:
        "results/logs/multiple_response/{wave}.log",
    benchmark:
        "results/benchmarks/multiple_response/{wave}.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli multiresponse --responses {input.responses} --codebook {input.codebook}"
        " --out {output} 2> {log}"


rule reproduce:
    """Published versus reproduced, one row per printed number of the article."""
    input:
        published=config["published"],
        codebook=config["codebook"],
        table1=f"results/{REC['wave']}/table1.csv",
        mr=f"results/{REC['wave']}/multiple_response.csv",
        flow=f"results/{REC['wave']}/flow.csv",
    output:
        "results/reproduction.csv",
    log:
        "results/logs/reproduce.log",
    benchmark:
        "results/benchmarks/reproduce.tsv"
    conda:
        "../envs/analysis.yaml"
    shell:
        "python -m analysis.cli reproduce --published {input.published} --codebook {input.codebook}"
        " --table1 {input.table1} --mr {input.mr} --flow {input.flow} --out {output} 2> {log}"
