"""The bulk writer stores exactly what the normal path stores, and guards the audit chain."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite

from loket.domain.calendar import WIB
from loket.services.context import open_loket
from loket.services.users import SYSTEM
from loket.storage import models
from loket.storage.audit import canonical_json
from loket.storage.bulk import bulk_writing, reserve_counters
from loket.storage.database import DB_FILE_NAME
from loket.storage.rows import IdMaker, RowCodec, uuid7_text

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=WIB)
MOMENTS = (
    datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=7))),
    NOW,
)


def test_datetimes_are_stored_as_sqlalchemy_stores_them() -> None:
    process = models.Dossier.__table__.c.received_at.type._cached_bind_processor(sqlite.dialect())
    codec = RowCodec("sqlite")
    for moment in MOMENTS:
        stored, iso = codec.instant(moment)
        assert stored == process(moment)
        assert iso == moment.astimezone(UTC).isoformat()
    day = models.Permit.__table__.c.valid_until.type._cached_bind_processor(sqlite.dialect())
    assert codec.day(date(2031, 2, 28)) == day(date(2031, 2, 28))


def test_whole_seconds_from_epoch_match_the_general_path() -> None:
    codec, general = RowCodec("sqlite"), RowCodec("sqlite")
    for epoch in (0, 1_767_225_600, 1_767_225_600 + 86_399, int(NOW.timestamp())):
        moment, stored, iso = codec.at_second(epoch)
        assert moment == datetime.fromtimestamp(epoch, UTC)
        assert (stored, iso) == general.instant(moment)
        assert codec.instant(moment) == (stored, iso)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        RowCodec("sqlite").instant(datetime(2026, 1, 1))


def test_keys_are_uuid7_at_the_given_millisecond() -> None:
    maker = IdMaker(1)
    for ms in (0, 1_767_225_600_123, 2**48 - 1):
        made = {maker.at(ms) for _ in range(50)}
        assert len(made) == 50
        for text in [*made, uuid7_text(ms, 2**74 - 1), uuid7_text(ms, 0)]:
            key = uuid.UUID(text)
            assert key.version == 7 and key.variant == uuid.RFC_4122
            assert key.int >> 80 == ms
            assert str(key) == text


def test_canonical_json_is_sorted_compact_and_keeps_non_ascii() -> None:
    """The audit hash covers this text: its spelling must never drift."""
    for value in ({}, {"b": 1, "a": [None, True, 'é"\\']}, {"x": {"z": 1, "y": "ü"}}):
        expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert canonical_json(value) == expected


def test_rows_survive_a_pickle_round_trip_as_plain_values() -> None:
    codec = RowCodec("sqlite")
    event = codec.event(
        audit_id="a",
        at=codec.instant(NOW),
        user=("u", "demo.fo", "front_office"),
        action="register",
        entity="dossier",
        entity_id="SOP68/2026/FO1/000001",
        before="{}",
        after='{"x":"\\"q\\""}',
        op_id="o",
        tx_id="t",
        outbox_entity_id="d",
        base_version=0,
        payload="{}",
    )
    assert all(isinstance(part, str | int) for part in event)


def test_a_hash_that_differs_from_the_audit_module_is_refused(tmp_path: Path) -> None:
    loket = open_loket(data_dir=tmp_path, create=True, clock=lambda: NOW)
    try:
        codec = RowCodec("sqlite")
        good = codec.event(
            audit_id=IdMaker().at(1),
            at=codec.instant(NOW),
            user=(SYSTEM.id, SYSTEM.username, SYSTEM.role.value),
            action="note",
            entity="test",
            entity_id="x",
            before="{}",
            after="{}",
            op_id=IdMaker().at(1),
            tx_id=IdMaker().at(1),
            outbox_entity_id="x",
            base_version=0,
            payload="{}",
        )
        broken = (good[0].replace('"note"', '"nope"'), *good[1:])
        with (
            pytest.raises(RuntimeError, match="compute_hash"),
            bulk_writing(loket.storage) as writer,
        ):
            writer.add_event(broken)
        with bulk_writing(loket.storage) as writer:  # the right one goes in and chains
            writer.add_event(good)
        report = loket.audit.verify(SYSTEM)
        assert report.ok and report.checked == 1
        with sqlite3.connect(tmp_path / DB_FILE_NAME) as connection:
            assert connection.execute(
                "SELECT value FROM counters WHERE name='outbox'"
            ).fetchall() == [(1,)]
    finally:
        loket.close()


def test_reserved_numbers_are_skipped_by_everyone_else(tmp_path: Path) -> None:
    loket = open_loket(data_dir=tmp_path, create=True, clock=lambda: NOW)
    try:
        assert reserve_counters(loket.storage, {"dossier/SOP68/2026/FO1": 5, "x": 2}) == {
            "dossier/SOP68/2026/FO1": 0,
            "x": 0,
        }
        assert reserve_counters(loket.storage, {"x": 3}) == {"x": 2}
        with loket.storage.writing() as store:
            assert store.next_counter("dossier/SOP68/2026/FO1") == 6
            assert store.next_counter("x") == 6
    finally:
        loket.close()
