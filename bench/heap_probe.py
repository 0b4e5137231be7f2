"""Runs `railclaim` with tracemalloc on; each SIGUSR1 writes a heap snapshot (`bench.soak --heap`).

    RAILCLAIM_HEAP_DIR=/tmp/heap .venv/bin/python -m bench.heap_probe serve --port 8000

Snapshot n goes to `$RAILCLAIM_HEAP_DIR/<n>.snap` (zero-padded: 001.snap), written whole and
then renamed, so a reader that sees the file sees all of it. The dump runs on the server's event
loop thread and stalls it while it writes. `compare` prints what grew between two snapshots:
the Python allocations still alive, by allocation site, which RSS alone cannot tell apart from
the allocator keeping freed memory.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
import tracemalloc
from pathlib import Path
from types import FrameType

FRAMES = 8  # deep enough to reach the app code behind a library's allocation (see compare)
_NOISE = (
    tracemalloc.Filter(False, tracemalloc.__file__),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
    tracemalloc.Filter(False, "<unknown>"),
)


def snapshot_path(folder: Path, number: int) -> Path:
    return folder / f"{number:03d}.snap"


def main() -> None:
    folder = Path(os.environ["RAILCLAIM_HEAP_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    numbers = itertools.count(1)
    tracemalloc.start(FRAMES)

    def dump(_signal: int, _frame: FrameType | None) -> None:
        target = snapshot_path(folder, next(numbers))
        partial = target.with_suffix(".partial")
        tracemalloc.take_snapshot().dump(str(partial))
        partial.rename(target)

    signal.signal(signal.SIGUSR1, dump)
    from app.cli import main as railclaim

    sys.argv = ["railclaim", *sys.argv[1:]]
    railclaim()


def compare(first: Path, last: Path, top: int = 15) -> list[str]:
    """What grew from `first` to `last`: the total, then the allocation sites that grew most,
    each with the innermost app frame that led to it (where the app is not the allocator)."""
    before = tracemalloc.Snapshot.load(str(first)).filter_traces(_NOISE)
    after = tracemalloc.Snapshot.load(str(last)).filter_traces(_NOISE)
    total_before = sum(stat.size for stat in before.statistics("filename"))
    total_after = sum(stat.size for stat in after.statistics("filename"))
    lines = [
        f"traced Python memory: {total_before / 2**20:.1f} MiB → {total_after / 2**20:.1f} MiB "
        f"({(total_after - total_before) / 2**20:+.2f} MiB)",
        f"largest growth by allocation site ({first.name} → {last.name}):",
    ]
    for stat in after.compare_to(before, "traceback")[:top]:
        frames = list(stat.traceback)  # oldest first: the allocation is the last
        site = frames[-1]
        line = (
            f"  {stat.size_diff / 1024:+9.1f} KiB  {stat.count_diff:+7d} blocks  "
            f"{site.filename}:{site.lineno}"
        )
        app_frame = next((f for f in reversed(frames) if "/app/" in f.filename), None)
        if app_frame is not None and app_frame is not site:
            line += f"  (from {app_frame.filename}:{app_frame.lineno})"
        lines.append(line)
    return lines


if __name__ == "__main__":
    main()
