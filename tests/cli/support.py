"""Running the command line as a user would, in-process."""

from __future__ import annotations

import pytest

from loket.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
