"""Result-file writing: atomic replacement, including after a killed write."""

import pandas as pd

from analysis.io import write_csv


def test_write_after_a_killed_write_leaves_no_partial_file(tmp_path):
    """A job killed mid-write leaves ``.<name>.partial``; the rerun's write replaces it."""
    target = tmp_path / "chunk-0.csv"
    (tmp_path / ".chunk-0.csv.partial").write_text("half a fi")
    write_csv(pd.DataFrame({"draw": [1, 2]}), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chunk-0.csv"]
    assert target.read_text() == "draw\n1\n2\n"


def test_figure_is_written_atomically_in_its_own_format(tmp_path):
    """Figures go through the same writer; the format comes from the target's suffix, not the partial file's."""
    import matplotlib.pyplot as plt

    from analysis.figures import save

    (tmp_path / ".f.png.partial").write_bytes(b"\x89PNG half")
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    save(fig, tmp_path / "f.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png"]
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
