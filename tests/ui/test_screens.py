"""The other paths a person takes: a returned file, a scan, roles, drafts, bad input, printing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from tests.services.support import drive, register
from tests.ui.conftest import SessionFactory
from tests.ui.support import (
    Keyboard,
    barcodes,
    next_page,
    open_window,
    print_receipt,
    walk_counter_steps,
)
from ui.app import run
from ui.documents import Kind
from ui.dossier import DossierPanel
from ui.intake import IntakeWizard
from ui.mainwindow import MainWindow
from ui.preview import OUTPUT_FILE_KEY, PRINTER_KEY, PreviewDialog
from ui.printing import PrintFailed, PrintTarget, send_pdf
from ui.search import SearchPanel


def test_incomplete_files_end_in_a_return_slip_and_a_returned_dossier(
    qtbot: QtBot,
    session_for: SessionFactory,
    loket: Loket,
    staff: dict[Role, User],
    printed_file: Path,
) -> None:
    window = open_window(qtbot, session_for)
    keys = Keyboard(qtbot)
    walk_counter_steps(window, keys, "68")
    wizard = window.intake
    assert wizard is not None
    keys.type(wizard.applicant_page.name.editor, "Maria Ani")
    keys.type(wizard.applicant_page.nik.editor, "6108015203900002")
    next_page(keys)
    next_page(keys)  # no business
    next_page(keys)  # nothing ticked: incomplete
    next_page(keys)
    preview = window.preview
    assert preview is not None
    assert preview.kind is Kind.RETURN_SLIP
    number = print_receipt(qtbot, window, keys, printed_file)
    record = loket.dossiers.show(staff[Role.FRONT_OFFICE], number).record
    assert record.state.status is Status.RETURNED
    assert window.dossier.resume_button.isVisible()
    assert printed_file.stat().st_size > 0


def test_a_scanned_number_opens_its_dossier(
    qtbot: QtBot, session_for: SessionFactory, loket: Loket, staff: dict[Role, User]
) -> None:
    view = register(loket, staff)
    window = open_window(qtbot, session_for)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_F3)
    assert window.stack.currentWidget() is window.search
    keys.type(window.search.line, view.record.number.lower())  # scanners may send lower case
    keys.press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.dossier
    shown = window.dossier.view
    assert shown is not None
    assert shown.record.number == view.record.number
    assert window.dossier.timeline.rowCount() == len(view.record.state.visits)
    assert window.dossier.audit.rowCount() >= 1


def test_search_as_you_type_keeps_only_the_newest_answer(
    qtbot: QtBot, session_for: SessionFactory, loket: Loket, staff: dict[Role, User]
) -> None:
    register(loket, staff)
    panel = SearchPanel(session_for(Role.FRONT_OFFICE))
    qtbot.addWidget(panel)
    panel.line.setText("Yoh")
    panel.search_now()
    first = panel.model.rows()
    assert [s.applicant for s in first] == ["Yohanes Dadi"]
    panel.line.setText("Zzz")
    panel.search_now()
    assert panel.model.rowCount() == 0
    panel._show(1, first)  # a late answer to an older keystroke
    assert panel.model.rowCount() == 0


def test_front_office_cannot_reach_signing_but_the_head_can(
    qtbot: QtBot, session_for: SessionFactory, loket: Loket, staff: dict[Role, User]
) -> None:
    view = drive(loket, staff, register(loket, staff), 9)  # at the signing step
    clerk = DossierPanel(session_for(Role.FRONT_OFFICE))
    qtbot.addWidget(clerk)
    clerk.show()
    clerk.show_view(view)
    assert not clerk.step_panel.sign_button.isVisible()
    clerk.step_panel.sign()  # even called directly, a clerk's click signs nothing
    assert loket.dossiers.show(staff[Role.FRONT_OFFICE], view.record.number).record.permit is None
    head = DossierPanel(session_for(Role.KEPALA_DINAS))
    qtbot.addWidget(head)
    head.show()
    head.show_view(view)
    assert head.step_panel.sign_button.isVisible()
    head.step_panel.sign()
    signed = loket.dossiers.show(staff[Role.KEPALA_DINAS], view.record.number).record
    assert signed.permit is not None
    assert signed.state.status is Status.ISSUED


def test_a_front_office_window_offers_no_user_admin(
    qtbot: QtBot, session_for: SessionFactory
) -> None:
    window = open_window(qtbot, session_for)
    assert window.users is None
    assert not window.users_action.isEnabled()


def test_typed_data_survives_a_closed_window_as_a_draft(
    qtbot: QtBot, session_for: SessionFactory
) -> None:
    session = session_for(Role.FRONT_OFFICE)
    wizard = IntakeWizard(session)
    qtbot.addWidget(wizard)
    wizard.sop_page.select(76)
    wizard.next()
    while wizard.current() is not wizard.applicant_page:
        wizard.next()
    wizard.applicant_page.name.set_text("Maria Ani")
    wizard.applicant_page.nik.set_text("6108015203900002")
    wizard.applicant_page.phone.set_text("0812 1111 2222")
    wizard.next()
    wizard.close()
    again = IntakeWizard(session)
    qtbot.addWidget(again)
    assert again.draft_bar.isVisibleTo(again)
    again.resume_draft()
    assert again.sop is not None
    assert again.sop.number == 76
    assert again.current() is again.business_page
    assert again.applicant_page.name.text() == "Maria Ani"
    assert again.applicant_page.phone.text() == "0812 1111 2222"


def test_an_invalid_nik_blocks_only_its_own_page_with_the_reason_beside_it(
    qtbot: QtBot, session_for: SessionFactory
) -> None:
    wizard = IntakeWizard(session_for(Role.FRONT_OFFICE))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    while wizard.current() is not wizard.applicant_page:
        wizard.next()  # the SOP's own steps pass: nothing on them is wrong
    page = wizard.applicant_page
    page.name.set_text("Yohanes Dadi")
    qtbot.keyClicks(page.nik.editor, "61080112038")
    wizard.next()
    assert wizard.current() is page
    assert page.nik.message.isVisible()
    assert "16 digit" in page.nik.message.text()
    assert not page.name.message.isVisible()
    qtbot.keyClicks(page.nik.editor, "50001")
    assert not page.nik.message.isVisible()
    wizard.next()
    assert wizard.current() is wizard.business_page


def test_a_missing_printer_is_a_clear_message_and_the_dossier_stays(
    qtbot: QtBot, session_for: SessionFactory, loket: Loket, staff: dict[Role, User]
) -> None:
    view = register(loket, staff)
    session = session_for(Role.FRONT_OFFICE)
    session.station.put(OUTPUT_FILE_KEY, "")
    session.station.put(PRINTER_KEY, "Printer-Loket-Hilang")
    dialog = PreviewDialog(session, Kind.RECEIPT, view.record.number)
    qtbot.addWidget(dialog)
    dialog.print_now()
    assert "Printer-Loket-Hilang" in dialog.message.text()
    assert "tidak ditemukan" in dialog.message.text()
    assert loket.dossiers.show(staff[Role.FRONT_OFFICE], view.record.number).record.number


def test_send_pdf_prints_a_receipt_at_its_own_page_size(
    tmp_path: Path, loket: Loket, staff: dict[Role, User]
) -> None:
    from loket.services.documents import PageFormat

    view = register(loket, staff)
    pdf = loket.documents.receipt(
        staff[Role.FRONT_OFFICE], view.record.number, page=PageFormat.ROLL_80
    )
    target = tmp_path / "roll.pdf"
    printed = send_pdf(pdf, PrintTarget(output_file=target))
    assert printed.pages >= 1
    assert view.record.number in barcodes(target)
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(target.read_bytes())
    width, _height = document[0].get_size()
    document.close()
    assert width == pytest.approx(80 / 25.4 * 72, abs=1.5)
    with pytest.raises(PrintFailed, match="tidak ditemukan"):
        send_pdf(pdf, PrintTarget(printer_name="Tidak-Ada"))
    with pytest.raises(PrintFailed, match="tidak dapat dibaca"):
        send_pdf(b"bukan pdf", PrintTarget(output_file=target))


def test_smoke_test_opens_every_screen_and_exits_zero(qtbot: QtBot) -> None:
    assert run(["--smoke-test"]) == 0


def test_after_a_crash_the_main_window_offers_the_draft_back(
    qtbot: QtBot, session_for: SessionFactory
) -> None:
    from loket.services.drafts import Draft

    session = session_for(Role.FRONT_OFFICE)
    session.drafts.save(session.user.id, Draft(68, {"pemohon.nama": "Maria Ani"}, page=5))
    window = MainWindow(session)
    qtbot.addWidget(window)
    intake = window.intake
    assert intake is not None
    assert window.stack.currentWidget() is intake
    assert intake.draft_bar.isVisibleTo(window)
    assert "Maria Ani" in intake.draft_label.text()
    intake.resume_draft()
    assert intake.applicant_page.name.text() == "Maria Ani"


def test_a_returned_dossier_resumes_when_the_applicant_brings_the_rest(
    qtbot: QtBot, session_for: SessionFactory, loket: Loket, staff: dict[Role, User]
) -> None:
    returned = register(loket, staff, received=frozenset({"formulir"}))
    assert returned.record.state.status is Status.RETURNED
    panel = DossierPanel(session_for(Role.FRONT_OFFICE))
    qtbot.addWidget(panel)
    panel.show()
    panel.show_view(returned)
    assert panel.resume_button.isVisible()
    assert panel.slip_button.isVisible()
    for row in range(panel.checklist.count()):
        panel.checklist.item(row).setCheckState(Qt.CheckState.Checked)
    panel.resume()
    record = loket.dossiers.show(staff[Role.FRONT_OFFICE], returned.record.number).record
    assert record.state.status is Status.IN_PROGRESS
    assert all(item.received for item in record.checklist)
    assert panel.message.text() == "Tersimpan."
