"""Shared fixtures. Tests mirror the source tree; real SQLite files, not mocks."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LOKET_LANG"] = "id"
