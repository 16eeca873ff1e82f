"""Checking documents as a person would: render at 200 dpi, decode each code, read text."""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PIL import Image

from loket.documents import CodeKind, Document

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
