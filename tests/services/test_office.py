"""The office's identity: defaults, first-run detection, validation, audit."""

from __future__ import annotations

import pytest

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import InvalidInput, PermissionDenied
from loket.services.office import MAX_FIELD, Office
from loket.services.users import User


def test_unconfigured_office_reads_landak_defaults(loket: Loket) -> None:
    assert not loket.office.is_configured()
    assert loket.office.office().short_name == "DPMPTSP-TK"


def test_admin_saves_the_office_cleaned_and_audited(loket: Loket, staff: dict[Role, User]) -> None:
    saved = loket.office.save(
        staff[Role.ADMIN],
        Office(head_name="  Drs.  Yohanes   Nenes ", head_nip="19700101 199803 1 005"),
    )
    assert saved.head_name == "Drs. Yohanes Nenes"
    assert saved.head_nip == "197001011998031005"
    assert loket.office.is_configured()
    assert loket.office.office() == saved
    with loket.storage.reading() as store:
        actions = [entry.action for entry in store.audit_trail("office")]
    assert actions == ["office_update"]


@pytest.mark.parametrize(
    ("office", "message"),
    [
        (Office(name=" "), "Nama kantor"),
        (Office(head_nip="123"), "NIP"),
        (Office(address="x" * (MAX_FIELD + 1)), "terlalu panjang"),
    ],
)
def test_bad_office_input_is_refused_in_indonesian(
    loket: Loket, staff: dict[Role, User], office: Office, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        loket.office.save(staff[Role.ADMIN], office)
    assert not loket.office.is_configured()


def test_only_an_admin_changes_the_office(loket: Loket, staff: dict[Role, User]) -> None:
    with pytest.raises(PermissionDenied):
        loket.office.save(staff[Role.FRONT_OFFICE], Office())


def test_an_older_or_newer_setting_still_reads() -> None:
    assert Office.from_json({"name": "X", "future_field": 1}).name == "X"
    assert Office.from_json(None) == Office()
