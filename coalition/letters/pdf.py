"""Printable letters: one A4 page (or more) per message, laid out for a window envelope."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone
from fpdf import FPDF

from coalition.letters.models import Message
from coalition.lib import pdf_fonts


def _pdf() -> tuple[FPDF, str]:
    document = FPDF(format="A4")
    document.set_margins(25, 20, 20)
    document.set_auto_page_break(auto=True, margin=20)
    font_path = Path(settings.LETTERS_PDF_FONT)
    if font_path.is_file():
        # A Unicode font, so names in any script print; Helvetica only covers Latin-1. It is parsed once per
        # process (coalition.lib.pdf_fonts), not once per file.
        pdf_fonts.add_unicode_font(document, "Letter", "", font_path)
        return document, "Letter"
    return document, "Helvetica"


def _right_to_left(text: str) -> bool:
    """Whether the text starts, as a reader sees it, in a right-to-left script (its first strong letter)."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _text(value: str, font: str, document: FPDF) -> str:
    """The text as the font can draw it; with the Unicode font, HarfBuzz shapes it when it needs it (Arabic
    letters join and run right to left, mixed with Latin names in the right order), and only then: shaping a
    Latin text costs a shaping run per word."""
    if font == "Helvetica":
        return value.encode("latin-1", "replace").decode("latin-1")
    document.set_text_shaping(pdf_fonts.needs_shaping(value))
    return value


def letters_pdf(messages: Sequence[Message]) -> bytes:
    document, font = _pdf()
    document.set_title("Letters")
    document.set_creator(str(settings.COALITION_NAME))
    if not messages:
        document.add_page()
        document.set_font(font, size=11)
        document.cell(text="No letters.")
    for message in messages:
        letter = message.letter
        document.add_page()
        document.set_font(font, size=11)
        sender = "\n".join(part for part in (letter.name, letter.town) if part)
        document.multi_cell(0, 5, _text(sender, font, document), align="R")
        document.ln(8)
        address = message.term.postal_address if message.term else ""
        recipient = "\n".join(part for part in (message.recipient_name, message.recipient_title, address) if part)
        document.multi_cell(0, 5, _text(recipient, font, document))
        document.ln(8)
        sent = message.sent_at or letter.confirmed_at or timezone.now()
        document.multi_cell(0, 5, _text(formats.date_format(sent, "DATE_FORMAT"), font, document), align="R")
        document.ln(6)
        # A letter in Arabic reads from the right: its subject and text are aligned to the right margin.
        align = "R" if font != "Helvetica" and _right_to_left(message.body) else "L"
        document.set_font(font, size=12)
        document.multi_cell(0, 6, _text(message.subject, font, document), align=align)
        document.ln(4)
        document.set_font(font, size=11)
        document.multi_cell(0, 5.5, _text(message.body, font, document), align=align)
    return bytes(document.output())
