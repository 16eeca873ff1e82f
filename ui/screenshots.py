"""Regenerate ``docs/screenshots/ui-*.png``: every main screen on a demo database.

Run under a real X server so the screens look as on a PC:
``xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python -m ui.screenshots``.
Look at each PNG afterwards; keep them modest (PNG, about 1100×760).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket, open_loket
from loket.services.demo import generate_demo
from loket.services.desk import Admin, finish_first_run
from loket.services.office import Office
from loket.services.users import User
from ui.access import FirstRunDialog, LoginDialog
from ui.app import application, build_session
from ui.documents import Kind
from ui.mainwindow import MainWindow
from ui.survey import SurveyDialog
from ui.tasks import Failed, ImmediateTasks, T
from ui.worklist import QUEUE_ROLES

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PASSWORD = "layar-contoh-1"


class _Held(ImmediateTasks):
    """Work that never finishes: the screens as they look while it runs."""

    def write(self, work: Callable[[], T], done: Callable[[T], None], failed: Failed) -> None:
        return None


def _settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QApplication.processEvents()
        QTest.qWait(30)


def _save(widget: QWidget, name: str) -> Path:
    _settle()
    path = OUT / f"ui-{name}.png"
    widget.grab().save(str(path), "PNG")
    print(f"written: {path}")
    return path


def _shots(folder: Path) -> None:
    loket = open_loket(data_dir=folder, create=True)
    try:
        admin = finish_first_run(
            loket, Office(head_name="Contoh Kepala"), Admin("admin", "Admin", PASSWORD)
        )
        clerk = loket.users.add_user(
            admin,
            username="petugas",
            full_name="Rina Petugas FO",
            role=Role.FRONT_OFFICE,
            password=PASSWORD,
        )
        generate_demo(loket, 300, seed=7, force=True)  # a throwaway folder of its own
        first = FirstRunDialog(lambda *_args: None, ImmediateTasks())
        first.show()
        _save(first, "first-run")
        first.name.setText("DINAS PENANAMAN MODAL DAN PTSP")
        first.password.setText("pendek")
        first.submit()  # refused: required fields empty, the password too short
        _save(first, "first-run-refused")
        first.close()
        login = LoginDialog(ImmediateTasks(), loket.users.authenticate, loket.office.office().name)
        login.username.setText("petugas")
        login.show()
        _save(login, "login")
        login.close()
        checking = LoginDialog(_Held(), loket.users.authenticate, loket.office.office().name)
        checking.username.setText("petugas")
        checking.password.setText(PASSWORD)
        checking.show()
        checking.submit()  # held: the window as it looks while the password is checked
        _save(checking, "login-checking")
        checking.close()
        window = MainWindow(build_session(loket, clerk, ImmediateTasks()))
        window.show()
        _steps(window)
        window.close()
        admin_window = MainWindow(build_session(loket, admin, ImmediateTasks()))
        admin_window.show()
        admin_window.show_users()
        _save(admin_window, "users")
        admin_window.close()
        _back_office(loket, admin)
    finally:
        loket.close()


def _steps(window: MainWindow) -> None:
    window.show_search()
    QTest.keyClicks(window.search.line, "a")
    window.search.search_now()
    _save(window, "search")
    wizard = window.intake
    assert wizard is not None
    window.new_intake()
    QTest.keyClicks(wizard.sop_page.search, "perbeng")
    _save(window, "intake-sop")
    wizard.next()
    wizard.next()
    _save(window, "intake-step")
    while wizard.current() is not wizard.applicant_page:
        wizard.next()
    page = wizard.applicant_page
    QTest.keyClicks(page.name.editor, "Yohanes Dadi")
    QTest.keyClicks(page.nik.editor, "61080112038500")
    QTest.keyClicks(page.phone.editor, "0812 3456 7890")
    page.address.kecamatan.set_text("Ngabang")
    wizard.next()  # refused: the NIK is two digits short
    _save(window, "intake-applicant")
    QTest.keyClicks(page.nik.editor, "01")
    wizard.next()
    QTest.keyClicks(wizard.business_page.name.editor, "Bengkel Dadi Motor")
    QTest.keyClicks(wizard.business_page.kbli.editor, "45405")
    wizard.next()
    wizard.checklist_page.tick_all()
    _save(window, "intake-checklist")
    wizard.next()
    _save(window, "intake-summary")
    wizard.register()
    _settle()
    preview = window.preview
    assert preview is not None
    _save(preview, "receipt-preview")
    preview.close()
    window.dossier.tabs.setCurrentIndex(0)
    _save(window, "dossier")
    window.dossier.tabs.setCurrentIndex(2)
    _save(window, "dossier-audit")
    view = window.dossier.view
    assert view is not None
    window.show_document(Kind.RECEIPT, view.record.number)


def _back_office(loket: Loket, admin: User) -> None:
    """``ui-bo-*``: every back-office role's worklist and step screen, handover, dashboard."""
    tasks = ImmediateTasks()
    for role in QUEUE_ROLES:
        user = loket.users.add_user(
            admin,
            username=f"bo-{role.value}",
            full_name=f"Contoh {role.label}",
            role=role,
            password=PASSWORD,
        )
        window = MainWindow(build_session(loket, user, tasks))
        window.show()
        window.show_worklist()
        _save(window, f"bo-worklist-{role.value}")
        worklist = window.worklist
        if worklist is not None and worklist.model.rowCount() > 0:
            worklist.table.selectRow(0)
            worklist.open_selected()
            _save(window, f"bo-step-{role.value}")
        if window.dashboard is not None and role is Role.KEPALA_DINAS:
            window.show_dashboard()
            _save(window, "bo-dashboard")
        window.close()
    clerk = loket.users.by_username("petugas")
    assert clerk is not None
    window = MainWindow(build_session(loket, clerk, tasks))
    window.show()
    window.show_handover()
    handover = window.handover
    assert handover is not None
    issued = loket.dossiers.search(clerk, status=Status.ISSUED, limit=1)
    if issued:
        handover.number.setText(issued[0].number)
        handover.find_dossier()
        handover.id_number.setText("6108011203850001")
    _save(window, "bo-handover")
    survey = SurveyDialog(window.session, issued[0].number if issued else "-", window)
    survey.set_scores([4, 3, 4, 4, 3, 4, 4, 3, 4])
    survey.show()
    _save(survey, "bo-survey")
    survey.close()
    window.close()


def main() -> int:
    application()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="loket-shots-") as folder:
        _shots(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
