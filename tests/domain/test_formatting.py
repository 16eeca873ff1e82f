"""Dates and numbers as the office writes them, in Indonesian and in English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from loket.domain.formatting import (
    decimal,
    duration,
    long_date,
    long_datetime,
    number,
    percent,
    short_datetime,
)
from loket.domain.i18n import set_language

# 02:15 UTC is 09:15 in Landak (WIB, UTC+7).
MOMENT = datetime(2026, 11, 23, 2, 15, tzinfo=UTC)


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    try:
        yield
    finally:
        set_language("id")


def test_indonesian_forms() -> None:
    assert long_datetime(MOMENT) == "Senin, 23 November 2026 09.15 WIB"
    assert short_datetime(MOMENT) == "23-11-2026 09.15"
    assert long_date(date(2026, 8, 17)) == "17 Agustus 2026"
    assert number(1234567) == "1.234.567"
    assert number(2.5) == "2,5"


@pytest.mark.usefixtures("english")
def test_english_forms() -> None:
    assert long_datetime(MOMENT) == "Monday, 23 November 2026 09:15 WIB"
    assert short_datetime(MOMENT) == "23-11-2026 09:15"
    assert long_date(date(2026, 8, 17)) == "17 August 2026"
    assert number(1234567) == "1,234,567"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (8189 * 3600 + 37 * 60 + 42, "341 hari 5 jam"),
        (5 * 3600 + 20 * 60 + 59, "5 jam 20 menit"),
        (12 * 60 + 30, "12 menit"),
        (-5, "0 menit"),
    ],
)
def test_a_duration_reads_at_a_glance(seconds: float, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.usefixtures("english")
def test_a_duration_in_english() -> None:
    assert duration(2 * 86400 + 3600) == "2 d 1 h"


def test_an_unknown_language_is_refused_and_the_current_one_kept() -> None:
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        set_language("fr")
    assert number(1234567) == "1.234.567"


def test_decimals_and_shares_are_written_the_indonesian_way() -> None:
    assert decimal(1234.5, 2) == "1.234,50"
    assert decimal(2.994, 0) == "3"
    assert percent(0.881) == "88,1%"
    assert percent(1.0, 0) == "100%"


@pytest.mark.usefixtures("english")
def test_decimals_in_english() -> None:
    assert decimal(1234.5, 2) == "1,234.50"
    assert percent(0.881) == "88.1%"
