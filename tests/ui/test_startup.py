"""Start-up: first run on a new database (station code asked first), then sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from loket.domain.roles import Role
from loket.services.context import open_loket
from loket.services.desk import is_set_up, station_code
from tests.ui.support import FIRST_RUN_PASSWORD as PASSWORD
from tests.ui.support import fill_first_run
from ui.access import FirstRunDialog
from ui.app import Opened, Startup, first_run, open_core, parse
from ui.tasks import ImmediateTasks, ThreadTasks


def _answer(dialog: FirstRunDialog) -> None:
    fill_first_run(dialog)
    dialog.submit()


def test_first_run_creates_the_database_with_the_station_and_the_first_admin(
    qtbot: QtBot, tmp_path: Path
) -> None:
    args = parse(["--data-dir", str(tmp_path)])
    assert not is_set_up(None, tmp_path)
    opened = open_core(None, tmp_path)
    assert opened == Opened(None, True)

    def answer_when_shown() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FirstRunDialog)
        assert not dialog.station.isReadOnly()
        _answer(dialog)

    QTimer.singleShot(0, answer_when_shown)
    loket = first_run(args, opened, None, ImmediateTasks())
    assert loket is not None
    try:
        assert station_code(loket) == "FO2"
        admin = loket.users.authenticate("admin", PASSWORD)
        assert admin.role is Role.ADMIN
        office = loket.office.office()
        assert office.head_nip == "197001011990031001"
        assert office.government == "PEMERINTAH KABUPATEN SANGGAU"
        assert office.city == "Sanggau"
        assert "Landak" not in str(office.to_json())
    finally:
        loket.close()
    assert is_set_up(None, tmp_path)


def test_mismatched_passwords_keep_the_dialog_open_and_nothing_written(
    qtbot: QtBot, tmp_path: Path
) -> None:
    calls: list[str] = []
    dialog = FirstRunDialog(
        lambda station, _office, _admin: calls.append(station), ImmediateTasks()
    )
    qtbot.addWidget(dialog)
    fill_first_run(dialog)
    dialog.password_again.setText(PASSWORD + "x")
    dialog.submit()
    assert calls == []
    assert "tidak sama" in dialog.checked["password_again"].message.text()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_login_is_shown_before_the_database_opens_then_signs_in(
    qtbot: QtBot, tmp_path: Path
) -> None:
    loket = open_loket(data_dir=tmp_path, create=True)
    from loket.services.desk import Admin, finish_first_run
    from loket.services.office import Office

    finish_first_run(loket, Office(), Admin("admin", "Admin Kantor", PASSWORD))
    loket.close()
    startup = Startup(parse(["--data-dir", str(tmp_path)]), ImmediateTasks())
    qtbot.addWidget(startup.login)
    assert not startup.login.ok.isEnabled()  # no database yet: signing in waits
    startup.start()
    qtbot.waitUntil(startup.login.ok.isEnabled)
    startup.login.username.setText("admin")
    startup.login.password.setText("salah-sekali")
    startup.login.submit()
    assert "salah" in startup.login.message.text()
    assert startup.login.password.text() == ""
    startup.login.password.setText(PASSWORD)
    startup.login.submit()
    assert startup.login.user is not None
    assert startup.login.user.username == "admin"
    assert startup.loket is not None
    startup.loket.close()


def test_a_refused_office_answer_can_be_corrected_without_losing_the_admin(
    tmp_path: Path,
) -> None:
    from loket.services.desk import Admin, finish_first_run
    from loket.services.errors import InvalidInput
    from loket.services.office import Office

    loket = open_loket(data_dir=tmp_path, create=True)
    try:
        admin = Admin("admin", "Admin Kantor", PASSWORD)
        with pytest.raises(InvalidInput, match="NIP"):
            finish_first_run(loket, Office(head_nip="123"), admin)
        user = finish_first_run(loket, Office(head_nip=""), admin)
        assert user.role is Role.ADMIN
        assert loket.office.is_configured()
    finally:
        loket.close()


@pytest.mark.parametrize("threaded", [False, True], ids=["immediate", "threads"])
def test_a_first_run_leads_straight_to_signing_in_in_the_same_start(
    qtbot: QtBot, tmp_path: Path, threaded: bool
) -> None:
    """As `loket gui` runs it: the login window's exec() spans the first-run questions.

    With the real thread runner, opening the database, the first-run writes and the
    password check all run on the worker thread while the windows wait.
    """
    tasks = ThreadTasks() if threaded else ImmediateTasks()
    startup = Startup(parse(["--data-dir", str(tmp_path)]), tasks)
    qtbot.addWidget(startup.login)
    seen: list[str] = []
    ticks: list[int] = []

    def act() -> None:
        ticks.append(1)
        if len(ticks) > 250:  # five seconds: fail, do not hang
            startup.login.reject()
            return
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, FirstRunDialog) and "first run" not in seen:
            seen.append("first run")
            _answer(dialog)
        elif seen and startup.login.isVisible() and startup.login.ok.isEnabled():
            seen.append("sign in")
            startup.login.username.setText("admin")
            startup.login.password.setText(PASSWORD)
            startup.login.submit()
            return
        QTimer.singleShot(20, act)

    QTimer.singleShot(0, act)
    startup.start()
    code = startup.login.exec()
    tasks.wait()
    assert seen == ["first run", "sign in"]
    assert code == QDialog.DialogCode.Accepted
    assert startup.login.user is not None and startup.login.user.username == "admin"
    assert startup.loket is not None
    startup.loket.close()


def test_a_broken_sop_file_is_named_at_the_login_not_blamed_on_the_database(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The office edited an SOP and broke it: the login says which file and key, whole."""
    open_loket(data_dir=tmp_path, create=True).close()
    shipped = Path(__file__).resolve().parents[2] / "data" / "sop" / "sop-068.toml"
    (tmp_path / "sop").mkdir()
    broken = shipped.read_text(encoding="utf-8").replace(
        'actor = "front_office"', 'actor = "kasi"', 1
    )
    (tmp_path / "sop" / "sop-068.toml").write_text(broken, encoding="utf-8")
    startup = Startup(parse(["--data-dir", str(tmp_path)]), ImmediateTasks())
    qtbot.addWidget(startup.login)
    startup.start()
    qtbot.waitUntil(startup.login.message.isVisible)
    shown = startup.login.message.text()
    assert "sop-068.toml" in shown and ".actor" in shown
    assert "tidak terduga" not in shown
    assert startup.login.heading.text() == "Loket tidak dapat dibuka."
    assert not startup.login.ok.isEnabled()
