"""Which documents a dossier offers, for every status, on dossiers driven there for real.

Each offered document is also made by the documents service: the screen never offers
a print the service would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.dossiers import DossierView
from loket.services.offered_documents import DossierDocument, offered_documents
from loket.services.users import User
from loket.workflow import Action, Command
from tests.services.support import drive, every_requirement, issue, register

FO = Role.FRONT_OFFICE
REASON = "Alasan yang dicatat"
Staff = dict[Role, User]


def _incomplete(loket: Loket, staff: Staff) -> DossierView:
    """Registered without the application form: returned to the applicant at once."""
    received = every_requirement(loket, 68) - {"formulir"}
    return register(loket, staff, received=received)


def _act(loket: Loket, user: User, view: DossierView, command: Command) -> DossierView:
    return loket.dossiers.act(user, view.record.number, command)


def in_progress(loket: Loket, staff: Staff) -> DossierView:
    return register(loket, staff)


def returned_incomplete(loket: Loket, staff: Staff) -> DossierView:
    return _incomplete(loket, staff)


def returned_complete(loket: Loket, staff: Staff) -> DossierView:
    """Files complete, returned from data entry for another reason."""
    view = drive(loket, staff, register(loket, staff, 76), 6)
    return _act(loket, staff[FO], view, Command(Action.RETURN_FILES, reason=REASON))


def resumed(loket: Loket, staff: Staff) -> DossierView:
    """Returned incomplete, then the applicant brought the missing form."""
    view = _incomplete(loket, staff)
    received = {item.key: True for item in view.record.checklist}
    return loket.dossiers.act(
        staff[FO], view.record.number, Command(Action.RESUME), received=received
    )


def rejected(loket: Loket, staff: Staff) -> DossierView:
    view = drive(loket, staff, register(loket, staff), 8)
    return _act(loket, staff[Role.KABID_PERIZINAN], view, Command(Action.REJECT, reason=REASON))


def cancelled(loket: Loket, staff: Staff) -> DossierView:
    view = drive(loket, staff, register(loket, staff), 7)
    return _act(loket, staff[FO], view, Command(Action.CANCEL, reason=REASON))


def cancelled_while_returned(loket: Loket, staff: Staff) -> DossierView:
    view = _incomplete(loket, staff)
    return _act(loket, staff[FO], view, Command(Action.CANCEL, reason=REASON))


def issued(loket: Loket, staff: Staff) -> DossierView:
    return issue(loket, staff, register(loket, staff, 76))


def handed_over(loket: Loket, staff: Staff) -> DossierView:
    view = issue(loket, staff, register(loket, staff, 76))
    return _act(loket, staff[FO], view, Command(Action.HAND_OVER))


@dataclass(frozen=True)
class Case:
    make: Callable[[Loket, Staff], DossierView]
    status: Status
    offered: tuple[DossierDocument, ...]


R, S, P, L = (
    DossierDocument.RECEIPT,
    DossierDocument.RETURN_SLIP,
    DossierDocument.PERMIT,
    DossierDocument.REJECTION_LETTER,
)
CASES = (
    Case(in_progress, Status.IN_PROGRESS, (R,)),
    Case(resumed, Status.IN_PROGRESS, (R,)),
    Case(returned_incomplete, Status.RETURNED, (S,)),
    Case(returned_complete, Status.RETURNED, (R,)),
    Case(rejected, Status.REJECTED, (R, L)),
    Case(cancelled, Status.CANCELLED, (R,)),
    Case(cancelled_while_returned, Status.CANCELLED, ()),
    Case(issued, Status.ISSUED, (R, P)),
    Case(handed_over, Status.HANDED_OVER, (R, P)),
)


def test_every_status_has_a_case() -> None:
    assert {case.status for case in CASES} == set(Status)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.make.__name__)
def test_offered_documents_by_status(loket: Loket, staff: Staff, case: Case) -> None:
    view = case.make(loket, staff)
    assert view.record.state.status is case.status
    assert offered_documents(view) == case.offered


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.make.__name__)
def test_every_offered_document_is_made_by_the_service(
    loket: Loket, staff: Staff, case: Case
) -> None:
    view = case.make(loket, staff)
    documents, number, clerk = loket.documents, view.record.number, staff[FO]
    documents.init_key(staff[Role.ADMIN])  # the permit is signed with the office's key
    makers: dict[DossierDocument, Callable[[], bytes]] = {
        R: lambda: documents.receipt(clerk, number),
        S: lambda: documents.return_slip(clerk, number),
        P: lambda: documents.permit(clerk, number),
        L: lambda: documents.rejection_letter(staff[Role.KABID_PERIZINAN], number),
    }
    for document in offered_documents(view):
        assert makers[document]().startswith(b"%PDF"), document
