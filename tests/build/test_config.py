"""Configuration mistakes: one clear message each (file, line, key path, what is allowed),
checked before any job runs; JSON Schema stays the schema of record."""

import subprocess

from ..conftest import ROOT, SNAKEMAKE, path_without_quarto, tracked_copy

SCHEMA = str(ROOT / "schemas/config.schema.yaml")
TEXT = (ROOT / "config.yaml").read_text(encoding="utf-8")


WAVE_KEYS = (
    "a wave has id, path, format, encoding, simulate, label, field_date, panel, revision, acknowledge_exclusions, "
    "columns, preset, sheet, value_labels, header_rows, id_column, metadata, ignore, selections, "
    "selected_text, delimiter, options_as, not_answered, ranking, ranking_separator, areas_as, partial_rankings, recode"
)


def test_snakemake_stops_with_the_message_and_no_traceback(tmp_path):
    root = tracked_copy(tmp_path)
    (root / "config.yaml").write_text(TEXT.replace("seed: 2021\n", "seed: -1\n"), encoding="utf-8")
    p = subprocess.run(
        [str(SNAKEMAKE), "-n", "-c1"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": path_without_quarto(), "HOME": str(tmp_path)},
    )
    out = p.stdout + p.stderr
    assert p.returncode != 0 and "Traceback" not in out
    line = TEXT.splitlines().index("  seed: 2021") + 1
    assert f"error: config.yaml:{line}: sensitivity.seed: -1 is less than the minimum of 0" in out
