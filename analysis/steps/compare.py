"""Step of rule ``compare_waves``: changes between consecutive waves (:mod:`analysis.stats.compare`):
percent of cases per option (Newcombe), multiple marginal independence per question
(bootstrap), mean scores per area (Welch), priorities, and each wave's Table 1 with its
Friedman test, and the Plackett-Luce worths per wave with the likelihood-ratio test of the same
worths in every wave (:mod:`analysis.stats.rank_logit`). Each wave's files are given in wave order."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import io
from analysis.codebook import Codebook
from analysis.revision import common
from analysis.stats import compare as cp
from analysis.stats.rank_logit import by_covariate
from analysis.steps import SEED, per_wave, read_asked_by_all, read_ids, run_step, step_parser
from analysis.survey.clean import valid_rankings

PARSER = step_parser(
    "compare",
    __doc__,
    waves="comma-separated wave ids, in field order",
    wave_responses="comma-separated cleaned responses of the waves (responses.csv or its Arrow twin "
    "responses.arrow), in the order of --waves",
    wave_risks="comma-separated countermeasures/risks.csv of the waves, in the order of --waves",
    wave_table1="comma-separated table1.csv of the waves, in the order of --waves",
    wave_friedman="comma-separated inference/friedman.csv of the waves, in the order of --waves",
    wave_codebooks="comma-separated codebooks of the waves (each wave's own, rule wave_codebook, or the project's), "
    "in the order of --waves",
    panels=(
        "comma-separated panel names of the waves, in the order of --waves (empty where a wave is no panel's); "
        "consecutive waves of one panel are compared paired over the respondents they share by id; default none",
        "",
    ),
    bootstrap="bootstrap resamples (integer)",
    seed=SEED,
    outdir="output directory",
    codebook="output YAML: what every wave asked (analysis.revision.common), which the comparisons use",
)


MMI_COLUMNS = ["from_wave", "to_wave", "question", "x2_s", "p_boot", "p_bonferroni", "df_each", "n_boot", "p_holm"]


def run(a) -> None:
    waves = a.waves.split(",")
    books = [io.read_codebook(b) for b in per_wave(a.wave_codebooks, waves)]
    book = common(books)
    io.write_codebook(book, a.codebook)

    def tables(files: str) -> dict:
        return {w: io.read_csv(p) for w, p in zip(waves, per_wave(files, waves))}

    # what every wave asked, read from each wave's responses
    paths = dict(zip(waves, per_wave(a.wave_responses, waves)))
    resp = dict(zip(waves, read_asked_by_all(list(paths.values()), books, book)))
    rankings = {w: valid_rankings(r, book) for w, r in resp.items()}
    mr, mmi, rk = changes(a, waves, paths, resp, rankings, book)
    out = Path(a.outdir)
    io.write_csv(pd.concat(mr, ignore_index=True), out / "mr_changes.csv")
    io.write_csv(pd.concat(mmi, ignore_index=True) if mmi else pd.DataFrame(columns=MMI_COLUMNS), out / "mmi.csv")
    io.write_csv(pd.concat(rk, ignore_index=True), out / "ranking_changes.csv")
    io.write_csv(cp.priority_changes(tables(a.wave_risks)), out / "priorities.csv")
    areas = book.areas  # the areas every wave ranked (none when the rankings differ)
    t1s, frs = tables(a.wave_table1), tables(a.wave_friedman)
    summary = [
        t1s[w][t1s[w]["area"].isin(areas["area"])].assign(
            wave=w,
            friedman_chi2=frs[w].iloc[0]["chi2"],
            friedman_p=frs[w].iloc[0]["p"],
            kendall_w=frs[w].iloc[0]["kendall_w"],
        )
        for w in waves
    ]
    io.write_csv(pd.concat(summary, ignore_index=True), out / "waves.csv")
    io.write_csv(
        by_covariate(
            np.concatenate([r[areas["column"]].to_numpy(float) for r in rankings.values()]),
            pd.Series(np.repeat(waves, [len(r) for r in rankings.values()])),
            "wave",
            areas["area"].tolist(),
        ),
        out / "wave_worths.csv",
    )


def changes(a, waves: list[str], paths: dict, resp: dict, rankings: dict, book: Codebook) -> tuple[list, list, list]:
    """The changes between consecutive waves: options, whole questions (independent waves only)
    and mean scores; paired over the linked respondents where two waves are one panel."""
    panels = a.panels.split(",") if a.panels else [""] * len(waves)
    mr, mmi, rk = [], [], []
    for i, (w1, w2) in enumerate(zip(waves, waves[1:])):
        if panels[i] and panels[i] == panels[i + 1]:
            before, after = linked(
                resp[w1], resp[w2], read_ids(paths[w1], book.id_column), read_ids(paths[w2], book.id_column)
            )
            mr.append(cp.paired_mr_changes(before, after, book, (w1, w2)).assign(design="paired"))
            both = before["ranking_valid"].to_numpy(bool) & after["ranking_valid"].to_numpy(bool)
            rk.append(
                cp.paired_ranking_changes(
                    valid_rankings(before[both], book), valid_rankings(after[both], book), book, (w1, w2)
                ).assign(design="paired")
            )
            continue  # (the bootstrap of marginal independence assumes independent waves)
        mr.append(cp.mr_changes(resp[w1], resp[w2], book, (w1, w2)).assign(design="independent"))
        mmi.append(cp.mmi_by_question(resp[w1], resp[w2], book, (w1, w2), int(a.bootstrap), int(a.seed) + i))
        rk.append(cp.ranking_changes(rankings[w1], rankings[w2], book, (w1, w2)).assign(design="independent"))
    return mr, mmi, rk


def linked(before: pd.DataFrame, after: pd.DataFrame, ids_before: pd.Series, ids_after: pd.Series):
    """The rows of two panel waves' responses whose respondent id is in both, aligned (the first
    wave's order)."""
    pos = pd.Series(range(len(ids_after)), index=ids_after.to_numpy())
    shared = ids_before.isin(pos.index).to_numpy()
    return (
        before[shared].reset_index(drop=True),
        after.iloc[pos.loc[ids_before[shared].to_numpy()].to_numpy()].reset_index(drop=True),
    )


def main(argv: list[str] | None = None) -> int:
    return run_step(PARSER, run, argv)


if __name__ == "__main__":
    sys.exit(main())
