"""The back office's screens end to end: each role's worklist, step screen, handover, survey.

Every step is taken in a main window of a session of the step's own role, as that
user would: the queue (F4), select, claim, open, act on the step screen.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.dossiers import DossierView
from loket.services.reports import RegisterQuery
from loket.services.users import User
from tests.services.support import FIELD_VALUES, drive, register
from tests.ui.conftest import SessionFactory
from tests.ui.support import barcodes
from ui.mainwindow import MainWindow
from ui.pdfview import PdfPreviewDialog
from ui.preview import PreviewDialog

SCORES = [4, 3, 4, 4, 3, 4, 4, 3, 4]
FIRST_BACK_OFFICE_STEP = 7


def window_of(qtbot: QtBot, session_for: SessionFactory, role: Role) -> MainWindow:
    window = MainWindow(session_for(role))
    qtbot.addWidget(window)
    window.show()
    return window


def claim_and_open(window: MainWindow, number: str) -> None:
    """F4's queue: the dossier is there, claimed by this user, then opened."""
    worklist = window.worklist
    assert worklist is not None
    window.show_worklist()
    assert window.stack.currentWidget() is worklist
    assert worklist.select_number(number), f"{number} not in the queue of {window.session.user}"
    worklist.claim_selected()
    assert worklist.select_number(number)
    selected = worklist.selected()
    assert selected is not None
    assert selected.claimed_name == window.session.user.full_name
    worklist.open_selected()
    assert window.stack.currentWidget() is window.dossier
    view = window.dossier.view
    assert view is not None
    assert view.record.number == number
    assert window.dossier.tabs.currentIndex() == window.dossier.step_tab


def approve(window: MainWindow) -> DossierView:
    panel = window.dossier.step_panel
    for editor in panel.editors:
        if editor.spec.key in FIELD_VALUES:
            editor.set_value(FIELD_VALUES[editor.spec.key])
    panel.approve_button.click()
    assert not panel.message.isVisible(), panel.message.text()
    view = window.dossier.view
    assert view is not None
    return view


def sign(window: MainWindow) -> bytes:
    panel = window.dossier.step_panel
    assert panel.sign_button.isVisible()
    panel.sign_button.click()
    preview = panel.preview
    assert isinstance(preview, PdfPreviewDialog), panel.message.text()
    assert preview.pdf is not None
    return preview.pdf


def image_file(folder: Path, name: str, color: str) -> Path:
    path = folder / name
    Image.new("RGB", (64, 48), color).save(path)
    return path


def back_office_extras(window: MainWindow, tmp_path: Path) -> None:
    """Back Office: a scan attached (listed with its hash) and the draft permit previewed."""
    tools = window.dossier.step_panel.tools
    assert tools.attachments_box.isVisibleTo(window.dossier.step_panel)
    tools.attach([image_file(tmp_path, "ktp.png", "white")], "scan")
    assert tools.attachments.count() == 1
    assert "SHA-256" in tools.attachments.item(0).text()
    assert tools.draft_button.isVisibleTo(window.dossier.step_panel)
    tools.draft_button.click()
    preview = window.dossier.step_panel.preview
    assert preview is not None
    assert preview.pdf is not None
    assert preview.pdf.startswith(b"%PDF")


def field_inspection(window: MainWindow, tmp_path: Path) -> None:
    """Tim Teknis: schedule, attach a photo, record the BAP and print it."""
    box = window.dossier.step_panel.tools.inspection
    assert box.isVisibleTo(window.dossier.step_panel)
    box.team.setPlainText("Andreas Ir.\nSiti Rahma")
    box.schedule_button.click()
    assert box.state.text().startswith("Dijadwalkan")
    window.dossier.step_panel.tools.attach(
        [image_file(tmp_path, "lokasi.png", "green")], "foto_lapangan"
    )
    assert box.photos.count() == 2  # the Back Office's scan (an image) and the photo
    assert len(box.chosen_photos()) == 1  # only the photo is ticked
    box.findings.setPlainText("Bangunan pool sesuai denah; lahan parkir 20 kendaraan.")
    box.recommendation.setText("Layak diterbitkan")
    box.record_button.click()
    assert box.state.text().startswith("BAP dicatat"), window.dossier.step_panel.message.text()
    box.print_button.click()
    preview = window.dossier.step_panel.preview
    assert preview is not None
    assert preview.pdf is not None


def hand_over_and_survey(qtbot: QtBot, session_for: SessionFactory, number: str) -> MainWindow:
    window = window_of(qtbot, session_for, Role.FRONT_OFFICE)
    window.show_handover()
    panel = window.handover
    assert panel is not None
    qtbot.keyClicks(panel.number, number.lower())
    panel.find_dossier()
    assert panel.hand_button.isEnabled()
    panel.receiver.setText("Maria Ani")
    panel.id_number.setText("6108015203900002")
    panel.hand_button.click()
    assert panel.survey_button.isEnabled(), panel.message.text()
    assert isinstance(window.preview, PreviewDialog)
    assert window.preview.pdf is not None  # the permit, ready to print
    panel.survey_button.click()
    survey = panel.survey
    assert survey is not None
    survey.save_button.click()  # nothing answered: refused, nothing saved
    assert survey.message.isVisible()
    survey.set_scores(SCORES)
    survey.suggestion.setPlainText("Pelayanan cepat.")
    survey.save_button.click()
    assert survey.result() == survey.DialogCode.Accepted
    return window


def walk(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    tmp_path: Path,
    sop_number: int,
) -> tuple[str, bytes]:
    view = drive(loket, staff, register(loket, staff, sop_number), FIRST_BACK_OFFICE_STEP)
    number = view.record.number
    signed = b""
    while view.record.state.status is Status.IN_PROGRESS:
        step = view.sop.step(view.record.state.step_no)
        role = Role(step.acting_role.value)
        window = window_of(qtbot, session_for, role)
        claim_and_open(window, number)
        if role is Role.BACK_OFFICE:
            back_office_extras(window, tmp_path)
        if role is Role.TIM_TEKNIS:
            field_inspection(window, tmp_path)
        if role is Role.KEPALA_DINAS:
            signed = sign(window)
        else:
            approve(window)
        shown = window.dossier.view
        assert shown is not None
        assert shown.record.state.version > view.record.state.version
        view = shown
        window.close()
    assert view.record.state.status is Status.ISSUED
    hand_over_and_survey(qtbot, session_for, number)
    return number, signed


def test_sop_68_and_76_go_through_every_back_office_screen_to_handover_and_survey(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    tmp_path: Path,
) -> None:
    admin = staff[Role.ADMIN]
    loket.documents.init_key(admin)
    for sop_number in (68, 76):
        number, signed = walk(qtbot, session_for, loket, staff, tmp_path, sop_number)
        record = loket.dossiers.show(admin, number).record
        assert record.state.status is Status.HANDED_OVER
        assert record.permit is not None
        actions = [e["action"] for e in loket.dossiers.audit_trail(admin, number)]
        for expected in ("register", "claim", "complete_step", "sign", "hand_over", "survey"):
            assert expected in actions, (sop_number, expected, actions)
        assert actions.count("claim") == len(
            [s for s in loket.catalog.get(sop_number).steps if s.no >= FIRST_BACK_OFFICE_STEP]
        )
        if sop_number == 76:
            for expected in ("attach", "inspection_scheduled", "inspection_recorded"):
                assert expected in actions, (expected, actions)
        pdf = tmp_path / f"permit-{sop_number}.pdf"
        pdf.write_bytes(signed)
        verified = [loket.documents.verify(text) for text in barcodes(pdf)]
        authentic = [v for v in verified if v.authentic]
        assert authentic, [v.reason for v in verified]
        assert authentic[0].fields["n"] == record.permit.number
        assert authentic[0].fields["d"] == number
        assert loket.back_office.steps.handover(admin, number) is not None
        rows = {
            r.number: r for r in loket.documents.register_rows(admin, RegisterQuery(sop=sop_number))
        }
        assert rows[number].permit_number == record.permit.number
        assert rows[number].status_code == Status.HANDED_OVER.value
    score = loket.back_office.survey.score(
        admin, loket.clock().replace(hour=0), loket.clock().replace(hour=23)
    )
    assert score[None].respondents == 2
