"""Whole dossiers read in a batch are the dossiers read one by one."""

from __future__ import annotations

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from tests.services.support import company, issue, register


def test_a_batch_read_equals_single_reads_in_the_order_asked(
    loket: Loket, staff: dict[Role, User]
) -> None:
    plain = register(loket, staff)
    returned = register(loket, staff, received=frozenset())
    firm = register(loket, staff, 76, applicant=company(), business=None)
    issued = issue(loket, staff, register(loket, staff))
    numbers = [issued.record.number, "TIDAK/ADA", plain.record.number, firm.record.number]
    numbers.append(returned.record.number)
    with loket.storage.reading() as store:
        batch = store.dossiers_by_number(numbers)
        singles = [store.dossier(n) for n in numbers if n != "TIDAK/ADA"]
        assert store.dossiers_by_number(["TIDAK/ADA"]) == []
    assert batch == singles
    # Against records that were not read through the batch: register() builds its
    # record from what it wrote, and the issued one was read after signing.
    assert batch == [issued.record, plain.record, firm.record, returned.record]
    assert batch[0].permit is not None
    assert batch[2].business is None
