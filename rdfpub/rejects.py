"""The rejects file: one JSON line per rejected record, with where it was, why, and its original text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from rdfpub.pipeline import Outcome


class RejectsFile:
    """Opened on the first rejection (a clean run leaves no file) and emptied at that point, so the
    file always describes the latest run alone."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self._stream: TextIO | None = None

    def write(self, outcome: Outcome) -> None:
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.path.open("w", encoding="utf-8")
        entry = {
            "source": outcome.source,
            "position": outcome.position,
            "pmid": outcome.pmid,
            "reason": outcome.reason,
            "problems": [problem.__dict__ for problem in outcome.problems],
            "original": outcome.raw,
        }
        self._stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._stream.flush()
        self.count += 1

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
