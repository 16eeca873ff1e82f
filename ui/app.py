"""The composition root: ``loket gui`` and ``loket --smoke-test`` start here.

``run`` shows the login window at once and opens the core in the background: one
:class:`~loket.services.context.Loket` on the database (the embedded SQLite file
in the user's data folder unless ``--db`` says otherwise, created on first run
exactly as ``open_loket(create=True)`` does). A new database first asks the
office's identity, this PC's station code and the first admin. After sign-in the
services go to the main window through its constructor.

Only PySide6 and the message catalog are imported at load time: SQLAlchemy, the
SOP catalog and the documents code load while the clerk types the username.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from loket.domain.i18n import LANGUAGES, _, set_language
from ui.access import FirstRunDialog, LoginDialog
from ui.tasks import Tasks, ThreadTasks

if TYPE_CHECKING:
    from loket.services.context import Loket
    from loket.services.desk import Admin
    from loket.services.office import Office
    from loket.services.users import User
    from ui.session import Session

DRAFTS_FOLDER = "drafts"
EXIT_OK, EXIT_FAIL = 0, 1


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="loket gui")
    parser.add_argument("--db")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--lang", choices=LANGUAGES)
    parser.add_argument("--smoke-test", action="store_true")
    return parser.parse_args(list(argv))


def application() -> QApplication:
    """The one QApplication, in the office's locale (Indonesian dates and numbers)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication([sys.argv[0] if sys.argv else "loket"])
    app.setApplicationName("Loket")
    app.setOrganizationName("DPMPTSP-TK Landak")
    QLocale.setDefault(QLocale("id_ID"))
    return app


def build_session(loket: Loket, user: User, tasks: Tasks) -> Session:
    from loket.catalog.places import load_places
    from loket.services.drafts import DraftService
    from ui.session import Session, StationSettings

    return Session(
        loket=loket,
        user=user,
        tasks=tasks,
        drafts=DraftService(loket.data_dir / DRAFTS_FOLDER, loket.clock),
        places=load_places(),
        station=StationSettings(loket.data_dir),
    )


@dataclass
class Opened:
    """The core as opened in the background; ``loket`` is None for a database not set up."""

    loket: Loket | None
    first_run: bool


def open_core(db: str | None, data_dir: Path | None) -> Opened:
    """Off the UI thread: import the core, open the database if it is set up."""
    from loket.services.context import open_loket
    from loket.services.desk import is_set_up, needs_first_run
    from ui.mainwindow import MainWindow  # noqa: F401  (loaded now, not after sign-in)

    if not is_set_up(db, data_dir):
        return Opened(None, True)
    loket = open_loket(db, data_dir=data_dir, create=True)
    return Opened(loket, needs_first_run(loket))


def first_run(
    args: argparse.Namespace, opened: Opened, parent: QDialog | None, tasks: Tasks
) -> Loket | None:
    """The first-run questions; a new database is created with the station code given.

    The answers are written by ``tasks`` (off the UI thread with :class:`ThreadTasks`).
    """
    from loket.services.context import open_loket
    from loket.services.desk import finish_first_run, station_code

    holder: list[Loket] = [opened.loket] if opened.loket is not None else []

    def finish(station: str, office: Office, admin: Admin) -> None:
        if not holder:
            holder.append(
                open_loket(args.db, data_dir=args.data_dir, create=True, station_code=station)
            )
        finish_first_run(holder[0], office, admin)

    station = station_code(opened.loket) if opened.loket is not None else ""
    dialog = FirstRunDialog(finish, tasks, station=station, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        for loket in holder:
            loket.close()
        return None
    return holder[0]


class Startup:
    """Login window first; the core arrives by a signal; then first run or sign-in."""

    def __init__(self, args: argparse.Namespace, tasks: Tasks) -> None:
        self.args, self.tasks = args, tasks
        self.loket: Loket | None = None
        self.login = LoginDialog(tasks)

    def start(self) -> None:
        """Show the window, then (once the event loop has painted it) load the core: the
        import work holds the interpreter and would otherwise delay the first paint."""
        self.login.show()
        QTimer.singleShot(0, self._open)

    def _open(self) -> None:
        args = self.args
        self.tasks.write(lambda: open_core(args.db, args.data_dir), self._opened, self._failed)

    def _opened(self, opened: Opened) -> None:
        loket = opened.loket
        if opened.first_run:
            # Over the login window, not instead of it: hiding a dialog that is in
            # exec() ends its event loop, and the app would quit after the first run.
            loket = first_run(self.args, opened, self.login, self.tasks)
            if loket is None:
                self.login.reject()
                return
        assert loket is not None
        self.loket = loket
        self.login.ready(loket.users.authenticate, loket.office.office().name)

    def _failed(self, error: BaseException) -> None:
        from ui.session import message_for

        self.login.failed(message_for(error))


def run(argv: Sequence[str]) -> int:
    """Start the desktop; the exit code of the Qt event loop (0 after a normal close)."""
    args = parse(argv)
    if args.lang:
        set_language(args.lang)
    if args.smoke_test:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        application()
        from ui.smoke import smoke_test

        return smoke_test()
    app = application()
    tasks = ThreadTasks()
    startup = Startup(args, tasks)
    startup.start()
    signed_in = startup.login.exec() == QDialog.DialogCode.Accepted
    tasks.wait()
    loket, user = startup.loket, startup.login.user
    if not signed_in or loket is None or user is None:
        if loket is not None:
            loket.close()
        return EXIT_OK if startup.login.message.text() == "" else EXIT_FAIL
    from ui.mainwindow import MainWindow

    try:
        window = MainWindow(build_session(loket, user, tasks))
        window.setWindowTitle(window.windowTitle() or _("Loket"))
        window.show()
        code = app.exec()
        tasks.wait()
        return code
    finally:
        loket.close()
