"""Synthetic survey waves from the codebook, for demos, tests and benchmarks.

Multiple response: each respondent selects option ``j`` of a question independently with
probability ``p_j`` (the true percent of cases / 100). Ranking: Plackett-Luce with the
given worths, sampled exactly by the Gumbel-max trick (the ordering of
``log w + Gumbel noise`` is a Plackett-Luce draw; Yellott 1977). Optional attributes are
drawn uniformly from their allowed values. An optional sampling design adds a stratum, a
cluster (PSU) and a design weight to each questionnaire: strata of equal expected size, clusters
drawn uniformly within a stratum, and log-normal weights whose level differs by stratum (the
columns a panel provider delivers). Seeded and vectorised: a million respondents
take about a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import Codebook


def simulate(
    codebook: Codebook,
    n: int,
    seed: int,
    shares: dict[str, float] | None = None,
    worths: dict[str, float] | None = None,
    id_start: int = 1,
    attributes: bool = False,
    invalid_share: float = 0.0,
    compact: bool = False,
    id_prefix: str = "",
    design: dict | None = None,
) -> pd.DataFrame:
    """A raw wave of ``n`` questionnaires (strings, codebook column order).

    ``compact``: the cells as categoricals of the same strings (one byte a cell instead of a
    string object), which :func:`analysis.io.write_csv` writes to the same bytes.

    ``shares`` maps ``question.option`` to the probability of selecting it (default 0.3);
    ``worths`` maps area to its Plackett-Luce worth (default equal). ``invalid_share`` of
    the rankings get a tie, to exercise cleaning. Respondent ids are ``id_prefix`` followed by
    the numbers from ``id_start`` (platforms write text ids such as ``R_...``). ``design``
    (``strata``, ``clusters`` per stratum, ``weight_cv``) adds the columns ``stratum``, ``psu``
    and ``weight`` (:func:`design_columns`).
    """
    rng = np.random.default_rng(seed)
    opts, ar = codebook.options, codebook.areas
    shares = shares or {}
    p = np.array([shares.get(f"{q}.{o}", 0.3) for q, o in zip(opts["question"], opts["option"])])
    sel = (rng.random((n, len(opts))) < p).astype(np.int8)

    def cells(codes, values):  # strings values[codes], or their categorical
        values = np.asarray(values, dtype=object)
        return pd.Categorical.from_codes(codes, categories=values) if compact else values[codes]

    ids = np.char.add(id_prefix, np.arange(id_start, id_start + n).astype(str))
    out = {codebook.id_column: pd.array(ids, dtype="str") if compact else ids}
    for j, c in enumerate(opts["column"]):
        out[c] = cells(sel[:, j], ["0", "1"]) if compact else np.where(sel[:, j] == 1, "1", "0")
    w = np.array([(worths or {}).get(a, 1.0) for a in ar["area"]], dtype=float)
    keys = np.log(w / w.sum()) + rng.gumbel(size=(n, len(ar)))
    order = np.argsort(-keys, axis=1)
    scores = np.empty_like(order)
    ranks = np.array(sorted(codebook.scores, reverse=True))
    np.put_along_axis(scores, order, ranks[None, :].repeat(n, axis=0), axis=1)
    if invalid_share > 0:
        bad = rng.random(n) < invalid_share
        scores[bad, 1] = scores[bad, 0]
    for j, c in enumerate(ar["column"]):
        out[c] = (
            cells(np.searchsorted(np.sort(ranks), scores[:, j]), [str(v) for v in np.sort(ranks)])
            if compact
            else scores[:, j].astype(str)
        )
    if attributes:
        for a in codebook.attributes.itertuples():
            out[a.column] = cells(rng.integers(0, len(a.values), n), a.values)
    if design:
        out.update(design_columns(rng, n, **design))
    return pd.DataFrame(out)


def design_columns(rng: np.random.Generator, n: int, strata: int, clusters: int, weight_cv: float = 0.5) -> dict:
    """A stratified cluster design for ``n`` questionnaires: stratum ``S<h>`` uniform over
    ``strata``, cluster ``S<h>-C<c>`` uniform over ``clusters`` per stratum, and a weight
    ``exp(N(0, s)) * (1 + h / strata)`` with ``s`` the log-normal sigma of coefficient of
    variation ``weight_cv``, written with four decimals (text, as exports write numbers)."""
    h = rng.integers(0, strata, n)
    c = rng.integers(0, clusters, n)
    sigma = np.sqrt(np.log1p(weight_cv**2))
    w = np.exp(rng.normal(0.0, sigma, n)) * (1.0 + h / strata)
    width = len(str(clusters))
    return {
        "stratum": np.char.add("S", (h + 1).astype(str)),
        "psu": np.char.add(
            np.char.add(np.char.add("S", (h + 1).astype(str)), "-C"), np.char.zfill((c + 1).astype(str), width)
        ),
        "weight": np.char.mod("%.4f", w),
    }
