"""Dossier and permit numbers from office-configurable patterns.

Patterns are Python format strings with named fields, so the office's IT
person can change them in settings without code: dossier numbers default to
``SOP68/2026/FO1/000123`` (unique per station: stations never share a
counter), permit numbers to ``503/0001/IUP-BKL/DPMPTSP-TK/2026`` (gapless per
office per year, issued at signing).
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass

from loket.domain.i18n import _

DEFAULT_DOSSIER_PATTERN = "{sop}/{year}/{station}/{seq:06d}"
DEFAULT_PERMIT_PATTERN = "503/{seq:04d}/{code}/DPMPTSP-TK/{year}"

DOSSIER_FIELDS = frozenset({"sop", "year", "station", "seq", "month"})
PERMIT_FIELDS = frozenset({"code", "year", "seq", "month", "roman_month", "sop"})
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
MAX_NUMBER_CHARS = 64


class PatternError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class NumberPattern:
    pattern: str
    allowed: frozenset[str]

    def __post_init__(self) -> None:
        try:
            names = {name for _t, name, _s, _c in string.Formatter().parse(self.pattern) if name}
        except ValueError as exc:
            raise PatternError(
                _("Pola nomor tidak sah: {pattern}").format(pattern=self.pattern)
            ) from exc
        unknown = names - self.allowed
        if unknown:
            raise PatternError(
                _("Pola nomor memakai kolom tak dikenal: {fields} (boleh: {allowed})").format(
                    fields=", ".join(sorted(unknown)), allowed=", ".join(sorted(self.allowed))
                )
            )
        if "seq" not in names:
            raise PatternError(_("Pola nomor harus memuat {seq} agar setiap nomor unik."))

    def render(self, **fields: object) -> str:
        number = self.pattern.format(**fields)
        if len(number) > MAX_NUMBER_CHARS:
            raise PatternError(_("Nomor yang dihasilkan terlalu panjang."))
        return number


# Parsed once per text: every registration and every signing renders a number.
@functools.lru_cache(maxsize=16)
def dossier_pattern(pattern: str = DEFAULT_DOSSIER_PATTERN) -> NumberPattern:
    return NumberPattern(pattern, DOSSIER_FIELDS)


@functools.lru_cache(maxsize=16)
def permit_pattern(pattern: str = DEFAULT_PERMIT_PATTERN) -> NumberPattern:
    return NumberPattern(pattern, PERMIT_FIELDS)


def dossier_counter_name(sop_key: str, year: int, station: str) -> str:
    return f"dossier/{sop_key}/{year}/{station}"


def permit_counter_name(year: int) -> str:
    """One gapless sequence per office per year, whatever the permit type."""
    return f"permit/{year}"


def roman_month(month: int) -> str:
    return ROMAN_MONTHS[month - 1]
