"""The audit chain notices an edited, deleted or truncated entry, and an edited head."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import timedelta

import pytest
from sqlalchemy import text

from loket.storage import audit
from loket.storage.database import Database
from loket.storage.store import Storage
from tests.storage.support import AUDITOR, T0

N = 12
K = 5


def append(database: Database, n: int) -> None:
    with Storage(database).writing() as store:
        for i in range(n):
            store.audit(
                at=T0 + timedelta(minutes=i),
                user=AUDITOR,
                action="test",
                entity="dossier",
                entity_id=f"SOP68/2025/FO1/{i:06d}",
                before={"status": "in_progress", "step": i},
                after={"status": "in_progress", "step": i + 1, "catatan": "berkas lengkap ✓"},
            )


def verify(database: Database) -> audit.AuditReport:
    with database.read() as connection:
        return audit.verify(connection)


def tamper(database: Database, sql: str, **params: object) -> None:
    with database.write() as connection:
        connection.execute(text(sql), params)


@pytest.fixture
def chain(database: Database) -> Database:
    append(database, N)
    report = verify(database)
    assert report.ok, report.problem
    assert report.checked == N
    return database


def test_an_empty_database_verifies(database: Database) -> None:
    assert verify(database) == audit.AuditReport(0, None)


def test_appends_chain_and_head_follows(chain: Database) -> None:
    with chain.read() as connection:
        records = list(audit.entries(connection))
        head = connection.execute(text("SELECT seq, hash FROM audit_head")).one()
    assert [r.seq for r in records] == list(range(1, N + 1))
    assert records[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    assert all(r.compute_hash() == r.hash for r in records)
    assert tuple(head) == (N, records[-1].hash)
    assert records[0].at == T0
    # Appending in a later transaction continues the same chain.
    append(chain, 3)
    assert verify(chain) == audit.AuditReport(N + 3, None)


def test_entries_of_one_entity(chain: Database) -> None:
    with chain.read() as connection:
        mine = list(audit.entries(connection, "SOP68/2025/FO1/000003"))
    assert [r.seq for r in mine] == [4]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("after", '{"status":"issued"}'),
        ("before", "{}"),
        ("username", "orang_lain"),
        ("role", "kepala_dinas"),
        ("action", "sign"),
        ("entity_id", "SOP68/2025/FO1/999999"),
        ("user_id", "someone-else"),
        ("at", "2024-01-01 00:00:00.000000"),
    ],
)
def test_an_altered_field_names_its_entry(chain: Database, column: str, value: str) -> None:
    tamper(chain, f"UPDATE audit_log SET {column} = :value WHERE seq = :k", value=value, k=K)
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.seq == K
    assert report.checked == K - 1
    assert report.problem.message.startswith(f"Entri audit {K} telah diubah")


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(chain: Database) -> None:
    with chain.read() as connection:
        record = next(r for r in audit.entries(connection) if r.seq == K)
    forged = dataclasses.replace(record, after='{"status":"issued"}', hash="")
    tamper(
        chain,
        "UPDATE audit_log SET after = :after, hash = :hash WHERE seq = :k",
        after=forged.after,
        hash=forged.compute_hash(),
        k=K,
    )
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.seq == K + 1
    assert report.problem.message == (
        f"Entri audit {K + 1} tidak tersambung dengan entri sebelumnya."
    )


def test_a_deleted_entry_is_named_missing(chain: Database) -> None:
    tamper(chain, "DELETE FROM audit_log WHERE seq = :k", k=K)
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.seq == K
    assert report.problem.message == f"Entri audit {K} hilang (berikutnya yang ada: {K + 1})."


def test_a_deleted_first_entry_is_named_missing(chain: Database) -> None:
    tamper(chain, "DELETE FROM audit_log WHERE seq = 1")
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.seq == 1


def test_a_truncated_tail_is_found_through_the_head(chain: Database) -> None:
    tamper(chain, "DELETE FROM audit_log WHERE seq = :n", n=N)
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.seq == N
    assert report.checked == N - 1
    assert report.problem.message == (
        f"Entri audit terakhir ({N}) hilang (kepala rantai menunjuk entri {N})."
    )


def test_a_longer_truncated_tail_names_the_range(chain: Database) -> None:
    tamper(chain, "DELETE FROM audit_log WHERE seq > :k", k=K)
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.seq == K + 1
    assert report.problem.message == (
        f"Entri audit {K + 1} sampai {N} hilang (kepala rantai menunjuk entri {N})."
    )


def test_an_altered_head_hash_is_found(chain: Database) -> None:
    tamper(chain, "UPDATE audit_head SET hash = :h", h="f" * 64)
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.seq == N
    assert report.problem.message == (
        f"Kepala rantai audit tidak cocok dengan entri {N}: kepala rantai atau entri "
        "terakhir telah diubah."
    )


def test_a_head_moved_back_is_found(chain: Database) -> None:
    """head_seq < entries: nothing is missing, so the message must not say so."""
    with chain.read() as connection:
        earlier = next(r for r in audit.entries(connection) if r.seq == K)
    tamper(chain, "UPDATE audit_head SET seq = :k, hash = :h", k=K, h=earlier.hash)
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.seq == K + 1
    assert "hilang" not in report.problem.message
    assert report.problem.message == (
        f"Kepala rantai audit menunjuk entri {K}, padahal rantai berisi {N} entri: kepala "
        f"rantai telah diubah, atau entri sesudah {K} ditambahkan di luar Loket."
    )


def test_a_deleted_head_is_found(chain: Database) -> None:
    tamper(chain, "DELETE FROM audit_head")
    report = verify(chain)
    assert report.problem is not None
    assert report.problem.message == f"Kepala rantai audit hilang, padahal ada {N} entri audit."


def test_a_tail_cut_with_the_head_rewound_is_beyond_the_chain(chain: Database) -> None:
    """The documented limit: dropping the tail *and* rewinding the head consistently.

    Only an anchor kept outside the database (a printed or synced head) would
    catch it; the chain itself stays sound, so verify must still say OK.
    """
    with chain.read() as connection:
        earlier = next(r for r in audit.entries(connection) if r.seq == K)
    tamper(chain, "DELETE FROM audit_log WHERE seq > :k", k=K)
    tamper(chain, "UPDATE audit_head SET seq = :k, hash = :h", k=K, h=earlier.hash)
    assert verify(chain) == audit.AuditReport(K, None)
