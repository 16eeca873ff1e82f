"""A clerk's full intake by keyboard through the wizard, ending in a printed receipt.

The barcode on the printed page (the PDF that QPrinter wrote, rendered and decoded
as a scanner would) must be the dossier's number. The returning applicant's intake
counts its key presses and clicks (aim: 40 or fewer).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from loket.storage import database
from tests.services.support import NIK, register
from tests.ui.conftest import SessionFactory
from tests.ui.support import Keyboard, barcodes
from ui.intake_pages import StepPage
from ui.mainwindow import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _window(qtbot: QtBot, session_for: SessionFactory) -> MainWindow:
    window = MainWindow(session_for(Role.FRONT_OFFICE))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _next(keys: Keyboard) -> None:
    keys.press(Qt.Key.Key_Return, CTRL)


def _walk_counter_steps(window: MainWindow, keys: Keyboard, sop: str) -> None:
    keys.press(Qt.Key.Key_F2)
    wizard = window.intake
    assert wizard is not None
    assert window.stack.currentWidget() is wizard
    keys.type(wizard.sop_page.search, sop)
    _next(keys)
    while isinstance(wizard.current(), StepPage):
        _next(keys)


def _print_receipt(qtbot: QtBot, window: MainWindow, keys: Keyboard, printed: Path) -> str:
    preview = window.preview
    assert preview is not None
    qtbot.waitUntil(preview.print_button.isEnabled)
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    keys.press(Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(printed.exists)
    view = window.dossier.view
    assert view is not None
    return view.record.number


def test_returning_applicant_sop68_by_keyboard_ends_in_a_printed_receipt(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    printed_file: Path,
) -> None:
    earlier = register(loket, staff)  # the applicant came once before
    window = _window(qtbot, session_for)
    keys = Keyboard(qtbot)
    _walk_counter_steps(window, keys, "68")
    wizard = window.intake
    assert wizard is not None
    applicant = wizard.applicant_page
    assert wizard.current() is applicant
    keys.type(applicant.lookup, NIK)
    keys.press(Qt.Key.Key_Return)
    assert applicant.applicant_id is not None
    assert applicant.name.text() == "Yohanes Dadi"
    _next(keys)
    assert wizard.current() is wizard.business_page
    assert wizard.business_page.name.text() == "Bengkel Dadi Motor"  # from the last dossier
    _next(keys)
    assert wizard.current() is wizard.checklist_page
    keys.press(Qt.Key.Key_A, CTRL)  # "Semua diterima"
    assert not wizard.checklist_page.missing()
    _next(keys)
    assert wizard.current() is wizard.summary_page
    _next(keys)  # register
    view = window.dossier.view
    assert view is not None
    assert view.record.state.status is Status.IN_PROGRESS
    assert view.record.number != earlier.record.number
    number = _print_receipt(qtbot, window, keys, printed_file)
    print(f"\nkey presses and clicks, returning applicant, SOP 68: {keys.presses}")
    assert keys.presses <= 40
    assert number in barcodes(printed_file)
    stored = loket.dossiers.show(staff[Role.FRONT_OFFICE], number)
    assert stored.record.applicant.nik == NIK
    assert [v.step_no for v in stored.record.state.visits][:4] == [1, 2, 3, 4]
    assert loket.dossiers.search(staff[Role.FRONT_OFFICE], query=NIK, limit=10)[0].number == number


def test_new_company_sop76_by_keyboard(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    printed_file: Path,
) -> None:
    window = _window(qtbot, session_for)
    keys = Keyboard(qtbot)
    _walk_counter_steps(window, keys, "76")
    wizard = window.intake
    assert wizard is not None
    applicant = wizard.applicant_page
    applicant.kind.setFocus()
    keys.press(Qt.Key.Key_Down)  # Badan usaha
    keys.press(Qt.Key.Key_Tab)
    keys.type(applicant.name.editor, "CV Landak Jaya Transport")
    keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Tab)
    keys.type(applicant.nib.editor, "9120001234567")
    _next(keys)
    keys.type(wizard.business_page.name.editor, "Pool Landak Jaya")
    _next(keys)
    keys.press(Qt.Key.Key_A, CTRL)
    _next(keys)
    _next(keys)
    number = _print_receipt(qtbot, window, keys, printed_file)
    assert number.startswith("SOP76/")
    assert number in barcodes(printed_file)
    record = loket.dossiers.show(staff[Role.FRONT_OFFICE], number).record
    assert record.applicant.name == "CV Landak Jaya Transport"
    assert record.business is not None
    assert record.business.name == "Pool Landak Jaya"


def test_a_locked_database_keeps_the_typed_intake_and_the_clerk_tries_again(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another program holds the write lock: a clear message, the draft kept, no dossier."""
    register(loket, staff)  # a returning applicant keeps the walk short
    window = _window(qtbot, session_for)
    keys = Keyboard(qtbot)
    _walk_counter_steps(window, keys, "68")
    wizard = window.intake
    assert wizard is not None
    keys.type(wizard.applicant_page.lookup, NIK)
    keys.press(Qt.Key.Key_Return)
    _next(keys)
    _next(keys)
    keys.press(Qt.Key.Key_A, CTRL)
    _next(keys)
    assert wizard.current() is wizard.summary_page
    before = len(loket.dossiers.search(staff[Role.FRONT_OFFICE], limit=100))
    # New connections wait 0.2 s for the lock instead of 10 s.
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    loket.database.engine.dispose()
    path = loket.database.sqlite_path
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        _next(keys)  # register
        result = wizard.summary_page.result.text()
        assert "terkunci" in result and "draf" in result
        assert wizard.current() is wizard.summary_page
        assert window.session.drafts.load(window.session.user.id) is not None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(loket.dossiers.search(staff[Role.FRONT_OFFICE], limit=100)) == before
    _next(keys)  # the lock is gone: the same typed intake registers
    view = window.dossier.view
    assert view is not None and view.record.applicant.nik == NIK
    assert len(loket.dossiers.search(staff[Role.FRONT_OFFICE], limit=100)) == before + 1
