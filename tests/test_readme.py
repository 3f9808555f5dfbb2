"""The README stays true: every setting and command documented, the CI script runs its test command."""

import re
from dataclasses import fields
from pathlib import Path

from rdfpub.cli.main import COMMANDS
from rdfpub.settings import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for field in fields(Settings):
        assert f"`{ENV_PREFIX}{field.name.upper()}`" in README, field.name


def test_every_command_is_documented():
    for command in COMMANDS:
        assert f"`rdfpub {command}" in README, command


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    test_command = next(line for block in blocks for line in block.splitlines() if "pytest" in line)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
