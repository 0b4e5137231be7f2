"""The parsing core stays pure: it imports only the stdlib, pypdf, defusedxml and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PARSING = Path(__file__).resolve().parents[2] / "app" / "invoices" / "parsing"
ALLOWED_THIRD_PARTY = {"pypdf", "defusedxml"}
ALLOWED_APP = ("app.invoices.parsing",)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_parsing_imports_nothing_impure():
    offenders = []
    for path in PARSING.rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY:
                continue
            if name.startswith(ALLOWED_APP):
                continue
            offenders.append(f"{path.name}: {name}")
    assert offenders == []
