"""The permit is sealed once, when it is issued; every print carries that same payload."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from loket.documents.signing import payload_from_pdf
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.keys import SigningKeyMissing, SigningKeyUnreadable
from loket.services.users import SYSTEM, User
from tests.documents.support import pdf_text
from tests.services.support import issue, register


def stored_payload(loket: Loket, number: str) -> str:
    permit = loket.dossiers.show(SYSTEM, number).record.permit
    assert permit is not None
    return permit.payload


def test_a_permit_is_signed_when_it_is_issued(loket: Loket, staff: dict[Role, User]) -> None:
    loket.documents.init_key(SYSTEM)
    number = issue(loket, staff, register(loket, staff, 68)).record.number
    sealed = stored_payload(loket, number)
    assert sealed
    assert loket.documents.verify(sealed).authentic
    first = loket.documents.permit(staff[Role.KEPALA_DINAS], number)
    assert payload_from_pdf(first) == sealed


def test_prints_need_no_key_once_the_permit_is_sealed(
    loket: Loket, staff: dict[Role, User]
) -> None:
    loket.documents.init_key(SYSTEM)
    number = issue(loket, staff, register(loket, staff, 76)).record.number
    sealed = stored_payload(loket, number)
    loket.documents.keys.private_path.unlink()  # a Front Office PC without the office key
    reprint = loket.documents.permit(staff[Role.FRONT_OFFICE], number)
    assert payload_from_pdf(reprint) == sealed


def test_a_permit_issued_without_a_key_is_sealed_by_its_first_print(
    loket: Loket, staff: dict[Role, User]
) -> None:
    number = issue(loket, staff, register(loket, staff, 68)).record.number
    assert stored_payload(loket, number) == ""  # issued all the same
    with pytest.raises(SigningKeyMissing):
        loket.documents.permit(SYSTEM, number)
    loket.documents.init_key(SYSTEM)
    first = payload_from_pdf(loket.documents.permit(SYSTEM, number))
    assert first and first == stored_payload(loket, number)
    loket.documents.keys.private_path.unlink()
    assert payload_from_pdf(loket.documents.permit(SYSTEM, number)) == first


def test_a_damaged_key_neither_stops_the_signature_nor_the_checks(
    loket: Loket, staff: dict[Role, User]
) -> None:
    loket.documents.init_key(SYSTEM)
    good = loket.documents.keys.private_path.read_bytes()
    loket.documents.keys.private_path.write_bytes(b"garbage")
    number = issue(loket, staff, register(loket, staff, 68)).record.number
    assert stored_payload(loket, number) == ""  # issued, unsealed
    with pytest.raises(SigningKeyUnreadable):
        loket.documents.permit(SYSTEM, number)
    loket.documents.keys.private_path.write_bytes(good)
    sealed = payload_from_pdf(loket.documents.permit(SYSTEM, number))
    assert sealed and sealed == stored_payload(loket, number)
    loket.documents.keys.private_path.write_bytes(b"garbage")
    assert loket.documents.verify(sealed).authentic  # the exported public key still counts


def test_the_first_seal_stands_and_the_page_shows_what_was_signed(
    loket: Loket, staff: dict[Role, User]
) -> None:
    number = issue(loket, staff, register(loket, staff, 68)).record.number
    loket.documents.init_key(SYSTEM)
    first = loket.documents.permit(SYSTEM, number)
    view = loket.dossiers.show(SYSTEM, number)
    assert view.record.permit is not None
    with loket.storage.writing() as store:  # a second PC's seal arrives later: refused
        kept = store.seal_permit(view.record.id, "another PC's payload")
    assert kept == payload_from_pdf(first)
    fields = json.loads(kept)["f"]
    assert fields["h"] in " ".join(pdf_text(first).split())


def test_a_reprint_shows_the_head_who_signed_not_todays(
    loket: Loket, staff: dict[Role, User]
) -> None:
    """The seal names the signer: a new Kepala Dinas does not sign old permits again."""
    loket.documents.init_key(SYSTEM)
    admin = staff[Role.ADMIN]
    then = replace(
        loket.office.office(),
        head_name="Drs. Lama Menjabat, M.Si.",
        head_nip="196801011990031001",
        head_rank="Pembina Utama Muda (IV/c)",
    )
    loket.office.save(admin, then)
    number = issue(loket, staff, register(loket, staff, 68)).record.number
    verified = loket.documents.verify(stored_payload(loket, number))
    assert verified.authentic
    assert verified.named_fields()["signer"] == "Drs. Lama Menjabat, M.Si."
    loket.office.save(admin, replace(then, head_name="Dr. Baru Dilantik", head_nip=""))
    reprint = " ".join(pdf_text(loket.documents.permit(staff[Role.FRONT_OFFICE], number)).split())
    assert "Drs. Lama Menjabat, M.Si." in reprint and "NIP. 196801011990031001" in reprint
    assert "Dr. Baru Dilantik" not in reprint
