"""An intake in progress, kept as a draft so typed data survives a crash or a closed window.

A draft is what the clerk has typed so far (the form's values, ticked requirements,
the page reached), one per user and station, written to a JSON file in the data
folder rather than the database: a draft must still be saved when the database is
locked or full, and it is never shared between PCs. Each save replaces the file
atomically (write, fsync, rename), so a crash mid-save leaves the previous draft.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from loket.domain.i18n import _
from loket.services.errors import InvalidInput

SCHEMA = 1
MAX_VALUES = 500
MAX_VALUE = 2_000
MAX_KEY = 100
MAX_FILE = 1_000_000  # a draft file larger than this is not one Loket wrote
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True)
class Draft:
    """The typed state of one intake: plain strings, so any form can store itself."""

    sop_number: int
    values: Mapping[str, str] = field(default_factory=dict)
    checks: frozenset[str] = frozenset()
    page: int = 0
    saved_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "sop_number": self.sop_number,
            "values": dict(self.values),
            "checks": sorted(self.checks),
            "page": self.page,
            "saved_at": self.saved_at.isoformat() if self.saved_at else None,
        }

    @classmethod
    def from_json(cls, data: Any) -> Draft | None:
        """The draft, or None for anything that is not a draft of this schema."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            return None
        values, checks = data.get("values"), data.get("checks")
        number, page, saved = data.get("sop_number"), data.get("page", 0), data.get("saved_at")
        if not isinstance(number, int) or not isinstance(page, int):
            return None
        if not isinstance(values, dict) or not isinstance(checks, list):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
            return None
        if not all(isinstance(c, str) for c in checks):
            return None
        try:
            saved_at = datetime.fromisoformat(saved) if isinstance(saved, str) else None
        except ValueError:
            saved_at = None
        return cls(number, dict(values), frozenset(checks), page, saved_at)


def _check(draft: Draft) -> None:
    """Refuse what no form produces, so a draft file stays small and readable."""
    if len(draft.values) > MAX_VALUES or len(draft.checks) > MAX_VALUES:
        raise InvalidInput(_("Draf terlalu besar untuk disimpan."))
    for key, value in draft.values.items():
        if len(key) > MAX_KEY or len(value) > MAX_VALUE:
            raise InvalidInput(
                _("Isian draf '{key}' terlalu panjang untuk disimpan.").format(key=key[:MAX_KEY])
            )


class DraftService:
    """Drafts of intakes in progress, one per user, in ``folder``."""

    def __init__(self, folder: Path, clock: Callable[[], datetime]) -> None:
        self._folder = folder
        self._clock = clock

    def _path(self, user_id: str) -> Path:
        if not _SAFE_ID.fullmatch(user_id):
            raise InvalidInput(_("Pengguna tidak sah untuk draf."))
        return self._folder / f"intake-{user_id}.json"

    def save(self, user_id: str, draft: Draft) -> Draft:
        """Write the draft, replacing the previous one whole; returns it with its time."""
        _check(draft)
        stamped = Draft(
            draft.sop_number, dict(draft.values), draft.checks, draft.page, self._clock()
        )
        path = self._path(user_id)
        text = json.dumps(stamped.to_json(), ensure_ascii=False, sort_keys=True)
        self._folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".draft-", dir=self._folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return stamped

    def load(self, user_id: str) -> Draft | None:
        """The user's draft; None when there is none or the file is not a readable draft."""
        path = self._path(user_id)
        try:
            if path.stat().st_size > MAX_FILE:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Draft.from_json(data)

    def discard(self, user_id: str) -> None:
        """Forget the draft once its intake is registered (or the clerk throws it away)."""
        with contextlib.suppress(FileNotFoundError):
            self._path(user_id).unlink()
