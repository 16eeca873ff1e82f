"""The dossier screen shows exactly the print buttons the core offers for the dossier."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.offered_documents import DossierDocument
from loket.services.users import User
from tests.services.test_offered_documents import CASES, Case
from tests.ui.conftest import SessionFactory
from ui.dossier import DossierPanel


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.make.__name__)
def test_the_panel_shows_the_offered_documents_only(
    qtbot: QtBot,
    loket: Loket,
    staff: dict[Role, User],
    session_for: SessionFactory,
    case: Case,
) -> None:
    panel = DossierPanel(session_for(Role.FRONT_OFFICE))
    qtbot.addWidget(panel)
    panel.show_view(case.make(loket, staff))
    shown = {d for d, b in panel.document_buttons.items() if b.isVisibleTo(panel)}
    assert shown == set(case.offered)
    assert set(panel.document_buttons) == set(DossierDocument)
    panel.show_view(None)
    assert not any(b.isVisibleTo(panel) for b in panel.document_buttons.values())
