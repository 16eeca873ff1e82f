"""Dates, times and numbers as the office writes them (``Senin, 23 November 2026 09.15 WIB``).

One place for these formats, so the CLI, the PDFs and the desktop agree.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from loket.domain.i18n import language

OFFICE_TZ = ZoneInfo("Asia/Jakarta")
TZ_LABEL = "WIB"


def _locale() -> str:
    return "id" if language() == "id" else "en"


def long_datetime(moment: datetime, tz: ZoneInfo = OFFICE_TZ) -> str:
    """``Senin, 23 November 2026 09.15 WIB``: the receipt's and the register's form."""
    pattern = "EEEE, d MMMM y HH.mm" if _locale() == "id" else "EEEE, d MMMM y HH:mm"
    return f"{format_datetime(moment, pattern, tzinfo=tz, locale=_locale())} {TZ_LABEL}"


def short_datetime(moment: datetime, tz: ZoneInfo = OFFICE_TZ) -> str:
    """``23-11-2026 09.15``: for tables, where a weekday is noise."""
    pattern = "dd-MM-y HH.mm" if _locale() == "id" else "dd-MM-y HH:mm"
    return format_datetime(moment, pattern, tzinfo=tz, locale=_locale())


def long_date(day: date) -> str:
    """``23 November 2026``."""
    return format_date(day, "d MMMM y", locale=_locale())


def number(value: float) -> str:
    """``1.234.567`` in Indonesian."""
    return format_decimal(value, locale=_locale())
