"""Broken SOP files are refused with the exact key and an Indonesian explanation.

Each case starts from the valid document of ``data/sop/sop-068.toml`` and
breaks exactly one thing, so the error it gets is the error for that thing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loket.catalog import Catalog, CatalogError, SopFileError, load_sop_file, parse_sop
from loket.catalog.catalog import CatalogEntry, default_sop_dirs
from loket.catalog.loader import MAX_FILE_BYTES, read_document
from tests.workflow.support import SOP_068_PATH, SOP_076_PATH, document

Doc = dict[str, Any]
Mutation = Callable[[Doc], None]

#: The valid document used as the starting point of every case.
SOURCE = "sop-068.toml"


def _set(path: str, value: object) -> Mutation:
    """Set ``value`` at a dotted/indexed path such as ``steps.2.time.unit``."""

    def mutate(doc: Doc) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _del(path: str) -> Mutation:
    def mutate(doc: Doc) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return mutate


def _swap_steps(doc: Doc) -> None:
    doc["steps"][4], doc["steps"][5] = doc["steps"][5], doc["steps"][4]


def _duplicate_requirement(doc: Doc) -> None:
    doc["requirements"][3]["key"] = "ktp"


def _move_signing_into_the_middle(doc: Doc) -> None:
    doc["steps"][6]["kind"] = "signing"
    doc["steps"][6]["actor"] = "kepala_dinas"
    doc["steps"][8]["kind"] = "review"


CASES = [
    # missing keys
    pytest.param(_del("name"), "name", "wajib ada", id="missing-top-level"),
    pytest.param(_del("steps"), "steps", "wajib ada", id="missing-steps"),
    pytest.param(_del("permit.title"), "permit.title", "wajib ada", id="missing-permit-title"),
    pytest.param(_del("steps.2.activity"), "steps[2].activity", "wajib ada", id="missing-step-key"),
    pytest.param(
        _del("steps.2.time.unit"), "steps[2].time.unit", "wajib ada", id="missing-time-unit"
    ),
    pytest.param(
        _del("requirements.1.name"), "requirements[1].name", "wajib ada", id="missing-req-name"
    ),
    pytest.param(_del("service_time"), "service_time", "wajib ada", id="missing-service-time"),
    # wrong types and values
    pytest.param(_set("number", "68"), "number", "bilangan bulat", id="number-as-text"),
    pytest.param(_set("version", True), "version", "bilangan bulat", id="version-as-bool"),
    pytest.param(
        _set("steps.3.time.amount", 1.5), "steps[3].time.amount", "bilangan bulat", id="float"
    ),
    pytest.param(
        _set("steps.3.time.amount", 0), "steps[3].time.amount", "paling sedikit 1", id="zero-time"
    ),
    pytest.param(_set("name", "   "), "name", "tidak boleh kosong", id="blank-name"),
    pytest.param(_set("cost", 0), "cost", "harus berupa teks", id="cost-as-number"),
    pytest.param(
        _set("steps.0.optional", "ya"), "steps[0].optional", "true atau false", id="flag-as-text"
    ),
    pytest.param(
        _set("legal_basis", "UU 22/2009"), "legal_basis", "daftar teks", id="list-as-text"
    ),
    pytest.param(
        _set("legal_basis", ["UU", 22]), "legal_basis", "daftar teks", id="list-with-number"
    ),
    pytest.param(_set("permit", "IUP"), "permit", "harus berupa tabel", id="table-as-text"),
    pytest.param(_set("steps", {"no": 1}), "steps", "daftar tabel", id="steps-as-table"),
    pytest.param(_set("steps", []), "steps", "tidak boleh kosong", id="no-steps"),
    pytest.param(
        _set("requirements.2.applies_to", "koperasi"),
        "requirements[2].applies_to",
        "harus salah satu dari: individual, company",
        id="unknown-applicant-kind",
    ),
    pytest.param(
        _set("steps.1.fields.0.type", "list"),
        "steps[1].fields[0].type",
        "harus salah satu dari",
        id="unknown-field-type",
    ),
    pytest.param(
        _set("permit.validity.years", 0),
        "permit.validity.years",
        "paling sedikit 1",
        id="zero-validity",
    ),
    # unknown units and actors
    pytest.param(
        _set("steps.2.time.unit", "week"),
        "steps[2].time.unit",
        "harus salah satu dari: minute, hour, day",
        id="unknown-unit",
    ),
    pytest.param(
        _set("service_time.unit", "hari"),
        "service_time.unit",
        "harus salah satu dari",
        id="unknown-service-unit",
    ),
    pytest.param(
        _set("steps.6.actor", "kasubag"), "steps[6].actor", "harus salah satu dari", id="actor"
    ),
    pytest.param(
        _set("steps.0.recorded_by", "operator"),
        "steps[0].recorded_by",
        "harus salah satu dari",
        id="unknown-recorder",
    ),
    pytest.param(
        _set("steps.4.kind", "approval"), "steps[4].kind", "harus salah satu dari", id="kind"
    ),
    # unknown keys (typos)
    pytest.param(_set("nmae", "Izin"), "nmae", "kunci tidak dikenal", id="typo-top-level"),
    pytest.param(_set("steps.4.ouput", "x"), "steps[4].ouput", "kunci tidak dikenal", id="typo"),
    pytest.param(
        _set("steps.4.time.units", "day"),
        "steps[4].time.units",
        "kunci tidak dikenal",
        id="typo-in-time",
    ),
    pytest.param(
        _set("steps.1.fields.0.requird", True),
        "steps[1].fields[0].requird",
        "kunci tidak dikenal",
        id="typo-in-field",
    ),
    pytest.param(
        _set("requirements.2.mandatori", True),
        "requirements[2].mandatori",
        "kunci tidak dikenal",
        id="typo-in-requirement",
    ),
    pytest.param(
        _set("permit.validity.year", 5),
        "permit.validity.year",
        "kunci tidak dikenal",
        id="typo-in-validity",
    ),
    pytest.param(_set("permit.kode", "X"), "permit.kode", "kunci tidak dikenal", id="typo-permit"),
    # uniqueness and order
    pytest.param(
        _duplicate_requirement,
        "requirements[3]",
        "kunci persyaratan ktp dipakai lebih dari sekali",
        id="duplicate-requirement-key",
    ),
    pytest.param(
        _set("steps.4.no", 4), "steps[4].no", "berurutan mulai 1 (diharapkan 5)", id="repeated-no"
    ),
    pytest.param(_swap_steps, "steps[4].no", "diharapkan 5", id="steps-out-of-order"),
    pytest.param(_set("steps.0.no", 0), "steps[0].no", "paling sedikit 1", id="step-zero"),
    pytest.param(_set("steps.0.no", 2), "steps[0].no", "diharapkan 1", id="not-from-one"),
    # the signing step
    pytest.param(
        _set("steps.8.kind", "review"),
        "steps[8].kind",
        "hanya langkah itu, harus berjenis signing",
        id="no-signing-step",
    ),
    pytest.param(
        _move_signing_into_the_middle,
        "steps[6].kind",
        "harus berjenis signing",
        id="signing-not-last",
    ),
    pytest.param(
        _set("steps.8.actor", "kasi_perizinan"),
        "steps[8].actor",
        "tidak boleh sign",
        id="signing-by-a-role-that-cannot-sign",
    ),
    pytest.param(
        _set("steps.5.actor", "back_office"),
        "steps[5].actor",
        "tidak boleh return_files",
        id="entry-by-a-role-that-cannot-return-files",
    ),
    pytest.param(
        _set("steps.8.optional", True),
        "steps[8].optional",
        "tidak boleh opsional",
        id="optional-signing",
    ),
    # applicant steps and inferred parts
    pytest.param(
        _del("steps.0.recorded_by"),
        "steps[0].recorded_by",
        "langkah pemohon harus dicatat oleh peran petugas",
        id="applicant-without-recorder",
    ),
    pytest.param(
        _set("steps.1.recorded_by", "pemohon"),
        "steps[1].recorded_by",
        "langkah pemohon harus dicatat oleh peran petugas",
        id="applicant-recorded-by-applicant",
    ),
    pytest.param(
        _set("steps.0.inferred_parts", ["actor", "aktor"]),
        "steps[0].inferred_parts",
        "bagian langkah tidak dikenal: aktor",
        id="unknown-inferred-part",
    ),
    # schema
    pytest.param(
        _set("schema", 2),
        "schema",
        "versi skema 2 tidak didukung (didukung: 1)",
        id="future-schema",
    ),
    pytest.param(_del("schema"), "schema", "wajib ada", id="missing-schema"),
]


@pytest.mark.parametrize(("mutate", "key", "problem"), CASES)
def test_broken_document_names_the_exact_key(mutate: Mutation, key: str, problem: str) -> None:
    doc = document(SOP_068_PATH)
    mutate(doc)
    with pytest.raises(SopFileError) as caught:
        parse_sop(doc, SOURCE)
    error = caught.value
    assert error.key == key
    assert problem in error.problem
    assert error.source == SOURCE
    assert str(error) == f"{SOURCE}: {key}: {error.problem}"


def test_the_unmutated_document_is_valid() -> None:
    """The starting point of the cases above must itself load."""
    assert parse_sop(document(SOP_068_PATH), SOURCE).number == 68


def test_second_signing_step_is_named_where_it_is() -> None:
    """Two signing steps: the error points at the extra one, not at the last step."""
    doc = document(SOP_068_PATH)
    doc["steps"][6]["kind"] = "signing"
    doc["steps"][6]["actor"] = "kepala_dinas"
    with pytest.raises(SopFileError) as caught:
        parse_sop(doc, SOURCE)
    assert caught.value.key == "steps[6].kind"
    assert "hanya langkah itu, harus berjenis signing" in caught.value.problem


def test_clerk_step_recorded_by_the_applicant_is_refused() -> None:
    """The applicant is no user: a step recorded "by the applicant" could never be done."""
    doc = document(SOP_068_PATH)
    doc["steps"][6]["recorded_by"] = "pemohon"
    with pytest.raises(SopFileError) as caught:
        parse_sop(doc, SOURCE)
    assert caught.value.key == "steps[6].recorded_by"
    assert caught.value.problem == "pemohon bukan pengguna Loket; pilih peran petugas"


def test_duplicate_field_key_in_one_step_is_refused() -> None:
    """Two inputs of one step must not write the same key of the step's data."""
    doc = document(SOP_076_PATH)
    fields = doc["steps"][3]["fields"]
    fields[1]["key"] = fields[0]["key"]
    with pytest.raises(SopFileError) as caught:
        parse_sop(doc, SOURCE)
    assert caught.value.key == "steps[3].fields[1]"
    assert caught.value.problem == "kunci isian sicantik_no dipakai lebih dari sekali"


def test_same_field_key_in_two_steps_is_allowed() -> None:
    """Field keys are unique per step: SOP 68 and 76 reuse ``sicantik_username`` freely."""
    doc = document(SOP_068_PATH)
    doc["steps"][3]["fields"].append(dict(doc["steps"][1]["fields"][0]))
    sop = parse_sop(doc, SOURCE)
    assert [f.key for f in sop.step(4).fields] == ["sicantik_no", "sicantik_username"]


def test_permit_without_validity_is_valid_while_the_business_runs() -> None:
    """``permit.validity`` may be left out: no term, not marked inferred."""
    doc = document(SOP_068_PATH)
    del doc["permit"]["validity"]
    validity = parse_sop(doc, SOURCE).permit.validity
    assert (validity.years, validity.reregistration_years, validity.inferred) == (None, None, False)


# -- files ---------------------------------------------------------------------


def _file_error(path: Path) -> SopFileError:
    with pytest.raises(SopFileError) as caught:
        load_sop_file(path)
    assert caught.value.key == ""
    assert caught.value.source == str(path)
    assert str(caught.value).startswith(f"{path}: (berkas): ")
    return caught.value


def test_bad_toml_syntax(tmp_path: Path) -> None:
    path = tmp_path / "sop-001.toml"
    path.write_text('schema = 1\nname = "Izin\n', encoding="utf-8")
    assert "format TOML tidak sah" in _file_error(path).problem


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "sop-001.toml"
    path.write_bytes('name = "Izin Usaha Perbengkelan – Café"\n'.encode("cp1252"))
    assert _file_error(path).problem == "berkas bukan teks UTF-8"


def test_utf8_file_with_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "sop-068.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SOP_068_PATH.read_bytes())
    assert load_sop_file(path).number == 68


def test_missing_file(tmp_path: Path) -> None:
    assert _file_error(tmp_path / "tidak-ada.toml").problem == "berkas tidak ditemukan"


def test_file_over_one_megabyte_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "sop-001.toml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    assert "terlalu besar (lebih dari 1 MB)" in _file_error(path).problem


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    """The limit is "more than 1 MB": a file of exactly MAX_FILE_BYTES is parsed."""
    path = tmp_path / "sop-001.toml"
    path.write_bytes(b"#" + b"x" * (MAX_FILE_BYTES - 2) + b"\n")
    assert read_document(path) == {}


def test_unreadable_path(tmp_path: Path) -> None:
    folder = tmp_path / "sop-001.toml"
    folder.mkdir()
    assert "berkas tidak dapat dibaca" in _file_error(folder).problem


def test_semantic_error_in_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sop-068.toml"
    text = SOP_068_PATH.read_text(encoding="utf-8").replace('unit = "minute"', 'unit = "menit"', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SopFileError) as caught:
        load_sop_file(path)
    assert (caught.value.source, caught.value.key) == (str(path), "steps[0].time.unit")


# -- catalog lookups -------------------------------------------------------------


def _write_version(folder: Path, version: int, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SOP_068_PATH.read_text(encoding="utf-8")
    text = text.replace("version = 1", f"version = {version}", 1)
    text = text.replace('name = "Izin Usaha Perbengkelan"', f'name = "{name}"', 1)
    path = folder / f"sop-068-v{version}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_sop_number_is_a_catalog_error() -> None:
    catalog = Catalog.from_dirs(default_sop_dirs())
    with pytest.raises(CatalogError, match=r"^SOP 12 tidak dikenal$"):
        catalog.get(12)


def test_unknown_sop_version_is_a_catalog_error() -> None:
    catalog = Catalog.from_dirs(default_sop_dirs())
    with pytest.raises(CatalogError, match=r"^SOP 68 versi 7 tidak dikenal$"):
        catalog.get(68, 7)


def test_latest_version_wins_and_older_stays_available(tmp_path: Path) -> None:
    _write_version(tmp_path / "a", 2, "Izin Usaha Perbengkelan (revisi)")
    _write_version(tmp_path / "b", 1, "Izin Usaha Perbengkelan")
    catalog = Catalog.from_dirs([tmp_path / "a", tmp_path / "b"])
    assert len(catalog) == 2
    assert catalog.numbers() == [68]
    assert catalog.get(68).version == 2
    assert catalog.get(68).name == "Izin Usaha Perbengkelan (revisi)"
    assert catalog.get(68, 1).name == "Izin Usaha Perbengkelan"
    assert [sop.version for sop in catalog.latest()] == [2]


def test_office_folder_adds_a_newer_version_of_a_shipped_sop(tmp_path: Path) -> None:
    _write_version(tmp_path / "sop", 2, "Izin Usaha Perbengkelan (kantor)")
    catalog = Catalog.from_dirs(default_sop_dirs(tmp_path))
    assert catalog.get(68).name == "Izin Usaha Perbengkelan (kantor)"
    assert catalog.get(76).version == 1


def test_missing_folders_are_skipped(tmp_path: Path) -> None:
    catalog = Catalog.from_dirs([tmp_path / "tidak-ada"])
    assert len(catalog) == 0
    assert catalog.latest() == []


def test_an_invalid_file_stops_the_load(tmp_path: Path) -> None:
    (tmp_path / "sop-000.toml").write_text("schema = 1\n", encoding="utf-8")
    with pytest.raises(SopFileError):
        Catalog.from_dirs([tmp_path])


def test_from_files_loads_the_named_files() -> None:
    catalog = Catalog.from_files([SOP_068_PATH, SOP_076_PATH])
    assert catalog.numbers() == [68, 76]


def test_snapshot_round_trips_through_document_json() -> None:
    """A dossier's stored snapshot gives back the very SOP it was filed under."""
    entry = Catalog.from_dirs(default_sop_dirs()).entry(68)
    snapshot = entry.document_json()
    assert json.loads(snapshot) == entry.document
    fresh = Catalog([])
    sop = fresh.add_snapshot(snapshot, "snapshot:SOP68v1")
    assert sop == entry.sop
    assert fresh.entry(68, 1).document_json() == snapshot


def test_snapshot_of_an_older_version_joins_the_catalog(tmp_path: Path) -> None:
    newer = _write_version(tmp_path, 2, "Izin Usaha Perbengkelan (revisi)")
    catalog = Catalog.from_files([newer])
    old = CatalogEntry(parse_sop(document(SOP_068_PATH), "x"), document(SOP_068_PATH))
    sop = catalog.add_snapshot(old.document_json(), "snapshot")
    assert sop.version == 1
    assert catalog.get(68).version == 2
    assert catalog.get(68, 1) == sop


def test_snapshot_of_a_loaded_version_keeps_the_loaded_entry() -> None:
    catalog = Catalog.from_dirs(default_sop_dirs())
    loaded = catalog.get(68, 1)
    again = catalog.add_snapshot(catalog.entry(68, 1).document_json(), "snapshot")
    assert again is loaded
    assert len(catalog) == 2


def test_broken_snapshot_is_an_sop_file_error() -> None:
    entry = Catalog.from_dirs(default_sop_dirs()).entry(76)
    doc = json.loads(entry.document_json())
    doc["steps"][7]["actor"] = "penyidik"
    with pytest.raises(SopFileError) as caught:
        Catalog([]).add_snapshot(json.dumps(doc), "snapshot:SOP76v1")
    assert (caught.value.source, caught.value.key) == ("snapshot:SOP76v1", "steps[7].actor")
