"""An audit entry's details as the desktop shows them: the office's words, not codes."""

from __future__ import annotations

import pytest

from loket.services.audit import details_text


@pytest.mark.parametrize(
    ("after", "shown"),
    [
        (
            '{"reason":"","status":"in_progress","step":6,"target_step":null,"version":5}',
            "status: Diproses; langkah: 6",
        ),
        (
            '{"status":"returned","reason":"KTP kurang"}',
            "status: Berkas dikembalikan; alasan: KTP kurang",
        ),
        (
            '{"receiver":"Meliana Hiu","id_number":"6108"}',
            "penerima: Meliana Hiu; nomor identitas: 6108",
        ),
        ('{"scores":[3,4,3]}', "nilai: 3, 4, 3"),
        ('{"received":{"ktp":true}}', "persyaratan: ktp=True"),
        ('{"head_name":"Yulianus"}', "head_name: Yulianus"),  # other keys keep their names
        ("{}", ""),
        ("not json", "not json"),
        ("[1, 2]", "[1, 2]"),
        ("", ""),
    ],
)
def test_details_read_in_indonesian(after: str, shown: str) -> None:
    assert details_text(after) == shown
