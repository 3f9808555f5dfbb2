"""The rejects file: one JSON line per rejected record, with where it was, why, and its original text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from rdfpub.cli.checks import UsageError, open_for_writing
from rdfpub.pipeline.preparation import Outcome


class RejectsFile:
    """Describes the latest run alone: opened (and so emptied) before the run publishes anything, so
    that a path that cannot be written stops the run before it starts, and removed when the run
    rejected nothing, so that a file from an earlier run never stands beside a clean one."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self._stream: TextIO | None = None

    def open(self) -> "RejectsFile":
        self._stream = open_for_writing(self.path, "rejects file", "--rejects")
        return self

    def write(self, outcome: Outcome) -> None:
        entry = {
            "source": outcome.source,
            "position": outcome.position,
            "pmid": outcome.pmid,
            "reason": outcome.reason,
            "problems": [problem.__dict__ for problem in outcome.problems],
            "original": outcome.raw,
        }
        try:
            self._stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._stream.flush()
        except OSError as error:
            raise UsageError(f"cannot write the rejects file {self.path}: {error.strerror or error}; "
                             "free some space or choose another with --rejects") from None
        self.count += 1

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
            if self.count == 0:
                self.path.unlink(missing_ok=True)
