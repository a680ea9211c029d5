"""The hub-ready folders shipped in `models/` carry the package's current code: re-export them after a code change."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "modeling_pal"
SHIPPED = sorted(p for p in (ROOT / "models").glob("*") if (p / "config.json").is_file())


@pytest.mark.skipif(not SHIPPED, reason="no model folder is shipped in models/")
@pytest.mark.parametrize("folder", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_code_files_equal_the_package_source(folder):
    code_files = sorted(folder.glob("*.py"))
    assert code_files, f"{folder} carries no code files"
    stale = [p.name for p in code_files if p.read_text() != (PACKAGE / p.name).read_text()]
    assert not stale, f"{folder.name}: {stale} differ from modeling_pal/; re-export the folder (see README)"


@pytest.mark.skipif(not SHIPPED, reason="no model folder is shipped in models/")
@pytest.mark.parametrize("folder", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_weights_fit_the_size_limit(folder):
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size <= 60 * 1024 * 1024, f"{folder.name} is {size / 2**20:.1f} MiB"
