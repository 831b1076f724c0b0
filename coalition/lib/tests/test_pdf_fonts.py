"""The PDF font parsed once per process: a second document reuses it, and documents never share their glyphs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import TTFFont
from pypdf import PdfReader

from coalition.lib import pdf_fonts


@pytest.fixture
def font(settings) -> Path:
    path = Path(settings.LETTERS_PDF_FONT)
    assert path.is_file(), "the project's PDFs need a Unicode font (fonts-dejavu-core)"
    return path


def _pdf(font: Path, text: str) -> bytes:
    document = FPDF()
    pdf_fonts.add_unicode_font(document, "Body", "", font)
    document.set_text_shaping(pdf_fonts.needs_shaping(text))
    document.add_page()
    document.set_font("Body", size=12)
    document.multi_cell(0, 6, text)
    return bytes(document.output())


def _embedded_glyphs(content: bytes) -> set[str]:
    resources = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]
    names: set[str] = set()
    for entry in resources["/Font"].values():  # type: ignore[index]
        descendant = entry.get_object()["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        names |= set(TTFont(io.BytesIO(data)).getGlyphOrder())
    return names


def test_a_second_document_does_not_parse_the_font_again(font, monkeypatch):
    _pdf(font, "First document")  # parses the face, unless this process already has
    parsed: list[object] = []
    original = TTFFont.__init__

    def counting(self: TTFFont, *args: object, **kwargs: object) -> None:
        parsed.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(TTFFont, "__init__", counting)
    faces = pdf_fonts.parsed_faces()
    content = _pdf(font, "Second document")
    assert parsed == [] and pdf_fonts.parsed_faces() == faces
    assert "Second document" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_each_document_embeds_only_its_own_glyphs(font):
    latin = _pdf(font, "Plain Latin")
    greek = _pdf(font, "Ωμέγα")
    shaped = _pdf(font, "دولة طرف")
    assert "gamma" not in _embedded_glyphs(latin) and "gamma" in _embedded_glyphs(greek)
    assert "gamma" not in _embedded_glyphs(shaped)
    assert "Plain Latin" in PdfReader(io.BytesIO(latin)).pages[0].extract_text()
    assert "Ωμέγα" in PdfReader(io.BytesIO(greek)).pages[0].extract_text()
    # Shaped: the joined Arabic forms (U+FE70–U+FEFF), which one glyph per character never uses.
    assert any(name.startswith("uniFE") and "FE70" <= name[3:7] <= "FEFF" for name in _embedded_glyphs(shaped))


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("Lao People's Democratic Republic • 2010 — Page 1 · ok", False),
        ("Zoë Ødegård, Ελλάδα, Россия", False),
        ("دولة طرف", True),
        ("Statement by עברית", True),
        ("हिन्दी", True),
        ("ລາວ", True),
        ("e\u0301", True),  # a combining accent
    ],
)
def test_only_text_that_needs_it_is_shaped(text, shaped):
    assert pdf_fonts.needs_shaping(text) is shaped
