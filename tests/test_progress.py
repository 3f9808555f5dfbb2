"""The progress display: a live line on a terminal, a log line a minute elsewhere, by the share of bytes read."""

import io
import re

from rdfpub.cli.progress import Progress


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _files(tmp_path, sizes):
    paths = []
    for index, size in enumerate(sizes):
        path = tmp_path / f"part-{index}.xml"
        path.write_bytes(b"x" * size)
        paths.append(path)
    return paths


def test_a_log_line_a_minute_when_not_on_a_terminal(tmp_path):
    clock, log = Clock(), io.StringIO()
    progress = Progress(log, clock=clock)
    files = _files(tmp_path, [3000, 1000])
    progress.begin(files)
    progress.open_file(0, files[0])
    progress.reading(lambda: 1500)
    progress.update(10, "published 10")  # the first one is written at once
    for second in range(1, 120):
        clock.now += 1
        progress.update(10 + second, "published many")
    lines = log.getvalue().splitlines()
    assert len(lines) == 2  # at the start, then a minute later
    assert "37.5% of 4.0 KB" in lines[0] and "file 1/2 part-0.xml" in lines[0] and "published 10" in lines[0]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d rdfpub: ", lines[1])
    assert "elapsed 0:01:00" in lines[1] and "ETA 0:01:40" in lines[1]  # 37.5% in 60 s: 100 s to go
    assert "\r" not in log.getvalue()


def test_one_live_line_on_a_terminal(tmp_path):
    clock, screen = Clock(), Terminal()
    progress = Progress(screen, clock=clock)
    files = _files(tmp_path, [1000, 1000])
    progress.begin(files)
    progress.open_file(1, files[1])
    progress.reading(lambda: 500)
    for _ in range(10):
        clock.now += 0.2
        progress.update(5, "")
    progress.close()
    drawn = screen.getvalue().split("\r\x1b[K")
    assert 4 <= len([part for part in drawn if part]) <= 6  # at most one redraw every half second
    assert "75.0% of 2.0 KB" in drawn[-2] and "file 2/2 part-1.xml" in drawn[-2] and "ETA" in drawn[-2]
    assert drawn[-1] == ""  # closing clears the line


def test_a_closed_file_counts_as_read(tmp_path):
    progress = Progress(io.StringIO(), clock=Clock())
    files = _files(tmp_path, [100])
    progress.begin(files)
    progress.open_file(0, files[0])

    def closed():
        raise ValueError("I/O operation on closed file")

    progress.reading(closed)
    assert progress.fraction() == 1.0


def test_quiet_writes_nothing(tmp_path):
    log = io.StringIO()
    progress = Progress(log, enabled=False, clock=Clock())
    progress.update(1, "")
    progress.close()
    assert log.getvalue() == ""
