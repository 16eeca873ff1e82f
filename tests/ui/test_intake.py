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
from tests.ui.support import (
    CTRL,
    Keyboard,
    barcodes,
    next_page,
    open_window,
    print_receipt,
    walk_counter_steps,
)


def test_returning_applicant_sop68_by_keyboard_ends_in_a_printed_receipt(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    printed_file: Path,
) -> None:
    earlier = register(loket, staff)  # the applicant came once before
    window = open_window(qtbot, session_for)
    keys = Keyboard(qtbot)
    walk_counter_steps(window, keys, "68")
    wizard = window.intake
    assert wizard is not None
    applicant = wizard.applicant_page
    assert wizard.current() is applicant
    keys.type(applicant.lookup, NIK)
    keys.press(Qt.Key.Key_Return)
    assert applicant.applicant_id is not None
    assert applicant.name.text() == "Yohanes Dadi"
    next_page(keys)
    assert wizard.current() is wizard.business_page
    assert wizard.business_page.name.text() == "Bengkel Dadi Motor"  # from the last dossier
    next_page(keys)
    assert wizard.current() is wizard.checklist_page
    keys.press(Qt.Key.Key_A, CTRL)  # "Semua diterima"
    assert not wizard.checklist_page.missing()
    next_page(keys)
    assert wizard.current() is wizard.summary_page
    next_page(keys)  # register
    view = window.dossier.view
    assert view is not None
    assert view.record.state.status is Status.IN_PROGRESS
    assert view.record.number != earlier.record.number
    number = print_receipt(qtbot, window, keys, printed_file)
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
    window = open_window(qtbot, session_for)
    keys = Keyboard(qtbot)
    walk_counter_steps(window, keys, "76")
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
    next_page(keys)
    keys.type(wizard.business_page.name.editor, "Pool Landak Jaya")
    next_page(keys)
    keys.press(Qt.Key.Key_A, CTRL)
    next_page(keys)
    next_page(keys)
    number = print_receipt(qtbot, window, keys, printed_file)
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
    window = open_window(qtbot, session_for)
    keys = Keyboard(qtbot)
    walk_counter_steps(window, keys, "68")
    wizard = window.intake
    assert wizard is not None
    keys.type(wizard.applicant_page.lookup, NIK)
    keys.press(Qt.Key.Key_Return)
    next_page(keys)
    next_page(keys)
    keys.press(Qt.Key.Key_A, CTRL)
    next_page(keys)
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
        next_page(keys)  # register
        result = wizard.summary_page.result.text()
        assert "terkunci" in result and "draf" in result
        assert wizard.current() is wizard.summary_page
        assert window.session.drafts.load(window.session.user.id) is not None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(loket.dossiers.search(staff[Role.FRONT_OFFICE], limit=100)) == before
    next_page(keys)  # the lock is gone: the same typed intake registers
    view = window.dossier.view
    assert view is not None and view.record.applicant.nik == NIK
    assert len(loket.dossiers.search(staff[Role.FRONT_OFFICE], limit=100)) == before + 1
