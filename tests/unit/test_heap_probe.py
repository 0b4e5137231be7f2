"""The soak's heap comparison names the line whose allocations stayed alive."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from bench.heap_probe import compare, snapshot_path


def test_compare_names_the_line_that_kept_memory(tmp_path: Path):
    kept: list[bytes] = []
    tracemalloc.start(1)
    try:
        tracemalloc.take_snapshot().dump(str(snapshot_path(tmp_path, 1)))
        kept.extend(b"x" * 1000 + bytes([i % 256]) for i in range(2000))  # about 2 MiB
        tracemalloc.take_snapshot().dump(str(snapshot_path(tmp_path, 2)))
    finally:
        tracemalloc.stop()

    report = compare(snapshot_path(tmp_path, 1), snapshot_path(tmp_path, 2), top=3)

    assert report[0].startswith("traced Python memory:")
    growth = float(report[0].split("(")[1].split(" MiB")[0])
    assert growth > 1.5
    assert "test_heap_probe.py" in report[2]
    assert len(kept) == 2000
