"""Keys: UUIDv7, stamped with the millisecond, increasing within a process."""

from __future__ import annotations

import time
import uuid

import pytest

from loket.storage import ids
from loket.storage.ids import new_id

MS = 1_796_000_000_000  # a millisecond in November 2026


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if no key was made yet: the keys of earlier tests carry today's clock."""
    monkeypatch.setattr(ids, "_last", [0, 0])


def _parts(key: str) -> tuple[int, int]:
    value = uuid.UUID(key)
    assert value.version == 7 and value.variant == uuid.RFC_4122
    return value.int >> 80, value.int


def test_keys_of_one_millisecond_keep_the_order_they_were_made_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ids.time, "time_ns", lambda: MS * 1_000_000)
    made = [new_id() for _ in range(1000)]
    assert made == sorted(made) and len(set(made)) == len(made)
    assert {_parts(k)[0] for k in made} == {MS}


def test_a_clock_stepping_back_does_not_make_keys_go_back(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [MS + 5]
    monkeypatch.setattr(ids.time, "time_ns", lambda: now[0] * 1_000_000)
    first = new_id()
    now[0] = MS  # the PC's clock was corrected backwards
    later = new_id()
    assert later > first and _parts(later)[0] == MS + 5


def test_a_millisecond_that_runs_out_of_random_space_moves_to_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ids.time, "time_ns", lambda: MS * 1_000_000)
    new_id()
    monkeypatch.setattr(ids, "_last", [MS, (1 << 74) - 1])
    key = new_id()
    assert _parts(key)[0] == MS + 1


def test_keys_carry_the_present_millisecond() -> None:
    before = time.time_ns() // 1_000_000
    key = new_id()
    assert before <= _parts(key)[0] <= time.time_ns() // 1_000_000 + 1
