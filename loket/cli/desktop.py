"""Starting the desktop app from the `loket` command.

The core never imports Qt, so the desktop registers itself as the entry point
``loket.frontends:desktop`` (see ``pyproject.toml``) and the command line looks
it up by name: the dependency still points from ``ui`` to ``loket``, never back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

FRONTENDS = "loket.frontends"
DESKTOP = "desktop"


class DesktopMissing(RuntimeError):
    """The desktop front end is not installed with this copy of Loket."""


def find_desktop() -> Callable[[Sequence[str]], int]:
    """The desktop's ``run(argv) -> exit code``, or :class:`DesktopMissing`."""
    for entry in entry_points(group=FRONTENDS, name=DESKTOP):
        run: Callable[[Sequence[str]], int] = entry.load()
        return run
    raise DesktopMissing(DESKTOP)
