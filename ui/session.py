"""What every window of a signed-in user shares, built once by the composition root.

Widgets get this through their constructors (no global registry): the core's
services, the signed-in user, the task runner, drafts, places and this PC's
station settings (printer and page format).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from loket.catalog import CatalogError, SopFileError
from loket.catalog.places import Regency
from loket.domain.i18n import _
from loket.domain.roles import Permission, may
from loket.services.context import Loket
from loket.services.desk import StorageError
from loket.services.drafts import DraftService
from loket.services.errors import ServiceError
from loket.services.users import User
from ui.tasks import Tasks

log = logging.getLogger(__name__)

STATION_FILE = "station.ini"


class StationSettings:
    """This PC's own choices (printer, page format), kept beside its database."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(folder / STATION_FILE), QSettings.Format.IniFormat)

    def text(self, key: str, default: str = "") -> str:
        value = self._settings.value(key, default)
        return value if isinstance(value, str) else default

    def put(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)
        self._settings.sync()


@dataclass
class Session:
    loket: Loket
    user: User
    tasks: Tasks
    drafts: DraftService
    places: Regency
    station: StationSettings

    def may(self, permission: Permission) -> bool:
        return may(self.user.role, permission)


def message_for(error: BaseException) -> str:
    """The sentence to show for a failure: refusals and environment problems as they are."""
    if isinstance(error, ServiceError | StorageError | SopFileError | CatalogError):
        return str(error)  # an SOP file the office edited names its file, key and problem
    if isinstance(error, OSError):
        return _("Gangguan pada sistem berkas: {error}").format(error=error.strerror or error)
    log.error("unexpected error", exc_info=error)
    return _("Terjadi kesalahan yang tidak terduga: {error}").format(error=error)
