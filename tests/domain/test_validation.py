"""Validation of the numbers a counter clerk types: NIK, NIB, NPWP, telephone, e-mail."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loket.domain import validation
from loket.domain.validation import (
    MAX_EMAIL_LENGTH,
    MAX_INPUT_LENGTH,
    PROVINCE_CODES,
    NikInfo,
    Problem,
    Severity,
    check_nik_consistency,
    digits_only,
    format_npwp,
    is_valid,
    nik_info,
    normalize_npwp,
    normalize_phone,
    required,
    validate_email,
    validate_nib,
    validate_nik,
    validate_npwp,
    validate_phone,
)

Validator = Callable[..., list[Problem]]
VALIDATORS: list[tuple[Validator, str]] = [
    (validate_nik, "nik"),
    (validate_nib, "nib"),
    (validate_npwp, "npwp"),
    (validate_phone, "phone"),
    (validate_email, "email"),
]
TEN_MB = 10 * 1024 * 1024


def make_nik(
    province: str = "61",
    regency: str = "08",
    district: str = "01",
    ddmmyy: str = "120560",
    serial: str = "0001",
) -> str:
    return f"{province}{regency}{district}{ddmmyy}{serial}"


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


# --- shared ---------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"])
def test_required_reports_empty_values(value: str | None) -> None:
    problems = required(value, field="nama")
    assert problems == [Problem("nama", "required", "Isian ini wajib diisi.")]
    assert not is_valid(problems)


def test_required_accepts_filled_value() -> None:
    assert required(" x ", field="nama") == []


def test_is_valid_ignores_warnings() -> None:
    warning = Problem("npwp", "npwp.checksum", "w", Severity.WARNING)
    error = Problem("npwp", "npwp.length", "e")
    assert is_valid([])
    assert is_valid([warning])
    assert not is_valid([warning, error])


def test_digits_only_keeps_ascii_digits() -> None:
    assert digits_only("01.855-081 4/٣x") == "018550814"


@pytest.mark.parametrize(("validator", "kind"), VALIDATORS)
@pytest.mark.parametrize("value", ["", "   ", "\t \n"])
def test_empty_values_are_not_a_problem_for_validators(
    validator: Validator, kind: str, value: str
) -> None:
    assert validator(value) == []


@pytest.mark.parametrize(("validator", "kind"), VALIDATORS)
@pytest.mark.parametrize("filler", ["1", " ", "a"])
def test_ten_megabytes_are_rejected_quickly(validator: Validator, kind: str, filler: str) -> None:
    value = filler * TEN_MB
    start = time.perf_counter()
    problems = validator(value)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.05
    assert codes(problems) == [f"{kind}.too_long"]
    assert problems[0].message == (
        f"Isian terlalu panjang ({TEN_MB} karakter); paling banyak {MAX_INPUT_LENGTH} karakter."
    )
    assert not is_valid(problems)


@pytest.mark.parametrize(("validator", "kind"), VALIDATORS)
def test_field_name_is_the_callers(validator: Validator, kind: str) -> None:
    problems = validator("x?", field="custom")
    assert [p.field for p in problems] == ["custom"]


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validate_nik, "12"),
        (validate_nib, "12"),
        (validate_npwp, "12"),
        (validate_phone, "12"),
        (validate_email, "12"),
        (validate_nik, "9908001205600000"),
    ],
)
def test_every_message_goes_through_the_catalog(
    monkeypatch: pytest.MonkeyPatch, validator: Validator, value: str
) -> None:
    monkeypatch.setattr(validation, "_", lambda message: "[en] " + message)
    problems = [*validator(value), *validator("1" * TEN_MB)]
    assert problems
    assert all(p.message.startswith("[en] ") for p in problems)


def test_consistency_messages_go_through_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "_", lambda message: "[en] " + message)
    problems = check_nik_consistency(make_nik(), date(1970, 1, 1), "P")
    assert len(problems) == 2
    assert all(p.message.startswith("[en] ") for p in problems)
    assert "[en] laki-laki" in problems[1].message
    assert "[en] perempuan" in problems[1].message


# --- NIK --------------------------------------------------------------------


@pytest.mark.parametrize(
    "nik",
    [
        make_nik(),
        make_nik(ddmmyy="520560"),  # woman, 12 May
        make_nik(ddmmyy="410199"),  # woman, 1 January
        make_nik(ddmmyy="710199"),  # woman, 31 January
        make_nik(ddmmyy="310199"),
        make_nik(ddmmyy="290200"),  # 29 Feb 2000 (1900 was no leap year)
        make_nik(ddmmyy="690204"),  # woman, 29 Feb 2004
        make_nik(province="31", regency="71", district="01"),
        make_nik(province="11"),
        make_nik(province="21"),
        make_nik(province="65"),  # Kalimantan Utara
        make_nik(province="82"),
        make_nik(province="91"),
        make_nik(province="92"),  # Papua Barat Daya (2022)
        make_nik(province="96"),
        make_nik(serial="9999"),
        "  " + make_nik() + "\n",
    ],
)
def test_valid_nik(nik: str) -> None:
    assert validate_nik(nik) == []


@pytest.mark.parametrize(
    ("nik", "expected"),
    [
        ("610801120560001", ["nik.length"]),
        ("61080112056000011", ["nik.length"]),
        ("6108 0112 0560 0001", ["nik.chars"]),
        ("6108.01.120560.0001", ["nik.chars"]),
        ("61080112056000O1", ["nik.chars"]),  # letter O
        ("٦١٠٨٠١١٢٠٥٦٠٠٠٠١", ["nik.chars"]),  # Arabic-Indic digits
        ("６１０８０１１２０５６００００１", ["nik.chars"]),  # full-width digits
        (make_nik(province="99"), ["nik.province"]),
        (make_nik(province="00"), ["nik.province"]),
        (make_nik(province="10"), ["nik.province"]),
        (make_nik(province="20"), ["nik.province"]),
        (make_nik(province="37"), ["nik.province"]),
        (make_nik(province="54"), ["nik.province"]),
        (make_nik(province="66"), ["nik.province"]),
        (make_nik(province="77"), ["nik.province"]),
        (make_nik(province="83"), ["nik.province"]),
        (make_nik(province="90"), ["nik.province"]),
        (make_nik(province="97"), ["nik.province"]),
        (make_nik(regency="00"), ["nik.regency"]),
        (make_nik(district="00"), ["nik.district"]),
        (make_nik(ddmmyy="310201"), ["nik.birth_date"]),  # 31 February
        (make_nik(ddmmyy="290201"), ["nik.birth_date"]),  # 29 Feb in no leap year
        (make_nik(ddmmyy="690201"), ["nik.birth_date"]),  # woman, 29 Feb in no leap year
        (make_nik(ddmmyy="000160"), ["nik.birth_date"]),
        (make_nik(ddmmyy="320160"), ["nik.birth_date"]),
        (make_nik(ddmmyy="400160"), ["nik.birth_date"]),
        (make_nik(ddmmyy="720160"), ["nik.birth_date"]),
        (make_nik(ddmmyy="010060"), ["nik.birth_date"]),
        (make_nik(ddmmyy="011360"), ["nik.birth_date"]),
        (make_nik(serial="0000"), ["nik.serial"]),
        (
            "9900003102010000",
            ["nik.province", "nik.regency", "nik.district", "nik.birth_date", "nik.serial"],
        ),
    ],
)
def test_invalid_nik(nik: str, expected: list[str]) -> None:
    problems = validate_nik(nik)
    assert codes(problems) == expected
    assert not is_valid(problems)
    assert all(p.field == "nik" and p.severity is Severity.ERROR for p in problems)


def test_nik_length_message_names_the_count() -> None:
    (problem,) = validate_nik("610801120560001")
    assert problem.message == "NIK harus 16 digit angka (tertulis 15 digit)."


def test_nik_province_message_names_the_code() -> None:
    (problem,) = validate_nik(make_nik(province="99"))
    assert "(99)" in problem.message


def test_nik_birth_date_message_names_the_digits() -> None:
    (problem,) = validate_nik(make_nik(ddmmyy="310201"))
    assert "310201" in problem.message


def test_nik_info_of_a_man() -> None:
    info = nik_info(" 6108011205600001 ", today=date(2025, 1, 1))
    assert info == NikInfo(
        province_code="61",
        regency_code="08",
        district_code="01",
        birth_date=date(1960, 5, 12),
        sex="L",
        serial="0001",
    )
    assert info.region_code == "61.08.01"


def test_nik_info_of_a_woman() -> None:
    info = nik_info(make_nik(ddmmyy="520503", serial="0042"), today=date(2025, 1, 1))
    assert info.birth_date == date(2003, 5, 12)
    assert info.sex == "P"
    assert info.serial == "0042"


@pytest.mark.parametrize(
    ("ddmmyy", "today", "expected"),
    [
        ("010124", date(2024, 1, 1), date(2024, 1, 1)),  # today: a newborn
        ("020124", date(2024, 1, 1), date(1924, 1, 2)),  # tomorrow in 2024: 1924
        ("290200", date(2025, 1, 1), date(2000, 2, 29)),
        ("010160", date(1950, 1, 1), date(1960, 1, 1)),  # both in the future: the older
        ("290200", date(1950, 1, 1), date(2000, 2, 29)),  # only one real date
    ],
)
def test_nik_info_chooses_the_century(ddmmyy: str, today: date, expected: date) -> None:
    assert nik_info(make_nik(ddmmyy=ddmmyy), today=today).birth_date == expected


def test_nik_info_defaults_to_today() -> None:
    assert nik_info(make_nik(ddmmyy="010100")).birth_date == date(2000, 1, 1)


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("", "Isian ini wajib diisi."),
        ("123", "NIK harus 16 digit angka (tertulis 3 digit)."),
        (make_nik(serial="0000"), "Nomor urut pada NIK (4 digit terakhir) tidak boleh 0000."),
    ],
)
def test_nik_info_rejects_invalid_nik(nik: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        nik_info(nik)


# --- NIK consistency ----------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "sex"),
    [
        (date(1960, 5, 12), "L"),
        (date(1960, 5, 12), " l "),
        (date(1960, 5, 12), "Laki-laki"),
        (date(1960, 5, 12), "PRIA"),
        (date(2060, 5, 12), "L"),  # the century is not in the NIK
        (None, None),
        (None, "L"),
        (date(1960, 5, 12), None),
        (date(1960, 5, 12), "?"),  # not a sex we know: someone else's problem
        (date(1960, 5, 12), "P" * TEN_MB),
    ],
)
def test_consistent_nik_gives_no_warning(birth_date: date | None, sex: str | None) -> None:
    assert check_nik_consistency(make_nik(), birth_date, sex) == []


def test_birth_date_mismatch_is_a_warning() -> None:
    problems = check_nik_consistency(make_nik(), date(1960, 5, 13), "L")
    assert codes(problems) == ["nik.birth_date_mismatch"]
    assert problems[0].severity is Severity.WARNING
    assert problems[0].message == (
        "Tanggal lahir pada NIK (12-05-60) tidak sama dengan tanggal lahir yang diisi "
        "(13-05-1960). Periksa kembali NIK dan tanggal lahir."
    )
    assert is_valid(problems)


@pytest.mark.parametrize("typed", [date(1961, 5, 12), date(1960, 6, 12), date(1960, 5, 11)])
def test_birth_date_mismatch_on_any_part(typed: date) -> None:
    assert codes(check_nik_consistency(make_nik(), typed, None)) == ["nik.birth_date_mismatch"]


def test_woman_nik_compares_the_real_day() -> None:
    nik = make_nik(ddmmyy="520560")
    assert check_nik_consistency(nik, date(1960, 5, 12), "P") == []
    assert codes(check_nik_consistency(nik, date(1960, 5, 13), "P")) == ["nik.birth_date_mismatch"]


@pytest.mark.parametrize(
    ("nik", "sex", "message"),
    [
        (
            make_nik(),
            "perempuan",
            "Jenis kelamin menurut NIK adalah laki-laki, tetapi yang diisi perempuan. "
            "Periksa kembali NIK dan jenis kelamin.",
        ),
        (
            make_nik(ddmmyy="520560"),
            "L",
            "Jenis kelamin menurut NIK adalah perempuan, tetapi yang diisi laki-laki. "
            "Periksa kembali NIK dan jenis kelamin.",
        ),
    ],
)
def test_sex_mismatch_is_a_warning(nik: str, sex: str, message: str) -> None:
    problems = check_nik_consistency(nik, None, sex)
    assert problems == [Problem("nik", "nik.sex_mismatch", message, Severity.WARNING)]


def test_both_mismatches_are_reported() -> None:
    problems = check_nik_consistency(make_nik(), date(1970, 1, 1), "Wanita")
    assert codes(problems) == ["nik.birth_date_mismatch", "nik.sex_mismatch"]
    assert is_valid(problems)


@pytest.mark.parametrize("nik", ["", "123", make_nik(province="99"), "1" * TEN_MB])
def test_consistency_is_silent_on_invalid_nik(nik: str) -> None:
    assert check_nik_consistency(nik, date(1970, 1, 1), "P") == []


# --- NIB --------------------------------------------------------------------


@pytest.mark.parametrize("nib", ["1234567890123", " 9120001234567 ", "0000000000001"])
def test_valid_nib(nib: str) -> None:
    assert validate_nib(nib) == []


@pytest.mark.parametrize(
    ("nib", "expected"),
    [
        ("123456789012", "nib.length"),
        ("12345678901234", "nib.length"),
        ("1234 5678 90123", "nib.chars"),
        ("12345678901A3", "nib.chars"),
        ("1234567890-23", "nib.chars"),
    ],
)
def test_invalid_nib(nib: str, expected: str) -> None:
    assert codes(validate_nib(nib)) == [expected]


def test_nib_length_message_names_the_count() -> None:
    (problem,) = validate_nib("123456789012")
    assert problem.message == "NIB harus 13 digit angka (tertulis 12 digit)."


# --- NPWP -------------------------------------------------------------------

NPWP_OK = "018550814412000"  # 9th digit passes Luhn over the first 8
NPWP_BAD_CHECK = "018550815412000"


@pytest.mark.parametrize(
    "npwp",
    [
        NPWP_OK,
        "01.855.081.4-412.000",
        "01 855 081 4 412 000",
        "01-855-081-4-412-000",
        "  01.855.081.4-412.000  ",
        "0" + NPWP_OK,  # 16 digits: a company's legacy NPWP behind a 0
        make_nik(),  # 16 digits: a resident's NIK
        "6108.0112.0560.0001",
        make_nik(ddmmyy="520560"),
    ],
)
def test_valid_npwp(npwp: str) -> None:
    assert validate_npwp(npwp) == []


@pytest.mark.parametrize("npwp", [NPWP_BAD_CHECK, "01.855.081.5-412.000", "0" + NPWP_BAD_CHECK])
def test_npwp_check_digit_only_warns(npwp: str) -> None:
    problems = validate_npwp(npwp)
    assert codes(problems) == ["npwp.checksum"]
    assert problems[0].severity is Severity.WARNING
    assert is_valid(problems)


@pytest.mark.parametrize(
    ("npwp", "expected"),
    [
        ("01855081441200", "npwp.length"),
        ("01855081441200012", "npwp.length"),
        ("...", "npwp.length"),
        ("01.855.081.4-412.00O", "npwp.chars"),
        ("01/855/081/4/412/000", "npwp.chars"),
        ("01.855.081.4_412.000", "npwp.chars"),
        (make_nik(province="99"), "npwp.nik"),
        (make_nik(serial="0000"), "npwp.nik"),
    ],
)
def test_invalid_npwp(npwp: str, expected: str) -> None:
    problems = validate_npwp(npwp)
    assert codes(problems) == [expected]
    assert not is_valid(problems)


def test_npwp_length_message_names_the_count() -> None:
    (problem,) = validate_npwp("01.855.081.4-412.00")
    assert problem.message.endswith("(tertulis 14 digit).")


def test_npwp_nik_error_uses_the_callers_field() -> None:
    (problem,) = validate_npwp(make_nik(province="99"), field="npwp_pemohon")
    assert problem.field == "npwp_pemohon"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01.855.081.4-412.000", NPWP_OK),
        (" 01 855 081 4 412 000 ", NPWP_OK),
        (make_nik(), make_nik()),
    ],
)
def test_normalize_npwp(raw: str, expected: str) -> None:
    assert normalize_npwp(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (NPWP_OK, "01.855.081.4-412.000"),
        ("01 855 081 4 412 000", "01.855.081.4-412.000"),
        (NPWP_BAD_CHECK, "01.855.081.5-412.000"),  # a warning does not block
        ("0" + NPWP_OK, "0" + NPWP_OK),
        ("6108.0112.0560.0001", make_nik()),
    ],
)
def test_format_npwp(raw: str, expected: str) -> None:
    assert format_npwp(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", "12", "01.855.081.4-412.00O", "1" * TEN_MB])
def test_format_npwp_rejects_invalid(raw: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        format_npwp(raw)


def luhn_check_digit(first8: str) -> str:
    """An independent Luhn: double every other digit from the right of the payload."""
    total = 0
    for position, char in enumerate(reversed(first8)):
        doubled = int(char) * (2 if position % 2 == 0 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    return str(-total % 10)


@given(st.from_regex(r"[0-9]{8}", fullmatch=True), st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_npwp_with_luhn_check_digit_is_clean(first8: str, tail: str) -> None:
    npwp = first8 + luhn_check_digit(first8) + tail
    assert validate_npwp(npwp) == []
    assert validate_npwp("0" + npwp) == []
    assert normalize_npwp(format_npwp(npwp)) == npwp


# --- telephone ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "e164"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 0812 3456 7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("0812345678", "+62812345678"),  # shortest mobile: 10 digits
        ("0812345678901", "+62812345678901"),  # longest mobile: 13 digits
        ("(0563) 21618", "+6256321618"),  # Ngabang
        ("0563-21618", "+6256321618"),
        ("0563/21618", "+6256321618"),
        ("021 5551234", "+62215551234"),
        ("02112345", "+622112345"),  # shortest landline: 8 digits
        ("0901 123456789", "+62901123456789"),  # longest landline: 13 digits
        ("  081234567890  ", "+6281234567890"),
    ],
)
def test_valid_phone(phone: str, e164: str) -> None:
    assert validate_phone(phone) == []
    assert normalize_phone(phone) == e164


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("081234567", "phone.mobile_length"),
        ("08123456789012", "phone.mobile_length"),
        ("+62812345", "phone.mobile_length"),
        ("0563 216", "phone.landline_length"),
        ("0901 1234567890", "phone.landline_length"),
        ("0812-3456-ABCD", "phone.chars"),
        ("0812 3456 7890 ext 1", "phone.chars"),
        ("+62+81234567890", "phone.chars"),
        ("0812_3456_7890", "phone.chars"),
        ("+1 555 123 4567", "phone.prefix"),
        ("+081234567890", "phone.prefix"),
        ("81234567890", "phone.prefix"),
        ("0112345678", "phone.area_code"),
        ("0", "phone.area_code"),
        ("+62", "phone.area_code"),
        ("+62 00812345678", "phone.area_code"),
        ("0062 812 3456 7890", "phone.area_code"),
    ],
)
def test_invalid_phone(phone: str, expected: str) -> None:
    problems = validate_phone(phone)
    assert codes(problems) == [expected]
    assert problems[0].field == "telepon"
    assert not is_valid(problems)


def test_phone_length_message_counts_with_the_leading_zero() -> None:
    (problem,) = validate_phone("+62812345")
    assert problem.message == (
        "Nomor HP harus 10 sampai 13 digit jika ditulis dengan 0 di depan (tertulis 7 digit)."
    )


@pytest.mark.parametrize("phone", ["", "   ", "0812", "abc", "1" * TEN_MB])
def test_normalize_phone_rejects_invalid(phone: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        normalize_phone(phone)


_separator = st.sampled_from(["", " ", "-", "."])
_mobile = st.from_regex(r"8[0-9]{8,11}", fullmatch=True)
_landline = st.from_regex(r"[2-79][0-9]{6,11}", fullmatch=True)


@st.composite
def phones(draw: st.DrawFn) -> str:
    national = draw(st.one_of(_mobile, _landline))
    prefix = draw(st.sampled_from(["0", "62", "+62", "+62 ", "+62 0", "+62 (0)"]))
    cut = draw(st.integers(min_value=1, max_value=len(national) - 1))
    return prefix + national[:cut] + draw(_separator) + national[cut:]


@given(phones())
def test_normalize_phone_is_idempotent(phone: str) -> None:
    e164 = normalize_phone(phone)
    assert e164.startswith("+62")
    assert e164[3:].isdigit()
    assert validate_phone(e164) == []
    assert normalize_phone(e164) == e164


# --- e-mail -------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "nama@gmail.com",
        "dpmptsp@landakkab.go.id",
        "a.b+c@sub.example.co.id",
        "x@y.id",
        "  nama@gmail.com\n",
        "a" * 64 + "@" + "b" * (MAX_EMAIL_LENGTH - 64 - 1 - 3) + ".id",  # exactly 254
    ],
)
def test_valid_email(email: str) -> None:
    assert validate_email(email) == []


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("nama@@gmail.com", "email.at"),
        ("nama@gmail@com", "email.at"),
        ("namagmail.com", "email.at"),
        ("@gmail.com", "email.local"),
        ("nama@gmail", "email.domain"),
        ("nama@", "email.domain"),
        ("nama@.com", "email.domain"),
        ("nama@gmail.", "email.domain"),
        ("nama@gmail..com", "email.domain"),
        ("nama @gmail.com", "email.spaces"),
        ("nama@gmail.com\x00", "email.spaces"),
        ("nama\t@gmail.com", "email.spaces"),
        ("nama\u00a0@gmail.com", "email.spaces"),
        ("a" * 64 + "@" + "b" * (MAX_EMAIL_LENGTH - 64 - 3) + ".id", "email.too_long"),
    ],
)
def test_invalid_email(email: str, expected: str) -> None:
    problems = validate_email(email)
    assert codes(problems) == [expected]
    assert not is_valid(problems)


def test_email_at_message_names_the_count() -> None:
    (problem,) = validate_email("namagmail.com")
    assert problem.message == "Alamat e-mail harus berisi tepat satu tanda @ (tertulis 0)."


def test_email_too_long_after_trimming_names_the_email_limit() -> None:
    (problem,) = validate_email(" " + "a" * 255)
    assert problem.message.endswith(f"paling banyak {MAX_EMAIL_LENGTH} karakter.")


# --- NIK properties -------------------------------------------------------------

_two_digits_not_00 = st.integers(min_value=1, max_value=99).map("{:02d}".format)


@st.composite
def niks(draw: st.DrawFn) -> tuple[str, date, str]:
    """A NIK built from valid parts, with the birth date and sex it encodes."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    sex = draw(st.sampled_from(["L", "P"]))
    day = born.day + (40 if sex == "P" else 0)
    nik = make_nik(
        province=draw(st.sampled_from(sorted(PROVINCE_CODES))),
        regency=draw(_two_digits_not_00),
        district=draw(_two_digits_not_00),
        ddmmyy=f"{day:02d}{born.month:02d}{born.year % 100:02d}",
        serial=f"{draw(st.integers(min_value=1, max_value=9999)):04d}",
    )
    return nik, born, sex


@given(niks())
def test_nik_built_from_valid_parts_validates(case: tuple[str, date, str]) -> None:
    nik, born, sex = case
    assert validate_nik(nik) == []
    assert validate_npwp(nik) == []
    info = nik_info(nik)
    assert (info.birth_date.day, info.birth_date.month) == (born.day, born.month)
    assert info.birth_date.year % 100 == born.year % 100
    assert info.sex == sex
    assert check_nik_consistency(nik, born, sex) == []


@given(st.text(max_size=40).filter(lambda s: not (s.strip().isascii() and s.strip().isdigit())))
def test_any_non_digit_character_fails_nik(value: str) -> None:
    problems = validate_nik(value)
    if value.strip():
        assert codes(problems) == ["nik.chars"]
    else:
        assert problems == []


@given(st.from_regex(r"[0-9]{1,40}", fullmatch=True).filter(lambda s: len(s) != 16))
def test_any_other_digit_count_fails_nik(value: str) -> None:
    assert codes(validate_nik(value)) == ["nik.length"]


@given(st.text(max_size=300))
def test_validators_never_raise(value: str) -> None:
    for validator, _kind in VALIDATORS:
        for problem in validator(value):
            assert problem.message
    check_nik_consistency(value, None, value)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("Dé Aweng Ñoman", False),
        ("Budi Santoso", False),
        ("Budi\x01 Santoso", True),  # a control character
        ("Budi\u202eosotnaS", True),  # a right-to-left override reorders what follows
        ("Budi\u200bSantoso", True),  # a zero-width space
    ],
)
def test_hidden_characters_are_found(text: str, hidden: bool) -> None:
    assert validation.has_hidden_characters(text) is hidden
