"""Share cards: the 1200×630 picture a chat or social network shows with a link, drawn here with Pillow.

No web font or service: the font is the one the letters' PDFs use (`LETTERS_PDF_FONT`). Arabic letters join and
run right to left where Pillow has its complex-text engine (libraqm); without it they are drawn one by one.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = "#7d1014"  # the site's navigation red
INK = "#ffffff"
PALE = "#f3d9da"
BAR = "#ffffff"
BAR_TRACK = "#a8474b"


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = Path(settings.LETTERS_PDF_FONT)
    if bold:
        heavier = path.with_name(path.stem + "-Bold" + path.suffix)
        path = heavier if heavier.is_file() else path
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _direction(right_to_left: bool) -> str | None:
    # Only libraqm knows right-to-left; the basic engine refuses the argument.
    return "rtl" if right_to_left and features.check("raqm") else None


def _wrap(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
    max_lines: int,
    direction: str | None,
) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font, direction=direction) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def card_png(
    *, kicker: str, title: str, detail: str = "", progress: float | None = None, right_to_left: bool = False
) -> bytes:
    """A card: a small line above (the campaign's name), the title in large type, a detail line, a progress bar."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    direction = _direction(right_to_left)
    inner = WIDTH - 2 * MARGIN

    def put(y: int, line: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, fill: str) -> None:
        if right_to_left:
            x = WIDTH - MARGIN - draw.textlength(line, font=font, direction=direction)
        else:
            x = MARGIN
        draw.text((x, y), line, font=font, fill=fill, direction=direction)

    put(MARGIN, kicker, _font(34), PALE)
    title_font = _font(72, bold=True)
    y = MARGIN + 90
    for line in _wrap(draw, title, title_font, inner, 3, direction):
        put(y, line, title_font, INK)
        y += 88
    if detail:
        detail_font = _font(40)
        for line in _wrap(draw, detail, detail_font, inner, 2, direction):
            put(y + 20, line, detail_font, PALE)
            y += 52
    if progress is not None:
        top = HEIGHT - MARGIN - 28
        draw.rounded_rectangle((MARGIN, top, WIDTH - MARGIN, top + 28), radius=14, fill=BAR_TRACK)
        filled = round(inner * max(0.0, min(1.0, progress)))
        if filled:
            if right_to_left:
                box = (WIDTH - MARGIN - filled, top, WIDTH - MARGIN, top + 28)
            else:
                box = (MARGIN, top, MARGIN + filled, top + 28)
            draw.rounded_rectangle(box, radius=14, fill=BAR)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
