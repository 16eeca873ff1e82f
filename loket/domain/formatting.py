"""Dates, times and numbers as the office writes them (``Senin, 23 November 2026 09.15 WIB``).

One place for these formats, so the CLI, the PDFs and the desktop agree.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from loket.domain.i18n import _, language

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


def decimal(value: float, places: int) -> str:
    """``2,99`` in Indonesian: always ``places`` digits after the comma."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=_locale())


def percent(share: float, places: int = 1) -> str:
    """``88,1%`` for a share of 0.881."""
    return decimal(100 * share, places) + "%"


def duration(seconds: float) -> str:
    """``3 hari 4 jam``, ``5 jam 20 menit``, ``12 menit``: a span a person reads at a glance.

    Queues show how late a dossier is; "8189:37:42" says the same as "341 hari 5 jam"
    but nobody reads it. Seconds below a minute round down to ``0 menit``.
    """
    minutes = max(int(seconds), 0) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("{days} hari {hours} jam").format(days=days, hours=hours)
    if hours:
        return _("{hours} jam {minutes} menit").format(hours=hours, minutes=minutes)
    return _("{minutes} menit").format(minutes=minutes)
