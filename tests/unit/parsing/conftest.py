"""Fixtures for the parsing tests: the shared synthetic samples beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

# In CI the repository is a fresh clone with `shared/` beside it, so look next to the repo root.
REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLES = REPO_ROOT.parent / "shared" / "samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    if not (SAMPLES / "railway_einvoice_SYNTHETIC.pdf").is_file():
        pytest.skip(f"shared samples not found at {SAMPLES}")
    return SAMPLES
