"""Sending back, rejecting, the lazy queue, an admin's reassignment and the dashboard."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from tests.services.support import FakeClock, drive, register
from tests.ui.conftest import SessionFactory
from tests.ui.test_backoffice_flow import claim_and_open, window_of
from ui.dashboard import DashboardPanel
from ui.worklist import QueueQuery, WorklistModel


def test_a_dossier_is_sent_back_with_a_reason_and_another_is_rejected_with_its_letter(
    qtbot: QtBot, session_for: SessionFactory, loket: Loket, staff: dict[Role, User]
) -> None:
    admin = staff[Role.ADMIN]
    loket.documents.init_key(admin)
    sent = drive(loket, staff, register(loket, staff), 8).record.number
    kabid = window_of(qtbot, session_for, Role.KABID_PERIZINAN)
    claim_and_open(kabid, sent)
    panel = kabid.dossier.step_panel
    assert panel.send_back_button.isVisible()
    assert panel.target.currentData() == 7
    panel.send_back_button.click()  # no reason: refused, nothing moves
    assert panel.message.isVisible()
    assert loket.dossiers.show(admin, sent).record.state.step_no == 8
    panel.reason.setText("Lampiran KTP tidak terbaca")
    panel.send_back_button.click()
    back = loket.dossiers.show(admin, sent).record
    assert back.state.step_no == 7
    assert back.state.visits[-2].reason == "Lampiran KTP tidak terbaca"

    rejected = drive(loket, staff, register(loket, staff, 76), 9).record.number
    kasi = window_of(qtbot, session_for, Role.KASI_PERIZINAN)
    claim_and_open(kasi, rejected)
    panel = kasi.dossier.step_panel
    panel.reason.setText("Lokasi berada di luar zona peruntukan")
    panel.reject_button.click()
    assert loket.dossiers.show(admin, rejected).record.state.status is Status.REJECTED
    letter = panel.preview
    assert letter is not None
    assert letter.pdf is not None
    assert letter.pdf.startswith(b"%PDF")
    assert kasi.dossier.rejection_button.isVisible()
    actions = [e["action"] for e in loket.dossiers.audit_trail(admin, rejected)]
    assert "reject" in actions


def test_the_queue_is_read_page_by_page_most_urgent_first(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    clock: FakeClock,
) -> None:
    numbers = [drive(loket, staff, register(loket, staff), 7).record.number for _ in range(5)]
    model = WorklistModel(session_for(Role.KASI_PERIZINAN), page_size=2)
    model.load(QueueQuery(Role.KASI_PERIZINAN))
    assert model.rowCount() == 2
    assert model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert [r.number for r in model.rows()] == numbers  # oldest step start: nearest deadline
    text = model.data(model.index(0, 5))
    assert isinstance(text, str)
    assert text.startswith("sisa")


def test_an_admin_hands_a_claimed_dossier_to_another_user(
    qtbot: QtBot, session_for: SessionFactory, loket: Loket, staff: dict[Role, User]
) -> None:
    number = drive(loket, staff, register(loket, staff), 7).record.number
    loket.back_office.claims.claim(staff[Role.KASI_PERIZINAN], number)
    other = loket.users.add_user(
        staff[Role.ADMIN],
        username="kasi2",
        full_name="Kasi Kedua",
        role=Role.KASI_PERIZINAN,
        password="rahasia-456",
    )
    window = window_of(qtbot, session_for, Role.ADMIN)
    worklist = window.worklist
    assert worklist is not None
    worklist.role.setCurrentIndex(worklist.role.findData(Role.KASI_PERIZINAN.value))
    assert worklist.select_number(number)
    worklist.release_selected()
    assert loket.back_office.claims.holder(staff[Role.ADMIN], number) is None
    assert worklist.select_number(number)
    worklist.reassign_selected(other)
    holder = loket.back_office.claims.holder(staff[Role.ADMIN], number)
    assert holder is not None
    assert holder.username == "kasi2"
    assert "Kasi Perizinan: 1 berkas" in worklist.counts.text()


def test_the_dashboard_draws_the_office_now_and_lists_the_late(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    clock: FakeClock,
) -> None:
    late = drive(loket, staff, register(loket, staff), 7).record.number
    drive(loket, staff, register(loket, staff, 76), 9)
    clock.advance(days=7)
    window = window_of(qtbot, session_for, Role.KEPALA_DINAS)
    panel = window.dashboard
    assert isinstance(panel, DashboardPanel)
    window.show_dashboard()
    assert panel.data is not None, panel.message.text()
    assert sum(load.open for load in panel.data.dashboard.by_step) == 2
    assert set(panel.by_step.categories) == {"68·7", "76·9"}
    assert len(panel.per_day.categories) == 30
    assert panel.overdue.row(0).number == late
    assert panel.grab().width() > 0
    assert window_of(qtbot, session_for, Role.KASI_PERIZINAN).dashboard is None
