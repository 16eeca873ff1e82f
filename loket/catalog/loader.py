"""Read SOP files (TOML) into frozen :class:`~loket.domain.sop.Sop` objects.

The office edits these files by hand, so every problem is reported with the
file, the exact key (``steps[3].time.unit``) and what is wrong, in the
office's language, instead of a traceback.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from loket.domain.i18n import _
from loket.domain.roles import missing_at
from loket.domain.sop import (
    Actor,
    ApplicantKind,
    FieldType,
    PermitSpec,
    Requirement,
    Sop,
    Step,
    StepField,
    StepKind,
    TimeStandard,
    TimeUnit,
    Validity,
)

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 1_000_000

E = TypeVar("E", bound=Any)


class SopFileError(ValueError):
    """An SOP file that cannot be used, with where and why."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        super().__init__(f"{source}: {key or '(berkas)'}: {problem}")


class _Reader:
    """Typed access to one table of the document, remembering the key path."""

    def __init__(self, source: str, table: Mapping[str, Any], path: str = "") -> None:
        self.source = source
        self.table = table
        self.path = path
        self._seen: set[str] = set()

    def fail(self, key: str, problem: str) -> SopFileError:
        return SopFileError(self.source, self._key(key), problem)

    def _key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, required: bool) -> Any:
        self._seen.add(key)
        if key not in self.table:
            if required:
                raise self.fail(key, _("wajib ada tetapi tidak ditemukan"))
            return None
        return self.table[key]

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(key, _("harus berupa teks"))
        if required and not value.strip():
            raise self.fail(key, _("tidak boleh kosong"))
        return value.strip()

    def integer(self, key: str, *, required: bool = True, minimum: int = 1) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, _("harus berupa bilangan bulat"))
        if value < minimum:
            raise self.fail(key, _("harus paling sedikit {minimum}").format(minimum=minimum))
        return value

    def flag(self, key: str, *, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, _("harus true atau false"))
        return value

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, _("harus berupa daftar teks"))
        return tuple(v.strip() for v in value)

    def choice(self, key: str, enum: type[E], *, required: bool = True) -> E | None:
        value = self._get(key, required)
        if value is None:
            return None
        allowed = [member.value for member in enum]
        if value not in allowed:
            raise self.fail(
                key, _("harus salah satu dari: {allowed}").format(allowed=", ".join(allowed))
            )
        member: E = enum(value)
        return member

    def table_at(self, key: str, *, required: bool = True) -> _Reader | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, _("harus berupa tabel"))
        return _Reader(self.source, value, self._key(key))

    def tables(self, key: str, *, required: bool = True) -> list[_Reader]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, _("harus berupa daftar tabel"))
        if required and not value:
            raise self.fail(key, _("tidak boleh kosong"))
        return [_Reader(self.source, v, f"{self._key(key)}[{i}]") for i, v in enumerate(value)]

    def finish(self) -> None:
        """Refuse unknown keys: a typo must not silently drop what the office wrote."""
        for key in self.table:
            if key not in self._seen:
                raise self.fail(key, _("kunci tidak dikenal"))


def _time(reader: _Reader, key: str) -> TimeStandard:
    table = reader.table_at(key)
    assert table is not None
    amount = table.integer("amount")
    unit = table.choice("unit", TimeUnit)
    table.finish()
    assert amount is not None and unit is not None
    return TimeStandard(amount, unit)


def _requirement(reader: _Reader) -> Requirement:
    applies = reader.choice("applies_to", ApplicantKind, required=False)
    item = Requirement(
        key=reader.text("key"),
        name=reader.text("name"),
        mandatory=reader.flag("mandatory", default=True),
        help=reader.text("help", required=False),
        applies_to=applies,
        inferred=reader.flag("inferred"),
    )
    reader.finish()
    return item


def _field(reader: _Reader) -> StepField:
    item = StepField(
        key=reader.text("key"),
        label=reader.text("label"),
        type=reader.choice("type", FieldType, required=False) or FieldType.TEXT,
        required=reader.flag("required"),
        help=reader.text("help", required=False),
    )
    reader.finish()
    return item


def _fields(reader: _Reader) -> tuple[StepField, ...]:
    fields = [_field(f) for f in reader.tables("fields", required=False)]
    _check_unique(reader, f"{reader.path}.fields", [f.key for f in fields], _("kunci isian"))
    return tuple(fields)


_STEP_PARTS = (
    "seed_no",
    "activity",
    "actor",
    "recorded_by",
    "kind",
    "requirement",
    "time",
    "output",
    "note",
    "label",
    "optional",
    "fields",
)


def _step(reader: _Reader) -> Step:
    actor = reader.choice("actor", Actor)
    recorded_by = reader.choice("recorded_by", Actor, required=False)
    assert actor is not None
    if actor is Actor.PEMOHON and recorded_by in (None, Actor.PEMOHON):
        raise reader.fail(
            "recorded_by", _("langkah pemohon harus dicatat oleh peran petugas (recorded_by)")
        )
    if recorded_by is Actor.PEMOHON:
        raise reader.fail("recorded_by", _("pemohon bukan pengguna Loket; pilih peran petugas"))
    parts = reader.texts("inferred_parts", required=False)
    for part in parts:
        if part not in _STEP_PARTS:
            raise reader.fail(
                "inferred_parts", _("bagian langkah tidak dikenal: {part}").format(part=part)
            )
    no = reader.integer("no")
    assert no is not None
    step = Step(
        no=no,
        seed_no=reader.integer("seed_no", required=False),
        activity=reader.text("activity"),
        actor=actor,
        kind=reader.choice("kind", StepKind) or StepKind.REVIEW,
        requirement=reader.text("requirement", required=False),
        time=_time(reader, "time"),
        output=reader.text("output", required=False),
        note=reader.text("note", required=False),
        label=reader.text("label", required=False),
        optional=reader.flag("optional"),
        recorded_by=recorded_by,
        fields=_fields(reader),
        inferred=reader.flag("inferred"),
        inferred_parts=parts,
    )
    lacking = missing_at(step)
    if lacking:
        raise reader.fail(
            "recorded_by" if step.recorded_by else "actor",
            _(
                "peran ini tidak boleh {permissions}, yang diperlukan langkah berjenis {kind}"
            ).format(permissions=", ".join(sorted(p.value for p in lacking)), kind=step.kind.value),
        )
    reader.finish()
    return step


def _check_unique(reader: _Reader, key: str, values: list[Any], what: str) -> None:
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise SopFileError(
                reader.source,
                f"{key}[{index}]",
                _("{what} {value} dipakai lebih dari sekali").format(what=what, value=value),
            )
        seen.add(value)


def _check_steps(reader: _Reader, steps: list[Step]) -> None:
    """The workflow engine relies on these; a file breaking them is refused here."""
    for index, step in enumerate(steps):
        if step.no != index + 1:
            raise SopFileError(
                reader.source,
                f"steps[{index}].no",
                _("langkah harus dinomori berurutan mulai 1 (diharapkan {expected})").format(
                    expected=index + 1
                ),
            )
    signing = [i for i, s in enumerate(steps) if s.kind is StepKind.SIGNING]
    if signing != [len(steps) - 1]:
        # Name the step that is wrong: an extra signing step, else the last one.
        wrong = next((i for i in signing if i != len(steps) - 1), len(steps) - 1)
        raise SopFileError(
            reader.source,
            f"steps[{wrong}].kind",
            _("langkah terakhir, dan hanya langkah itu, harus berjenis signing"),
        )
    if steps[-1].optional:
        raise SopFileError(
            reader.source,
            f"steps[{len(steps) - 1}].optional",
            _("langkah penandatanganan tidak boleh opsional"),
        )


def parse_sop(document: Mapping[str, Any], source: str) -> Sop:
    """Validate one parsed SOP document; ``source`` names it in errors."""
    reader = _Reader(source, document)
    schema = reader.integer("schema")
    if schema != SCHEMA_VERSION:
        raise reader.fail(
            "schema",
            _("versi skema {found} tidak didukung (didukung: {supported})").format(
                found=schema, supported=SCHEMA_VERSION
            ),
        )
    permit_reader = reader.table_at("permit")
    assert permit_reader is not None
    validity_reader = permit_reader.table_at("validity", required=False)
    validity = Validity()
    if validity_reader is not None:
        validity = Validity(
            years=validity_reader.integer("years", required=False),
            reregistration_years=validity_reader.integer("reregistration_years", required=False),
            inferred=validity_reader.flag("inferred"),
        )
        validity_reader.finish()
    permit = PermitSpec(
        title=permit_reader.text("title"),
        code=permit_reader.text("code"),
        validity=validity,
        inferred=permit_reader.flag("inferred"),
    )
    permit_reader.finish()
    requirements = [_requirement(r) for r in reader.tables("requirements")]
    _check_unique(reader, "requirements", [r.key for r in requirements], _("kunci persyaratan"))
    steps = [_step(s) for s in reader.tables("steps")]
    _check_steps(reader, steps)
    number = reader.integer("number")
    version = reader.integer("version")
    assert number is not None and version is not None
    sop = Sop(
        number=number,
        version=version,
        name=reader.text("name"),
        agency=reader.text("agency"),
        approved_by=reader.text("approved_by", required=False),
        created_on=reader.text("created_on", required=False),
        revised_on=reader.text("revised_on", required=False),
        effective_on=reader.text("effective_on", required=False),
        legal_basis=reader.texts("legal_basis"),
        qualifications=reader.texts("qualifications", required=False),
        related=reader.texts("related", required=False),
        equipment=reader.texts("equipment", required=False),
        recording=reader.texts("recording", required=False),
        service_time=_time(reader, "service_time"),
        cost=reader.text("cost"),
        output=reader.text("output"),
        permit=permit,
        requirements=tuple(requirements),
        steps=tuple(steps),
        external_systems=reader.texts("external_systems", required=False),
        notes=reader.texts("notes", required=False),
        source=reader.text("source", required=False),
    )
    reader.finish()
    return sop


def read_document(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning every I/O or syntax problem into a SopFileError."""
    source = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SopFileError(source, "", _("berkas terlalu besar (lebih dari 1 MB)"))
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise SopFileError(source, "", _("berkas tidak ditemukan")) from exc
    except OSError as exc:
        raise SopFileError(
            source, "", _("berkas tidak dapat dibaca: {error}").format(error=exc.strerror)
        ) from exc
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))  # Notepad saves a byte-order mark
    except UnicodeDecodeError as exc:
        raise SopFileError(source, "", _("berkas bukan teks UTF-8")) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SopFileError(source, "", _toml_problem(exc)) from exc


#: Where tomllib (Python 3.11-3.13) says a syntax error is: "... (at line 3, column 8)".
_TOML_WHERE = re.compile(r"^(?P<detail>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_TOML_END = " (at end of document)"


def _toml_problem(error: tomllib.TOMLDecodeError) -> str:
    """tomllib's English message as an Indonesian sentence with line and column.

    The office edits SOP files in Notepad: the line and column tell where to
    look; tomllib's own detail stays in parentheses for whoever knows TOML.
    """
    text = str(error)
    where = _TOML_WHERE.match(text)
    if where is not None:
        return _("format TOML tidak sah di baris {line}, kolom {column} ({detail})").format(
            line=where["line"], column=where["column"], detail=where["detail"]
        )
    if text.endswith(_TOML_END):
        return _("format TOML tidak sah di akhir berkas ({detail})").format(
            detail=text.removesuffix(_TOML_END)
        )
    return _("format TOML tidak sah: {error}").format(error=text)


def load_sop_file(path: Path) -> Sop:
    return parse_sop(read_document(path), str(path))
