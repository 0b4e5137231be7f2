"""The installable product holds only the product: no fixture generator reaches the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_wheel_holds_the_app_and_no_fixture_generator(tmp_path: Path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("railclaim-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "app/invoices/parsing/__init__.py" in names
    # The API docs' own start-up scripts ship with the app (the bundles come from their package).
    assert "app/apidocs/static/swagger-init.js" in names
    assert "app/apidocs/static/redoc-nonce.js" in names
    leaked = [n for n in names if "synthetic" in n or "devkit" in n or n.startswith("tests/")]
    assert leaked == []
