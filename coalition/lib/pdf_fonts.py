"""The Unicode font of the project's PDFs (fpdf2), parsed once per process instead of once per document.

fpdf2's `add_font` reads the TrueType file with fontTools on every document: the character map and the width of
every glyph of DejaVuSans (about 750 kB, and as much again for the bold face). For a country brief that was more
than a third of the time to draw it. `add_unicode_font` parses each face once per process and gives every document
a light copy of it: what never changes (character map, widths, metrics, the HarfBuzz face used for shaping) is
shared; what a document changes is its own — the subset of glyphs it uses, and the fontTools font that fpdf2
subsets *in place* when writing the file (opened per document, lazily, from bytes kept in memory, without the
layout tables: HarfBuzz shapes from the file itself and fpdf2 drops them from the embedded subset anyway).

`needs_shaping(text)` says whether a line needs HarfBuzz: shaping every line of a Latin text only slows drawing.
"""

from __future__ import annotations

import threading
import unicodedata
from io import BytesIO
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

# Tables fpdf2 removes from the embedded subset; the per-document copy never loads them (HarfBuzz reads its own).
_LAYOUT_TABLES = ("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "kern", "BASE", "JSTF")

_lock = threading.Lock()
# (path, style) -> (the face parsed once, the file's bytes without its layout tables)
_faces: dict[tuple[str, str], tuple[TTFFont, bytes]] = {}
_PARSER = FPDF()  # only lends `fonts` and `render_color_fonts` to TTFFont while parsing


def _face(path: Path, style: str) -> tuple[TTFFont, bytes]:
    key = (str(path), style)
    with _lock:
        if key not in _faces:
            parsed = TTFFont(_PARSER, path, f"shared{style}", style)
            parsed.hbfont  # noqa: B018  the HarfBuzz face, loaded once, shared (read-only while shaping)
            stripped = ttLib.TTFont(path, recalcTimestamp=False)
            for tag in _LAYOUT_TABLES:
                if tag in stripped:
                    del stripped[tag]
            buffer = BytesIO()
            stripped.save(buffer)
            _faces[key] = (parsed, buffer.getvalue())
        return _faces[key]


def add_unicode_font(document: FPDF, family: str, style: str, path: Path) -> None:
    """Make the TrueType font at `path` available to `document` as (family, style), like `FPDF.add_font`."""
    style = "".join(sorted(style.upper()))
    parsed, stripped = _face(path, style)
    font: TTFFont = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(parsed, name):
            setattr(font, name, getattr(parsed, name))
    fontkey = f"{family.lower()}{style}"
    font.i = len(document.fonts) + 1
    font.fontkey = fontkey
    font.ttfont = ttLib.TTFont(BytesIO(stripped), recalcTimestamp=False, lazy=True)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.color_font = None
    font.subset = SubsetMap(font)
    document.fonts[fontkey] = font


def parsed_faces() -> int:
    """How many faces this process has parsed (tests check a second document parses none)."""
    return len(_faces)


def needs_shaping(text: str) -> bool:
    """Whether drawing `text` needs HarfBuzz: a right-to-left script, a script whose letters change shape or
    combine (Indic, Thai, Khmer, Myanmar, Tibetan, Hangul jamo…), or a combining mark.

    Latin, Greek, Cyrillic and punctuation (bullets, dashes) draw one glyph per character without it.
    """
    if text.isascii():
        return False
    for character in text:
        code = ord(character)
        if any(start <= code <= end for start, end in _SHAPED_RANGES):
            return True
        if unicodedata.combining(character) or unicodedata.bidirectional(character) in ("R", "AL"):
            return True
    return False


_SHAPED_RANGES = (
    (0x0590, 0x08FF),  # Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic
    (0x0900, 0x0FFF),  # Indic scripts, Sinhala, Thai, Lao, Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul jamo
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)
