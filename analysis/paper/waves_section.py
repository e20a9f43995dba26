"""The section "Changes across waves" as Markdown: each wave's size and cleaning flow, revisions of the
questionnaire, changes between consecutive waves and the worths per wave."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.paper import apa
from analysis.paper.changes_section import options_changes, wave_means
from analysis.paper.labels import area_labels, area_names, option_labels, wave_labels
from analysis.paper.markup import text
from analysis.paper.results import Results
from analysis.paper.tables import lr_test, markdown_table
from analysis.rounding import fmt
from analysis.survey.mass_exclusion import WARN_SHARE
from analysis.wording import count_phrase, join


def wave_worths(R: Results) -> list[str]:
    """Plackett-Luce worths per wave with the likelihood-ratio test of the same worths in every
    wave (results/waves/wave_worths.csv), a sentence and a table."""
    t = R.csv("waves/wave_worths.csv", wave="", dtype={"group": str})
    if t.empty or t["p"].isna().all():
        return []
    names = area_names(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    r = t.dropna(subset=["p"]).iloc[0]
    stat = lr_test(R, t, "wave", "waves/wave_worths.csv", "")
    gone = [wn.get(w, w) for w in dict.fromkeys(t.loc[t["worth"].isna(), "group"])]
    verdict = (
        "the waves' priorities differ beyond chance"
        if r.p < 0.05
        else "no difference between the waves' priorities is detectable"
    )
    table = pd.DataFrame({"Area": [names[a] for a in dict.fromkeys(t["area"])]})
    for w in dict.fromkeys(t["group"]):
        g = t[t["group"] == w].set_index("area")
        table[wn.get(w, w)] = [
            f"{fmt(g.at[a, 'worth'], 3)} [{fmt(g.at[a, 'ci_low'], 3)}, {fmt(g.at[a, 'ci_high'], 3)}]"
            if pd.notna(g.at[a, "worth"])
            else "no finite estimate"
            for a in dict.fromkeys(t["area"])
        ]
    panel = (
        " The test treats the waves as independent samples; waves declared a panel share respondents, so its "
        "*p* value is only approximate."
        if any(w.get("panel") for w in R.config["waves"])
        else ""
    )
    none = (
        f" {join([text(x) for x in gone])} {'has' if len(gone) == 1 else 'have'} no finite worths (some areas "
        f"are ranked above all others by every respondent) and {'is' if len(gone) == 1 else 'are'} left out of the "
        "test."
        if gone
        else ""
    )
    return [
        f"A rank-ordered logit with the wave as covariate (Plackett-Luce worths per wave, @tbl-wave-worths) "
        f"tests whether one set of worths fits every wave: likelihood-ratio {stat}; {verdict}.{none}{panel}",
        "",
        markdown_table(table, ["left"] + ["right"] * (len(table.columns) - 1)),
        "",
        f": {R.caption('Plackett-Luce worths per wave (sum 1) with 95% intervals', 'wave_worths.csv', 'waves')}. "
        "{#tbl-wave-worths}",
        "",
    ]


def revisions(R: Results) -> list[str]:
    """What each wave with a ``revision`` changed in the questionnaire, and what the comparisons
    and trends leave out because not every wave asked it (:mod:`analysis.revision`)."""
    from analysis.revision import left_out

    wl = wave_labels(R)
    books = {w: R.codebook_of(w) for w in R.waves}
    out = [
        f"{wl[w]} asked a revised questionnaire: it {join(_revision_done(R, books[w]))}."
        for w in R.waves
        if books[w].revision
    ]
    if not out:
        return []
    gone = {w: x for w, x in left_out(books).items() if x}
    names = {
        f"{q}.{o}": lab
        for w in R.waves
        for (q, o), lab in books[w].options.set_index(["question", "option"])["label"].items()
    }
    said = [
        join(list(dict.fromkeys(text(names.get(x, "the ranking" if x.startswith("ranking.") else x)) for x in items)))
        + f" ({wl[w]})"
        for w, items in gone.items()
    ]
    out.append(
        "Comparisons and trends use what every wave asked"
        + (f", so they leave out {join(said)}." if said else "; nothing is left out.")
    )
    return [" ".join(out), ""]


def _revision_done(R: Results, book: Codebook) -> list[str]:
    """What one wave's revision did (its codebook ``book``), as phrases: options added, dropped,
    renamed and split, areas added and dropped (dropped items named as the project's codebook
    names them)."""
    rev = book.revision
    olab = book.options.set_index(["question", "option"])["label"]
    base = R.codebook.options.set_index(["question", "option"])["label"]
    qlab = R.codebook.question_labels
    base_areas = R.codebook.areas.set_index("area")["label"].to_dict()

    def opt(oid: str, labels=olab) -> str:
        q, o = oid.split(".", 1)
        return f"*{text(labels[(q, o)])}* ({text(qlab[q])})"

    done = []
    if rev.get("added_options"):
        done.append("added " + join([opt(f"{o['question']}.{o['id']}") for o in rev["added_options"]]))
    if rev.get("dropped_options"):
        done.append("dropped " + join([opt(o, base) for o in rev["dropped_options"]]))
    if rev.get("renamed_options"):
        done.append(
            "renamed " + join([f"{opt(o, base)} as *{text(lab)}*" for o, lab in rev["renamed_options"].items()])
        )
    if rev.get("split_options"):
        parts = [
            f"{opt(o, base)} into " + join([f"*{text(olab[(o.split('.')[0], x)])}*" for x in xs])
            for o, xs in rev["split_options"].items()
        ]
        done.append("split " + join(parts) + ", which comparisons read as one option (named when either part was)")
    if rev.get("added_areas") or rev.get("dropped_areas"):
        k = len(book.areas)
        added = join([f"*{text(a['label'])}*" for a in rev.get("added_areas", [])])
        dropped = join([f"*{text(base_areas[a])}*" for a in rev.get("dropped_areas", [])])
        done.append(
            f"ranked {count_phrase(k, 'area')} (scores {k} to 1)"
            + (f", adding {added}" if added else "")
            + (f", without {dropped}" if dropped else "")
        )
    return done


def waves_flow(R: Results) -> list[str]:
    """Every wave's cleaning flow as one table (step and reason by wave), after a sentence for
    each reason that excluded :data:`analysis.survey.mass_exclusion.WARN_SHARE` or more of a wave's
    questionnaires (the build warned of it too)."""
    steps, reasons = R.words["flow_steps"], R.words["exclusion_reasons"]
    wl = wave_labels(R)
    wn = {w["id"]: w.get("label", w["id"]) for w in R.config["waves"]}
    flows = {w: R.csv("flow.csv", w, na_values=[]) for w in R.waves}
    keys = list(dict.fromkeys((r.step, r.reason) for f in flows.values() for r in f.itertuples()))
    order = [
        "read",
        "excluded_questionnaire",
        "questionnaires_kept",
        "excluded_ranking",
        "valid_rankings",
        "partial_rankings",
        "attribute_not_coded",
    ]
    keys.sort(key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[1]))
    table = pd.DataFrame(
        {
            "Step": [steps.get(k[0], k[0].replace("_", " ")) for k in keys],
            "Reason": [reasons.get(k[1], k[1].replace("_", " ")) for k in keys],
        }
    )
    notes = []
    for w, f in flows.items():
        n = f.set_index(["step", "reason"])["n"]
        table[wn[w]] = [
            R.span(f"{int(n[k]):,}" if k in n.index else "0", "flow.csv", f"{k[0]}: {k[1]}".rstrip(": "), w)
            for k in keys
        ]
        read = int(n[("read", "")])
        for (step, reason), k in n.items():
            if step.startswith("excluded_") and read and k / read >= WARN_SHARE:
                what = "questionnaires" if step == "excluded_questionnaire" else "rankings"
                notes.append(
                    f"{wl[w]}: {R.span(f'{int(k):,} of {read:,}', 'flow.csv', f'{step}: {reason}', w)} "
                    f"{what} excluded as {text(reasons.get(reason, reason.replace('_', ' ')))} "
                    f"({fmt(100 * k / read, 0)}%)"
                )
    lead = (
        "One reason excluded a tenth or more of a wave's questionnaires: " + join(notes) + ". "
        if notes
        else "No reason excluded a tenth or more of any wave's questionnaires. "
    )
    return [
        lead + "@tbl-wave-flow shows how each wave's questionnaires became valid rankings.",
        "",
        markdown_table(table, ["left", "left"] + ["right"] * len(R.waves), markdown=tuple(wn[w] for w in R.waves)),
        "",
        ": From questionnaires to valid rankings, per wave. {#tbl-wave-flow}",
        "",
    ]


def waves_section(R: Results) -> str:
    """The section "Changes across waves" as Markdown (empty with a single wave)."""
    if len(R.waves) < 2:
        return ""
    waves = R.csv("waves/waves.csv", wave="", dtype={"wave": str})
    mr = R.csv("waves/mr_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    pr = R.csv("waves/priorities.csv", wave="", dtype={"wave": str})
    ranked = not waves.empty  # (every wave ranked the same areas)
    out = ["# Changes across waves {#sec-waves}", "", _waves_lead(R, ranked), ""]
    out += revisions(R)
    out += waves_flow(R)
    for (w1, w2), g in mr.groupby(["from_wave", "to_wave"], sort=False):
        out += _pair_changes(R, w1, w2, g, ranked)
    if ranked:
        out += wave_means(R, waves)
    out += wave_worths(R)
    out += options_changes(R, mr, pr)
    return "\n".join(out)


def _waves_lead(R: Results, ranked: bool) -> str:
    """The section's first sentence: each wave with its valid (and partial) rankings."""
    wl = wave_labels(R)
    sizes = []
    for w in R.waves:
        f = R.csv("flow.csv", w).set_index("step")["n"]
        partial = (
            f" and {R.span(str(int(f['partial_rankings'])), 'flow.csv', 'partial_rankings', w)} partial"
            if "partial_rankings" in f.index
            else ""
        )
        sizes.append(
            f"{wl[w]} ({R.span(str(int(f['valid_rankings'])), 'flow.csv', 'valid_rankings', w)} valid"
            f"{partial} rankings)"
        )
    return (
        f"The pipeline analysed {count_phrase(len(R.waves), 'wave')}: {join(sizes)}. Each wave is cleaned and "
        "analysed by its own jobs; "
        + join(
            (["@tbl-wave-means gives the mean scores"] if ranked else [])
            + ["@tbl-wave-options the options whose share changed", "@fig-trend the trend"]
        )
        + "."
    )


def _pair_changes(R: Results, w1: str, w2: str, g: pd.DataFrame, ranked: bool) -> list[str]:
    """The paragraph on one pair of consecutive waves: a panel's pairing, the options whose share
    changed (waves/mr_changes.csv rows ``g``), the whole questions (waves/mmi.csv) and the mean
    scores (waves/ranking_changes.csv)."""
    wl = wave_labels(R)
    qlab = {q["id"]: text(q["label"]) for q in R.codebook.question_items}
    out = []
    paired = "design" in g and (g["design"] == "paired").any()
    if paired:
        n_pairs = R.span(f"{int(g['n_pairs'].max()):,}", "waves/mr_changes.csv", "n_pairs", "")
        out.append(
            f"{wl[w1]} and {wl[w2]} are one panel: their respondent ids link the people who answered "
            f"both, and their changes are paired over them (up to {n_pairs} per question; McNemar tests "
            "for the options, paired *t*-tests for the areas); the bootstrap test of whole questions "
            "assumes independent waves and is not computed for them."
        )
    out.append(f"From {wl[w1]} to {wl[w2]}, " + _options_moved(R, g, qlab))
    mmi = R.csv("waves/mmi.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    m = mmi[(mmi["from_wave"] == w1) & (mmi["to_wave"] == w2)]
    mm = []
    for r in m.itertuples():
        stat = f"*X*²~S~ = {apa.num(r.x2_s)}, {apa.p(r.p_holm, 'p~Holm~')}"
        mm.append(f"{qlab[r.question]} ({R.span(stat, 'waves/mmi.csv', r.question, '')})")
    if mm:
        out.append(
            " Tests of multiple marginal independence with a bootstrap over respondents, which respect "
            f"that one respondent names several options, compare the whole questions: {join(mm)}."
        )
    if ranked:
        out.append(
            " Mean ranking scores changed for "
            + (join(_areas_moved(R, w1, w2)) or "no area")
            + (" (paired *t*-tests)." if paired else " (Welch tests).")
        )
    out.append("")
    return out


def _options_moved(R: Results, g: pd.DataFrame, qlab: dict[str, str]) -> str:
    """The options whose share changed beyond chance between two waves, largest first (at most three named)."""
    olab = option_labels(R)
    sig = g[g["p_holm"] < 0.05]
    largest = sig.reindex(sig["diff"].abs().sort_values(ascending=False, kind="stable").index).head(3)
    items = [
        f"*{olab[(r.question, r.option)]}*"
        + (f" in {qlab[r.question].lower()}" if r.option == "other" else "")
        + " ("
        + R.span(f"{apa.num(r.diff, 1)} points", "waves/mr_changes.csv", f"{r.question}.{r.option}: diff", "")
        + ")"
        for r in largest.itertuples()
    ]
    if not len(sig):
        return "no option's share changed beyond chance (Holm-adjusted across all options)."
    return (
        f"the share of respondents naming {count_phrase(len(sig), 'option')} changed beyond chance "
        f"(Holm-adjusted across all options; @tbl-wave-options gives intervals and *p* values), "
        + ("most of all " if len(sig) > len(items) else "")
        + f"{join(items)}."
    )


def _areas_moved(R: Results, w1: str, w2: str) -> list[str]:
    """The areas whose mean score changed beyond chance between two waves (waves/ranking_changes.csv)."""
    lab = area_labels(R)
    rk = R.csv("waves/ranking_changes.csv", wave="", dtype={"from_wave": str, "to_wave": str})
    r2 = rk[(rk["from_wave"] == w1) & (rk["to_wave"] == w2)]
    return [
        f"{lab[r.area]} ("
        + R.span(
            f"{apa.num(r.diff)}, {apa.ci(r.ci_low, r.ci_high)}, {apa.p(r.p_holm, 'p~Holm~')}",
            "waves/ranking_changes.csv",
            f"{r.area}: diff, ci, p_holm",
            "",
        )
        + ")"
        for r in r2.itertuples()
        if r.p_holm < 0.05
    ]
