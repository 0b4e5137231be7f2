"""The per-file time budget: long work checks in at safe points and gives up with a refusal."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from app.invoices.parsing.model import UnreadableFile


@dataclass(slots=True)
class Deadline:
    """A monotonic-clock deadline; `check()` raises once it has passed."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise UnreadableFile(f"reading the file took longer than {self.seconds:g} s")
