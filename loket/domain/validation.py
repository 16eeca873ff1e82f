"""Checks for the identity and contact numbers a counter clerk types in.

Validators return a list of :class:`Problem` instead of raising, so that a form
can show every problem at once and a mere warning (a doubtful NPWP check digit,
a NIK that disagrees with the typed birth date) never blocks the clerk. An empty
value is never a problem here: whether a field must be filled is the caller's
decision, made with :func:`required`.

Every input is treated as hostile: its length is checked before anything else
touches it, so a pasted 10 MB string costs nothing.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from loket.domain.i18n import _

__all__ = [
    "MAX_EMAIL_LENGTH",
    "MAX_INPUT_LENGTH",
    "PROVINCE_CODES",
    "NikInfo",
    "Problem",
    "Severity",
    "check_nik_consistency",
    "digits_only",
    "format_npwp",
    "is_valid",
    "nik_info",
    "normalize_npwp",
    "normalize_phone",
    "required",
    "validate_email",
    "validate_nib",
    "validate_nik",
    "validate_npwp",
    "validate_phone",
]

# Far above any legitimate value (an e-mail address is at most 254), far below harm.
MAX_INPUT_LENGTH = 256
MAX_EMAIL_LENGTH = 254

NIK_LENGTH = 16
NIB_LENGTH = 13
NPWP_LEGACY_LENGTH = 15
NPWP_LENGTH = 16
WOMAN_DAY_OFFSET = 40

# Kemendagri province codes, including the 2022 Papua splits (92-96).
PROVINCE_CODES = frozenset(
    f"{code:02d}"
    for code in (
        *range(11, 20),
        21,
        *range(31, 37),
        *range(51, 54),
        *range(61, 66),
        *range(71, 77),
        81,
        82,
        *range(91, 97),
    )
)

_NON_DIGITS = re.compile(r"[^0-9]")
_NPWP_CHARS = re.compile(r"[0-9. -]+")
_PHONE_CHARS = re.compile(r"\+?[0-9 .()/-]+")

_MAX_SEX_LENGTH = 32
_SEX_ALIASES = {
    "L": "L",
    "LAKI-LAKI": "L",
    "LAKI LAKI": "L",
    "PRIA": "L",
    "P": "P",
    "PEREMPUAN": "P",
    "WANITA": "P",
}


class Severity(enum.StrEnum):
    """An ERROR blocks saving; a WARNING is shown and may be ignored."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    code: str
    message: str
    severity: Severity = Severity.ERROR


@dataclass(frozen=True, slots=True)
class NikInfo:
    """What a NIK tells about its holder (region of first registration, birth, sex)."""

    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    serial: str

    @property
    def region_code(self) -> str:
        """The Kemendagri district code, e.g. ``61.08.01``."""
        return f"{self.province_code}.{self.regency_code}.{self.district_code}"


# --- shared ---------------------------------------------------------------


def is_valid(problems: list[Problem]) -> bool:
    """True when nothing blocks: warnings alone do not make a value invalid."""
    return not any(p.severity is Severity.ERROR for p in problems)


def required(value: str | None, *, field: str) -> list[Problem]:
    """The one place where an empty value is a problem."""
    if value is None or not value.strip():
        return [Problem(field, "required", _("Isian ini wajib diisi."))]
    return []


def has_hidden_characters(text: str) -> bool:
    """Control or format characters (``\x01``, a right-to-left override, a zero-width space).

    Pasted from elsewhere, they print as nothing or reorder what follows, so a name
    carrying one reads differently on paper than in the database.
    """
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in text)


def digits_only(value: str) -> str:
    """ASCII digits only: other scripts' digits are not valid in these numbers."""
    return _NON_DIGITS.sub("", value)


def _too_long(value: str, *, field: str, code: str, limit: int = MAX_INPUT_LENGTH) -> list[Problem]:
    if len(value) <= limit:
        return []
    message = _("Isian terlalu panjang ({count} karakter); paling banyak {limit} karakter.")
    return [Problem(field, code, message.format(count=len(value), limit=limit))]


def _is_plain_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _first_error(problems: list[Problem]) -> str | None:
    return next((p.message for p in problems if p.severity is Severity.ERROR), None)


# --- NIK --------------------------------------------------------------------


def validate_nik(value: str, *, field: str = "nik") -> list[Problem]:
    """Structure of a NIK; there is no checksum, so a typo may still pass."""
    if problems := _too_long(value, field=field, code="nik.too_long"):
        return problems
    text = value.strip()
    if not text:
        return []
    if not _is_plain_digits(text):
        message = _("NIK hanya boleh berisi angka 0-9, tanpa huruf, spasi, atau tanda baca.")
        return [Problem(field, "nik.chars", message)]
    if len(text) != NIK_LENGTH:
        message = _("NIK harus 16 digit angka (tertulis {count} digit).")
        return [Problem(field, "nik.length", message.format(count=len(text)))]
    return _nik_structure(text, field)


def _nik_structure(digits: str, field: str) -> list[Problem]:
    """All structural problems of 16 digits at once, so the clerk fixes them in one go."""
    problems: list[Problem] = []
    if digits[:2] not in PROVINCE_CODES:
        message = _(
            "Kode provinsi pada NIK ({code}) tidak dikenal; dua digit pertama NIK harus "
            "kode provinsi yang sah, misalnya 61 untuk Kalimantan Barat."
        )
        problems.append(Problem(field, "nik.province", message.format(code=digits[:2])))
    if digits[2:4] == "00":
        message = _("Kode kabupaten/kota pada NIK (digit ke-3 dan ke-4) tidak boleh 00.")
        problems.append(Problem(field, "nik.regency", message))
    if digits[4:6] == "00":
        message = _("Kode kecamatan pada NIK (digit ke-5 dan ke-6) tidak boleh 00.")
        problems.append(Problem(field, "nik.district", message))
    if not _birth_date_candidates(digits[6:12]):
        message = _(
            "Tanggal lahir pada NIK (digit ke-7 sampai ke-12: {ddmmyy}) bukan tanggal yang "
            "sah; urutannya tanggal, bulan, tahun (2 digit masing-masing), dan untuk "
            "perempuan tanggal ditambah 40."
        )
        problems.append(Problem(field, "nik.birth_date", message.format(ddmmyy=digits[6:12])))
    if digits[12:] == "0000":
        message = _("Nomor urut pada NIK (4 digit terakhir) tidak boleh 0000.")
        problems.append(Problem(field, "nik.serial", message))
    return problems


def _nik_day(ddmmyy: str) -> int:
    """Day of month: women's NIK carry the day plus 40."""
    day = int(ddmmyy[:2])
    return day - WOMAN_DAY_OFFSET if day > WOMAN_DAY_OFFSET else day


def _nik_sex(ddmmyy: str) -> str:
    return "P" if int(ddmmyy[:2]) > WOMAN_DAY_OFFSET else "L"


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _birth_date_candidates(ddmmyy: str) -> list[date]:
    """The real dates DDMMYY may be, 20YY first; the century is not in the NIK."""
    day, month, yy = _nik_day(ddmmyy), int(ddmmyy[2:4]), int(ddmmyy[4:])
    dates = (_make_date(century + yy, month, day) for century in (2000, 1900))
    return [d for d in dates if d is not None]


def _pick_birth_date(candidates: list[date], today: date) -> date:
    """The most recent candidate not in the future: a guess, right for all but centenarians."""
    past = [d for d in candidates if d <= today]
    return past[0] if past else candidates[-1]


def nik_info(nik: str, *, today: date | None = None) -> NikInfo:
    """Decode a valid NIK; raises ValueError (with the clerk's message) otherwise."""
    error = _first_error(validate_nik(nik) or required(nik, field="nik"))
    if error is not None:
        raise ValueError(error)
    digits = nik.strip()
    birth_date = _pick_birth_date(_birth_date_candidates(digits[6:12]), today or date.today())
    return NikInfo(
        province_code=digits[:2],
        regency_code=digits[2:4],
        district_code=digits[4:6],
        birth_date=birth_date,
        sex=_nik_sex(digits[6:12]),
        serial=digits[12:],
    )


def check_nik_consistency(nik: str, birth_date: date | None, sex: str | None) -> list[Problem]:
    """Warn, never block: the NIK or the typed value may be the wrong one.

    An invalid NIK yields nothing here (``validate_nik`` reports it); so does a
    missing or unrecognised birth date or sex. Birth years are compared on
    their last two digits only, because a NIK does not carry the century.
    """
    try:
        info = nik_info(nik)
    except ValueError:
        return []
    return [*_birth_date_mismatch(info, birth_date), *_sex_mismatch(info, sex)]


def _day_month_yy(day: date) -> tuple[int, int, int]:
    return day.day, day.month, day.year % 100


def _birth_date_mismatch(info: NikInfo, typed: date | None) -> list[Problem]:
    if typed is None or _day_month_yy(typed) == _day_month_yy(info.birth_date):
        return []
    message = _(
        "Tanggal lahir pada NIK ({nik_date}) tidak sama dengan tanggal lahir yang diisi "
        "({typed_date}). Periksa kembali NIK dan tanggal lahir."
    )
    nik_date = "{:02d}-{:02d}-{:02d}".format(*_day_month_yy(info.birth_date))
    typed_date = f"{typed.day:02d}-{typed.month:02d}-{typed.year:04d}"
    text = message.format(nik_date=nik_date, typed_date=typed_date)
    return [Problem("nik", "nik.birth_date_mismatch", text, Severity.WARNING)]


def _normalize_sex(sex: str | None) -> str | None:
    if sex is None or len(sex) > _MAX_SEX_LENGTH:
        return None
    return _SEX_ALIASES.get(sex.strip().upper())


def _sex_label(sex: str) -> str:
    return _("perempuan") if sex == "P" else _("laki-laki")


def _sex_mismatch(info: NikInfo, sex: str | None) -> list[Problem]:
    typed = _normalize_sex(sex)
    if typed is None or typed == info.sex:
        return []
    message = _(
        "Jenis kelamin menurut NIK adalah {nik_sex}, tetapi yang diisi {typed_sex}. "
        "Periksa kembali NIK dan jenis kelamin."
    )
    text = message.format(nik_sex=_sex_label(info.sex), typed_sex=_sex_label(typed))
    return [Problem("nik", "nik.sex_mismatch", text, Severity.WARNING)]


# --- NIB --------------------------------------------------------------------


def validate_nib(value: str, *, field: str = "nib") -> list[Problem]:
    """Length and digits only: OSS RBA publishes no checksum for the NIB."""
    if problems := _too_long(value, field=field, code="nib.too_long"):
        return problems
    text = value.strip()
    if not text:
        return []
    if not _is_plain_digits(text):
        message = _("NIB hanya boleh berisi angka 0-9, tanpa huruf, spasi, atau tanda baca.")
        return [Problem(field, "nib.chars", message)]
    if len(text) != NIB_LENGTH:
        message = _("NIB harus 13 digit angka (tertulis {count} digit).")
        return [Problem(field, "nib.length", message.format(count=len(text)))]
    return []


# --- NPWP -------------------------------------------------------------------


def normalize_npwp(value: str) -> str:
    """The digits of an NPWP, however it was punctuated."""
    return digits_only(value.strip())


def format_npwp(value: str) -> str:
    """The printed form: ``99.999.999.9-999.999`` for 15 digits, plain digits for 16.

    Raises ValueError when the value is not a valid NPWP.
    """
    error = _first_error(validate_npwp(value) or required(value, field="npwp"))
    if error is not None:
        raise ValueError(error)
    d = normalize_npwp(value)
    if len(d) == NPWP_LENGTH:
        return d
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"


def validate_npwp(value: str, *, field: str = "npwp") -> list[Problem]:
    """Legacy 15 digits, or 16 since July 2024 (a NIK, or 0 + a legacy NPWP)."""
    if problems := _too_long(value, field=field, code="npwp.too_long"):
        return problems
    text = value.strip()
    if not text:
        return []
    if not _NPWP_CHARS.fullmatch(text):
        message = _("NPWP hanya boleh berisi angka, titik, tanda hubung, dan spasi.")
        return [Problem(field, "npwp.chars", message)]
    digits = digits_only(text)
    if len(digits) == NPWP_LEGACY_LENGTH:
        return _npwp_check_digit(digits, field)
    if len(digits) == NPWP_LENGTH:
        return _validate_npwp16(digits, field)
    message = _(
        "NPWP harus 15 digit (format lama 99.999.999.9-999.999) atau 16 digit "
        "(tertulis {count} digit)."
    )
    return [Problem(field, "npwp.length", message.format(count=len(digits)))]


def _validate_npwp16(digits: str, field: str) -> list[Problem]:
    """A leading 0 marks a legacy NPWP (companies); otherwise it must be a NIK."""
    if digits.startswith("0"):
        return _npwp_check_digit(digits[1:], field)
    if _nik_structure(digits, field):
        message = _(
            "NPWP 16 digit harus berupa NIK yang sah, atau angka 0 diikuti NPWP lama "
            "15 digit (untuk badan usaha)."
        )
        return [Problem(field, "npwp.nik", message)]
    return []


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _npwp_check_digit(legacy: str, field: str) -> list[Problem]:
    """Only a warning: the Luhn rule is observed, not published by DJP."""
    if _luhn_ok(legacy[:9]):
        return []
    message = _(
        "Digit ke-9 NPWP (digit pemeriksa) tidak cocok dengan 8 digit sebelumnya; "
        "periksa kembali kemungkinan salah ketik."
    )
    return [Problem(field, "npwp.checksum", message, Severity.WARNING)]


# --- telephone ----------------------------------------------------------------


def validate_phone(value: str, *, field: str = "telepon") -> list[Problem]:
    """Indonesian mobiles (08...) and landlines (0 + area code + number)."""
    if problems := _too_long(value, field=field, code="phone.too_long"):
        return problems
    text = value.strip()
    if not text:
        return []
    if not _PHONE_CHARS.fullmatch(text):
        message = _(
            "Nomor telepon hanya boleh berisi angka, spasi, titik, tanda hubung, garis "
            "miring, tanda kurung, dan tanda + di depan."
        )
        return [Problem(field, "phone.chars", message)]
    national = _national_number(text)
    if national is None:
        message = _(
            "Nomor telepon harus nomor Indonesia yang diawali 0, 62, atau +62, "
            "misalnya 0812 3456 7890 atau (0563) 21618."
        )
        return [Problem(field, "phone.prefix", message)]
    return _check_national(national, field)


def _national_number(text: str) -> str | None:
    """The number after the trunk 0 or the country code; None if neither starts it.

    A trunk 0 written after the country code (``+62 0812...``) is dropped, as
    people often write it so.
    """
    digits = digits_only(text)
    if digits.startswith("0") and not text.startswith("+"):
        return digits[1:]
    if digits.startswith("62"):
        return digits[2:].removeprefix("0")
    return None


def _check_national(national: str, field: str) -> list[Problem]:
    if not national or national[0] in "01":
        message = _(
            "Nomor telepon tidak sah: setelah 0 harus ada angka 8 untuk nomor HP, atau kode "
            "wilayah untuk telepon rumah/kantor, misalnya (0563) 21618."
        )
        return [Problem(field, "phone.area_code", message)]
    count = len(national) + 1  # as the clerk would write it, with the leading 0
    if national[0] == "8":
        if 9 <= len(national) <= 12:
            return []
        message = _(
            "Nomor HP harus 10 sampai 13 digit jika ditulis dengan 0 di depan "
            "(tertulis {count} digit)."
        )
        return [Problem(field, "phone.mobile_length", message.format(count=count))]
    if 7 <= len(national) <= 12:
        return []
    message = _(
        "Nomor telepon rumah/kantor harus 8 sampai 13 digit termasuk 0 dan kode wilayah "
        "(tertulis {count} digit)."
    )
    return [Problem(field, "phone.landline_length", message.format(count=count))]


def normalize_phone(value: str) -> str:
    """E.164 (``+62...``), the one form stored and compared; raises ValueError if invalid."""
    error = _first_error(validate_phone(value) or required(value, field="telepon"))
    if error is not None:
        raise ValueError(error)
    national = _national_number(value.strip())
    assert national is not None  # validate_phone accepted it
    return f"+62{national}"


# --- e-mail -------------------------------------------------------------------


def validate_email(value: str, *, field: str = "email") -> list[Problem]:
    """Pragmatic: catches typos; whether the mailbox exists only a sent mail tells."""
    if problems := _too_long(value, field=field, code="email.too_long"):
        return problems
    text = value.strip()
    if not text:
        return []
    if problems := _too_long(text, field=field, code="email.too_long", limit=MAX_EMAIL_LENGTH):
        return problems
    if " " in text or not text.isprintable():
        message = _("Alamat e-mail tidak boleh berisi spasi atau karakter tersembunyi.")
        return [Problem(field, "email.spaces", message)]
    if text.count("@") != 1:
        message = _("Alamat e-mail harus berisi tepat satu tanda @ (tertulis {count}).")
        return [Problem(field, "email.at", message.format(count=text.count("@")))]
    local, domain = text.split("@")
    if not local:
        message = _("Bagian sebelum tanda @ pada alamat e-mail tidak boleh kosong.")
        return [Problem(field, "email.local", message)]
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        message = _(
            "Domain alamat e-mail (bagian setelah @) tidak sah; contoh yang benar: nama@gmail.com."
        )
        return [Problem(field, "email.domain", message)]
    return []
