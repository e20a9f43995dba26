"""The workflow as the Snakemake community checks it."""

import subprocess

from .conftest import BIN, ROOT, path_without_quarto


def test_snakemake_lint_is_clean():
    p = subprocess.run([str(BIN / "snakemake"), "--lint"], cwd=ROOT, capture_output=True, text=True,
                       env={"PATH": path_without_quarto(), "HOME": str(ROOT / ".snakemake")})
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert "Lints for" not in out and "Congratulations" in out, out
