"""Checking documents as a person would: render at 200 dpi, decode each code, read text."""

from __future__ import annotations

import io
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PIL import Image, ImageDraw

from loket.documents import CodeKind, Document
from loket.documents.page import FRAME_PADDING, PageFormat, layout
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from tests.backoffice.support import walk_to
from tests.services.support import FakeClock, register

DPI = 200
FORMATS = {CodeKind.CODE128: "Code128", CodeKind.QR: "QRCode"}


def render_pages(pdf: bytes, dpi: int = DPI) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(folder) / "page")],
            check=True,
        )
        pages = sorted(Path(folder).glob("page-*.png"))
        return [Image.open(p).convert("L").copy() for p in pages]


@dataclass(frozen=True)
class Decoded:
    expected: str
    kind: CodeKind
    found: list[tuple[str, str]]  # (format name, text)


def decode_each_code(document: Document) -> list[Decoded]:
    """Crop every code the document drew and decode it on its own."""
    pages = render_pages(document.pdf)
    scale = DPI / 72
    results = []
    for mark in document.codes:
        image = pages[mark.page]
        height = image.height
        pad = 6
        box = (
            max(0, int(mark.x0 * scale) - pad),
            max(0, int(height - mark.y1 * scale) - pad),
            min(image.width, int(mark.x1 * scale) + pad),
            min(height, int(height - mark.y0 * scale) + pad),
        )
        found = zxingcpp.read_barcodes(image.crop(box))
        results.append(Decoded(mark.value, mark.kind, [(r.format.name, r.text) for r in found]))
    return results


def assert_codes_decode(document: Document, expected_kinds: set[CodeKind]) -> None:
    assert {m.kind for m in document.codes} == expected_kinds
    for decoded in decode_each_code(document):
        assert decoded.found == [(FORMATS[decoded.kind], decoded.expected)], decoded


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def words_outside_page(pdf: bytes) -> list[str]:
    """Words whose box leaves its page: text that overflowed."""
    done = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    )
    root = ET.fromstring(done.stdout.decode("utf-8").split("<!DOCTYPE html")[-1].split(">", 1)[1])
    outside = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        width, height = float(page.attrib["width"]), float(page.attrib["height"])
        for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
            x0, y0 = float(word.attrib["xMin"]), float(word.attrib["yMin"])
            x1, y1 = float(word.attrib["xMax"]), float(word.attrib["yMax"])
            if x0 < 0 or y0 < 0 or x1 > width + 0.5 or y1 > height + 0.5:
                outside.append(word.text or "")
    return outside


# --- dossiers and readings shared by the back-office document tests -------------------

INSPECTION_STEP = 8  # SOP 76's field inspection
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
REASON = (
    "Lokasi usaha berada di kawasan permukiman padat dan tidak sesuai dengan Rencana "
    "Detail Tata Ruang (RDTR) Kecamatan Ngabang."
)


def photo_bytes(fmt: str = "JPEG", size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A real picture (a pool yard with a gate), not a stub: the BAP decodes it."""
    picture = Image.new("RGB", size, (120, 170, 90))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((200, 300, 1400, 1000), outline=(40, 40, 40), width=25)
    draw.rectangle((650, 700, 950, 1000), fill=(150, 60, 40))
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    return buffer.getvalue()


def inspected(
    loket: Loket,
    staff: dict[Role, User],
    clock: FakeClock,
    *,
    team: Sequence[str] = ("Andi Saputra (Dinas Perhubungan)", "Budi Santoso (NIP 19800101)"),
    findings: str = "Lokasi pool sesuai denah; kapasitas 12 kendaraan.\nAkses jalan memadai.",
    photos: Sequence[tuple[str, bytes]] = (("halaman-pool.jpg", photo_bytes()),),
) -> str:
    """A SOP 76 dossier whose field inspection the Tim Teknis has recorded."""
    view = walk_to(loket, staff, register(loket, staff, 76), clock, INSPECTION_STEP)
    number = view.record.number
    officer = staff[Role.TIM_TEKNIS]
    office = loket.back_office
    hashes = [
        office.attachments.attach(officer, number, content, name, "foto_lapangan").sha256
        for name, content in photos
    ]
    office.inspections.record(
        officer,
        number,
        inspected_on=clock.now.date(),
        team=list(team),
        findings=findings,
        recommendation="Layak diterbitkan",
        photos=hashes,
    )
    return number


def reading_text(pdf: bytes) -> str:
    """The text in reading order, cell by cell (``-layout`` interleaves table columns)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def words_outside_frame(pdf: bytes, page: PageFormat) -> list[str]:
    """Words left or right of the printable frame: a table too wide for its page."""
    spec = layout(page)
    left = spec.margin + FRAME_PADDING - 1
    done = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    )
    root = ET.fromstring(done.stdout.decode("utf-8").split("<!DOCTYPE html")[-1].split(">", 1)[1])
    outside = []
    for found in root.iter(f"{XHTML_NS}page"):
        right = float(found.attrib["width"]) - left
        for word in found.iter(f"{XHTML_NS}word"):
            if float(word.attrib["xMin"]) < left or float(word.attrib["xMax"]) > right:
                outside.append(word.text or "")
    return outside


def rejected(loket: Loket, staff: dict[Role, User], clock: FakeClock, reason: str = REASON) -> str:
    """A SOP 68 dossier the Kabid rejected at step 8, a day after it was received."""
    view = walk_to(loket, staff, register(loket, staff, 68), clock, 8)
    kabid = staff[Role.KABID_PERIZINAN]
    loket.back_office.claims.claim(kabid, view.record.number)
    clock.advance(days=1)
    loket.back_office.steps.reject(kabid, view.record.number, reason)
    return view.record.number
