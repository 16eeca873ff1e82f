"""``loket --smoke-test``: the whole GUI on a temporary database, every main screen opened.

Used by the installer's checks: exit 0 means Qt, the core, the catalog, the places
and every screen came up together on this machine.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from loket.domain.roles import Role
from loket.services.context import open_loket
from loket.services.desk import Admin, finish_first_run
from loket.services.office import Office
from ui.access import FirstRunDialog, LoginDialog
from ui.app import build_session
from ui.documents import Kind
from ui.mainwindow import MainWindow
from ui.tasks import ImmediateTasks

PASSWORD = "smoke-test-1"


def _settle() -> None:
    QApplication.processEvents()


def smoke_test() -> int:
    with tempfile.TemporaryDirectory(prefix="loket-smoke-") as folder:
        loket = open_loket(data_dir=Path(folder), create=True)
        try:
            admin = finish_first_run(loket, Office(), Admin("admin", "Admin Uji", PASSWORD))
            clerk = loket.users.add_user(
                admin,
                username="fo",
                full_name="Petugas FO",
                role=Role.FRONT_OFFICE,
                password=PASSWORD,
            )
            head = loket.users.add_user(
                admin,
                username="kadis",
                full_name="Kepala Dinas Uji",
                role=Role.KEPALA_DINAS,
                password=PASSWORD,
            )
            tasks = ImmediateTasks()
            for dialog in (
                FirstRunDialog(lambda *_args: None, tasks),
                LoginDialog(tasks, loket.users.authenticate, ""),
            ):
                dialog.show()
                _settle()
                dialog.close()
            for user in (clerk, admin, head):
                window = MainWindow(build_session(loket, user, tasks))
                window.show()
                window.show_search()
                _settle()
                window.new_intake()
                if window.intake is not None:
                    window.intake.next()  # into the first SOP step
                _settle()
                window.show_users()
                _settle()
                for screen in (window.show_worklist, window.show_handover, window.show_dashboard):
                    screen()  # each role's own; the others are not built and do nothing
                    _settle()
                window.dossier.show_view(None)
                window.stack.setCurrentWidget(window.dossier)
                _settle()
                window.show_document(Kind.RECEIPT, "SMOKE/0")  # refused: shown as a message
                _settle()
                window.close()
                _settle()
        except Exception as exc:
            print(f"smoke test failed: {exc!r}", file=sys.stderr)
            return 1
        finally:
            loket.close()
    print("smoke test: ok")
    return 0
