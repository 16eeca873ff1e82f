"""The first-run questions and sign-in: empty fields with examples, refusals beside the
field, and the slow work (password check, first-run writes) off the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.desk import Admin
from loket.services.errors import AuthenticationFailed
from loket.services.office import Office
from loket.services.users import User
from tests.services.support import PASSWORD
from tests.ui.support import FIRST_RUN_PASSWORD, fill_first_run
from ui.access import FirstRunDialog, LoginDialog
from ui.app import Opened, first_run, parse
from ui.tasks import ImmediateTasks, ThreadTasks

WAIT_S = 5
LANDAK = Office()  # the core's default: Landak's own identity


@pytest.fixture
def threads() -> Iterator[ThreadTasks]:
    """The real task runner; every task has ended when the test does."""
    tasks = ThreadTasks()
    yield tasks
    tasks.wait()


def _first_run(
    qtbot: QtBot, finish: Callable[[str, Office, Admin], None] | None = None
) -> FirstRunDialog:
    dialog = FirstRunDialog(finish or (lambda *_args: None), ImmediateTasks())
    qtbot.addWidget(dialog)
    return dialog


class _Ticks:
    """Counts the event loop's turns: it only counts while the UI thread is free."""

    def __init__(self, parent: QDialog) -> None:
        self.count = 0
        self.timer = QTimer(parent)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


# --- first run: the form ---------------------------------------------------------------


def test_first_run_fields_start_empty_with_landak_only_as_an_example(qtbot: QtBot) -> None:
    dialog = _first_run(qtbot)
    lines = dialog.findChildren(QLineEdit)
    assert lines
    assert all(line.text() == "" for line in lines)
    assert dialog.name.placeholderText() == "contoh: " + LANDAK.name
    assert dialog.government.placeholderText() == "contoh: " + LANDAK.government
    assert dialog.address.placeholderText() == "contoh: " + LANDAK.address
    assert dialog.city.placeholderText() == "contoh: " + LANDAK.city
    assert dialog.station.placeholderText() == "contoh: FO1"
    assert not dialog.station.isReadOnly()
    # Nothing of the example reaches the saved identity: every field is the typed one.
    typed = dialog.office()
    assert all(getattr(typed, field.name) == "" for field in fields(typed))


def test_empty_required_fields_are_refused_beside_each_field(qtbot: QtBot) -> None:
    calls: list[str] = []
    dialog = _first_run(qtbot, lambda station, _office, _admin: calls.append(station))
    dialog.government.setText("PEMERINTAH KABUPATEN SANGGAU")
    dialog.password_again.setFocus()
    dialog.submit()
    assert calls == []
    required = {
        "name",
        "address",
        "city",
        "head_title",
        "station",
        "username",
        "full_name",
        "password",
    }
    for key, checked in dialog.checked.items():
        if key in required:
            assert checked.message.text() == "Wajib diisi.", key
            assert checked.message.isVisibleTo(dialog), key
        else:
            assert checked.message.text() == "", key
    assert dialog.message.text() == "Periksa isian yang ditandai merah."
    assert dialog.focusWidget() is dialog.name  # the first refused field
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_a_corrected_field_loses_its_message_and_the_answers_go_through(qtbot: QtBot) -> None:
    answers: list[tuple[str, Office, Admin]] = []
    dialog = _first_run(qtbot, lambda *args: answers.append(args))
    fill_first_run(dialog)
    dialog.city.clear()
    dialog.submit()
    assert answers == []
    assert dialog.checked["city"].message.text() == "Wajib diisi."
    assert dialog.checked["name"].message.text() == ""
    dialog.city.setText("Sanggau")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    [(station, office, admin)] = answers
    assert station == "FO2"
    assert office.city == "Sanggau"
    assert office.short_name == ""  # not Landak's DPMPTSP-TK
    assert admin == Admin("admin", "Admin Kantor", FIRST_RUN_PASSWORD)


def test_a_short_password_is_refused_beside_the_password(qtbot: QtBot) -> None:
    dialog = _first_run(qtbot)
    fill_first_run(dialog)
    dialog.password.setText("pendek")
    dialog.password_again.setText("pendek")
    dialog.submit()
    assert "8" in dialog.checked["password"].message.text()
    assert dialog.result() != QDialog.DialogCode.Accepted


# --- first run: written off the UI thread ----------------------------------------------


def test_first_run_writes_off_the_ui_thread_while_the_dialog_waits(
    qtbot: QtBot, threads: ThreadTasks
) -> None:
    release = threading.Event()
    ran_on: list[int] = []

    def finish(_station: str, _office: Office, _admin: Admin) -> None:
        ran_on.append(threading.get_ident())
        release.wait(WAIT_S)

    dialog = FirstRunDialog(finish, threads)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fill_first_run(dialog)
    ticks = _Ticks(dialog)
    try:
        dialog.submit()
        assert dialog.busy
        assert not dialog.save_button.isEnabled()
        assert dialog.save_button.text() == "Menyimpan…"
        assert dialog.name.isReadOnly()
        qtbot.waitUntil(lambda: ticks.count >= 3 and bool(ran_on), timeout=WAIT_S * 1000)
        dialog.reject()  # Esc while writing: ignored
        assert dialog.isVisible()
        dialog.submit()  # a second press while writing: ignored
        assert len(ran_on) == 1
    finally:
        release.set()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=WAIT_S * 1000)
    assert ran_on != [threading.get_ident()]
    assert not dialog.busy


def test_a_refused_first_run_write_shows_why_and_keeps_what_was_typed(
    qtbot: QtBot, threads: ThreadTasks
) -> None:
    from loket.services.errors import InvalidInput

    def finish(_station: str, _office: Office, _admin: Admin) -> None:
        raise InvalidInput("NIP kepala kantor harus 18 angka.")

    dialog = FirstRunDialog(finish, threads)
    qtbot.addWidget(dialog)
    fill_first_run(dialog)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_S * 1000)
    assert dialog.message.text() == "NIP kepala kantor harus 18 angka."
    assert dialog.save_button.isEnabled()
    assert not dialog.name.isReadOnly()
    assert dialog.name.text() == "DINAS PENANAMAN MODAL DAN PTSP"
    assert dialog.password.text() == FIRST_RUN_PASSWORD
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_first_run_with_the_thread_runner_creates_the_database(
    qtbot: QtBot, tmp_path: Path, threads: ThreadTasks
) -> None:
    """As `loket gui` runs it: the dialog's exec() spans the write on the worker thread."""
    seen: list[bool] = []

    def answer_when_shown() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FirstRunDialog)
        fill_first_run(dialog)
        dialog.submit()
        seen.append(dialog.busy)

    QTimer.singleShot(0, answer_when_shown)
    loket = first_run(parse(["--data-dir", str(tmp_path)]), Opened(None, True), None, threads)
    assert seen == [True]  # the answer was still being written when submit returned
    assert loket is not None
    try:
        assert loket.users.authenticate("admin", FIRST_RUN_PASSWORD).role is Role.ADMIN
        assert loket.office.office().city == "Sanggau"
    finally:
        loket.close()


# --- sign-in --------------------------------------------------------------------------


def test_the_password_check_runs_while_the_window_stays_responsive(
    qtbot: QtBot, threads: ThreadTasks
) -> None:
    release = threading.Event()
    checking = threading.Event()

    def authenticate(_username: str, _password: str) -> User:
        checking.set()
        release.wait(WAIT_S)
        raise AuthenticationFailed("Nama pengguna atau kata sandi salah.")

    dialog = LoginDialog(threads, authenticate, "Kantor Contoh")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.username.setText("admin")
    dialog.password.setText("salah-sekali")
    ticks = _Ticks(dialog)
    try:
        dialog.submit()
        assert dialog.busy
        assert dialog.ok.text() == "Memeriksa…"
        assert not dialog.ok.isEnabled()
        assert not dialog.cancel.isEnabled()
        # The event loop turns while the check is still in progress on its thread.
        qtbot.waitUntil(lambda: ticks.count >= 3 and checking.is_set(), timeout=WAIT_S * 1000)
        assert dialog.busy
        dialog.reject()
        assert dialog.isVisible()
    finally:
        release.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_S * 1000)
    assert dialog.message.text() == "Nama pengguna atau kata sandi salah."
    assert dialog.password.text() == ""
    assert dialog.username.text() == "admin"
    assert dialog.ok.isEnabled()
    assert dialog.ok.text() == "&Masuk"
    assert dialog.user is None


def test_signing_in_on_the_thread_runner_with_the_real_check(
    qtbot: QtBot, loket: Loket, staff: dict[Role, User], threads: ThreadTasks
) -> None:
    dialog = LoginDialog(threads, loket.users.authenticate, "Kantor Contoh")
    qtbot.addWidget(dialog)
    username = staff[Role.FRONT_OFFICE].username
    dialog.username.setText(username)
    dialog.password.setText(PASSWORD + "x")
    dialog.submit()
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_S * 1000)
    assert "salah" in dialog.message.text()
    assert dialog.password.text() == ""
    dialog.password.setText(PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=WAIT_S * 1000)
    assert dialog.user is not None
    assert dialog.user.username == username
