"""Synthetic survey waves from the codebook, for demos, tests and benchmarks.

Multiple response: each respondent selects option ``j`` of a question independently with
probability ``p_j`` (the true percent of cases / 100). Ranking: Plackett-Luce with the
given worths, sampled exactly by the Gumbel-max trick (the ordering of
``log w + Gumbel noise`` is a Plackett-Luce draw; Yellott 1977). Optional attributes are
drawn uniformly from their allowed values. Seeded and vectorised: a million respondents
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
) -> pd.DataFrame:
    """A raw wave of ``n`` questionnaires (strings, codebook column order).

    ``compact``: the cells as categoricals of the same strings (one byte a cell instead of a
    string object), which :func:`analysis.io.write_csv` writes to the same bytes.

    ``shares`` maps ``question.option`` to the probability of selecting it (default 0.3);
    ``worths`` maps area to its Plackett-Luce worth (default equal). ``invalid_share`` of
    the rankings get a tie, to exercise cleaning. Respondent ids are ``id_prefix`` followed by
    the numbers from ``id_start`` (platforms write text ids such as ``R_...``).
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
    return pd.DataFrame(out)
