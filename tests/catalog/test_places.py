"""Landak's places as shipped: the 13 kecamatan of the notes, partial desa marked so."""

from __future__ import annotations

from pathlib import Path

import pytest

from loket.catalog.places import PlacesError, load_places

NOTES_KECAMATAN = {
    "61.08.01": "Ngabang",
    "61.08.02": "Mempawah Hulu",
    "61.08.03": "Menjalin",
    "61.08.04": "Mandor",
    "61.08.05": "Air Besar",
    "61.08.06": "Menyuke",
    "61.08.07": "Sengah Temila",
    "61.08.08": "Meranti",
    "61.08.09": "Kuala Behe",
    "61.08.10": "Sebangki",
    "61.08.11": "Jelimpo",
    "61.08.12": "Banyuke Hulu",
    "61.08.13": "Sompak",
}


def test_the_thirteen_kecamatan_of_the_notes_with_their_codes() -> None:
    landak = load_places()
    assert landak.name == "Landak"
    assert landak.code == "61.08"
    assert {k.code: k.name for k in landak.kecamatan} == NOTES_KECAMATAN


def test_desa_lists_are_marked_partial_and_hold_only_named_desa() -> None:
    landak = load_places()
    assert not landak.complete
    assert landak.desa_of("ngabang") == ("Tebedak",)
    assert all(not k.desa for k in landak.kecamatan if k.name != "Ngabang")


def test_lookup_by_typed_name_and_by_nik_district_code() -> None:
    landak = load_places()
    found = landak.find("  sengah   TEMILA ")
    assert found is not None
    assert found.code == "61.08.07"
    by_code = landak.by_code("610813")
    assert by_code is not None
    assert by_code.name == "Sompak"
    assert landak.find("Pontianak Kota") is None
    assert landak.desa_of("Pontianak Kota") == ()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "places.toml"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = 'schema = 1\nregency_code = "61.08"\nregency = "Landak"\nprovince = "Kalbar"\n'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "kosong"),
        ('[[kecamatan]]\ncode = "1"\nname = "A"\ndesa = [1]\n', "desa"),
        ('[[kecamatan]]\ncode = "1"\nname = "A"\ndesa_complete = "ya"\n', "desa_complete"),
        ('[[kecamatan]]\ncode = "1"\n', "name"),
        ('[[kecamatan]]\ncode = "1"\nname = "A"\n[[kecamatan]]\ncode = "1"\nname = "B"\n', "ganda"),
    ],
)
def test_a_broken_file_is_refused_naming_the_problem(
    tmp_path: Path, body: str, expected: str
) -> None:
    with pytest.raises(PlacesError, match=expected):
        load_places(_write(tmp_path, HEADER + body))


def test_unknown_schema_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlacesError, match="skema"):
        load_places(_write(tmp_path, "schema = 2\n"))
    with pytest.raises(PlacesError, match="missing"):
        load_places(tmp_path / "missing.toml")
