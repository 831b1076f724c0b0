"""The country brief as a PDF for print: A4, the generation date and page number on every page, sources at the end.

Drawn with fpdf2 from the same `brief.Brief` the HTML page shows, in the active language. With the project's Unicode
font, HarfBuzz (uharfbuzz) shapes the text, so Arabic letters join; in a right-to-left language every paragraph
runs and aligns from the right (as letters/pdf.py does for a letter written in Arabic).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from coalition.lib import pdf_fonts
from coalition.lib.markdown import markdown_to_text
from coalition.states.brief import Brief
from coalition.states.templatetags import obligation_tags

# Bump when the drawing changes (fonts, margins, sizes), so PDFs drawn the old way leave the cache.
BRIEF_PDF_LAYOUT = "2"
# The outline stroked around bold text, in points per point of the font size: about what a bold face adds.
_STROKE = 0.035
_LINE_WIDTH = 0.2  # fpdf2's default, in mm


class _BriefPDF(FPDF):
    footer_text = ""
    font_name = "Helvetica"
    rtl = False

    def footer(self) -> None:
        if self.text_mode != TextMode.FILL:  # a heading broken across pages: its footer is not bold
            _stroke_outlines(self, None)
        self.set_y(-14)
        self.set_font(self.font_name, size=8)
        page = _("Page %(number)s") % {"number": self.page_no()}
        text = f"{self.footer_text} · {page}"
        self.cell(0, 6, _latin(text, self.font_name), align="L" if self.rtl else "R")


def _latin(value: str, font: str) -> str:
    if font == "Helvetica":
        return value.encode("latin-1", "replace").decode("latin-1")
    return value


def _document() -> _BriefPDF:
    document = _BriefPDF(format="A4")
    document.set_margins(20, 18, 20)
    document.set_auto_page_break(auto=True, margin=20)
    rtl = translation.get_language_bidi()
    font_path = Path(settings.LETTERS_PDF_FONT)
    if font_path.is_file():
        # One face: headings are emboldened by stroking their outlines (see _play), since every face embedded
        # is subset again for each document, about a fifth of the time to draw a brief.
        pdf_fonts.add_unicode_font(document, "Brief", "", font_path)
        # A right-to-left brief is shaped throughout (its paragraphs run from the right); otherwise only the
        # lines that need it are (see _play).
        if rtl:
            document.set_text_shaping(True, direction="rtl")
        document.font_name = "Brief"
    document.rtl = rtl
    document.set_creator(str(settings.COALITION_NAME))
    document.set_lang(translation.get_language() or "en")
    return document


# What to draw, as a list of steps: ("page",), ("footer", text), ("text", value, size, bold, height), ("ln", h).
# The steps are the whole content of the document, so they are also the key of the PDF cache.
Step = tuple[object, ...]


class _Writer:
    def __init__(self, *, rtl: bool) -> None:
        self.rtl = rtl
        self.steps: list[Step] = []

    def page(self, footer: str) -> None:
        self.steps += [("page",), ("footer", footer)]

    def text(self, value: str, *, size: float = 10, bold: bool = False, height: float = 5) -> None:
        self.steps.append(("text", value, size, bold, height))

    def heading(self, value: str) -> None:
        self.steps.append(("ln", 3))
        self.text(value, size=13, bold=True, height=7)
        self.steps.append(("ln", 1))

    def item(self, value: str) -> None:
        self.text(f"• {value}" if not self.rtl else f"{value} •")


def _play(document: _BriefPDF, steps: Iterable[Step]) -> None:
    align = "R" if document.rtl else "L"
    unicode_font = document.font_name != "Helvetica"
    for step in steps:
        if step[0] == "page":
            # The footer of the previous state's last page is drawn by add_page, so the text changes after it.
            document.add_page()
        elif step[0] == "footer":
            document.footer_text = str(step[1])
        elif step[0] == "ln":
            document.ln(float(step[1]))  # type: ignore[arg-type]
        else:
            _kind, value, size, bold, height = step
            text = str(value)
            if unicode_font and not document.rtl:
                # HarfBuzz only for the lines that need it (an Arabic name in an English brief): it joins letters,
                # but costs a shaping run per word when breaking lines.
                document.set_text_shaping(pdf_fonts.needs_shaping(text))
            embolden = bool(bold) and unicode_font
            style = "B" if bold and not embolden else ""
            document.set_font(document.font_name, style, size=float(size))  # type: ignore[arg-type]
            if embolden:
                _stroke_outlines(document, float(size))  # type: ignore[arg-type]
            document.multi_cell(
                0,
                float(height),  # type: ignore[arg-type]
                _latin(text, document.font_name),
                align=align,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            if embolden:
                _stroke_outlines(document, None)


def _stroke_outlines(document: _BriefPDF, size: float | None) -> None:
    """Bold drawn with the regular face: its outlines stroked as well as filled (`size`), or no longer (None).

    The rendering mode is part of the page's text state and outlives the text object, so it is set back
    explicitly; fpdf2 writes a text's stroke width as it is given, in points.
    """
    if size is None:
        document.text_mode = TextMode.FILL
        document.line_width = _LINE_WIDTH
        document._out("0 Tr")
    else:
        document.text_mode = TextMode.FILL_STROKE
        document.line_width = size * _STROKE


def _date(value: date | datetime | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def brief_pdf(brief: Brief) -> bytes:
    """The brief, laid out for A4 print, in the active language.

    Kept in the cache under a digest of everything drawn (every line, the language, the title, the font): the
    same content is the same PDF, and any change to the data the brief shows makes a new key at once — no
    invalidation to forget. The public and the restricted brief differ in content, so they never share an entry.
    """
    title = _("Country brief: %(name)s") % {"name": brief.state.display_name}
    steps = brief_steps(brief, rtl=translation.get_language_bidi())
    key = _cache_key(title, steps)
    cached = cache.get(key) if key else None
    if cached is not None:
        return bytes(cached)
    document = _document()
    document.set_title(title)
    _play(document, steps)
    content = bytes(document.output())
    if key:
        # Its key changes with its content; the lifetime only bounds the memory the cache gives it.
        cache.set(key, content, settings.STATES_BRIEF_PDF_CACHE_SECONDS)
    return content


def _cache_key(title: str, steps: list[Step]) -> str:
    if not settings.STATES_BRIEF_PDF_CACHE_SECONDS:
        return ""
    digest = hashlib.sha256()
    for part in (
        BRIEF_PDF_LAYOUT,
        translation.get_language() or "",
        str(translation.get_language_bidi()),
        str(settings.LETTERS_PDF_FONT),
        str(settings.COALITION_NAME),
        title,
        repr(steps),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"states:brief-pdf:{digest.hexdigest()}"


def briefs_pdf(briefs: Iterable[Brief], *, title: str, done: Callable[[int], object] | None = None) -> bytes:
    """Several briefs in one document for print, each state starting on a new page (`done(n)` after each)."""
    document = _document()
    document.set_title(title)
    for number, brief in enumerate(briefs, start=1):
        brief_draw(document, brief)
        if done is not None:
            done(number)
    return bytes(document.output())


def brief_draw(document: _BriefPDF, brief: Brief) -> None:
    """Append the brief to the document, from a new page; its pages' footer names the state."""
    _play(document, brief_steps(brief, rtl=document.rtl))


def brief_steps(brief: Brief, *, rtl: bool) -> list[Step]:
    """What the brief's pages say, in the active language: from a new page, its footer naming the state."""
    state, profile = brief.state, brief.profile
    generated = formats.date_format(brief.generated, "DATE_FORMAT")
    w = _Writer(rtl=rtl)
    w.page(_("%(name)s — generated on %(date)s") % {"name": state.display_name, "date": generated})

    w.text(_("Country brief: %(name)s") % {"name": state.display_name}, size=18, bold=True, height=9)
    w.text(_("Generated from the coalition's data on %(date)s.") % {"date": generated}, size=9)
    if brief.restricted:
        w.text(
            _("This brief includes restricted sections for coalition users: do not share it outside the coalition."),
            size=9,
            bold=True,
        )

    w.heading(_("Treaty status and history"))
    w.text(str(state.get_status_display()), bold=True)
    for event in profile.events:
        w.item(f"{_date(event.date)}: {event.get_kind_display()}" + (f": {event.title}" if event.title else ""))
    if not profile.events:
        w.text(_("No dated event: this state has not signed or joined the treaty."))

    w.heading(_("Obligations under the Convention"))
    result = profile.obligations.result if profile.obligations else None
    if result is not None and result.reason:
        w.text(obligation_tags.obligation_reason(result.reason))
    for item in result.items if result else []:
        line = f"{obligation_tags.article_label(item.article)}: {obligation_tags.obligation_status_label(item.status)}"
        line += f" — {_('Deadline')}: {_date(item.due)}" if item.due else f" — {_('No deadline')}"
        if item.met_on:
            line += f" — {item.met_on.year if item.met_year_only else _date(item.met_on)}"
        if item.missing_periods:
            line += f" — {_('Missing reports for:')} {', '.join(str(p) for p in item.missing_periods)}"
        w.item(line)

    w.heading(_("Facts"))
    for group in profile.fact_groups:
        w.item(f"{group.label}: {group.value_label}")
    if not profile.fact_groups:
        w.text(_("No fact recorded about stockpiling, production, use or contamination."))
    w.heading(_("National measures"))
    for measure in profile.measures:
        line = f"{measure.title} ({measure.get_kind_display()}, {measure.get_status_display()})"
        if measure.completed:
            line += f" — {measure.completed.year if measure.completed_year_only else _date(measure.completed)}"
        if measure.munitions_destroyed is not None:
            line += f"; {_('Munitions destroyed')}: {intcomma(measure.munitions_destroyed)}"
        w.item(line)
    if not profile.measures:
        w.text(_("No national measure recorded yet."))

    w.heading(_("Field research"))
    research = brief.research
    w.text(
        _("Approved records: %(killed)s killed, %(injured)s injured, %(strikes)s strikes.")
        % {
            "killed": intcomma(research.get("killed", 0)),
            "injured": intcomma(research.get("injured", 0)),
            "strikes": intcomma(research.get("strikes", 0)),
        }
    )
    for row in research.get("by_year", []):
        w.item(f"{row['year']}: {_('Killed')} {intcomma(row['killed'])}, {_('Injured')} {intcomma(row['injured'])}")

    w.heading(_("International meetings"))
    for participation in profile.participations:
        year = f", {participation.meeting.start.year}" if participation.meeting.start else ""
        w.item(f"{participation.meeting.name}{year}")
    if not profile.participations:
        w.text(_("No participation in an international meeting recorded yet."))
    for statement in profile.statements:
        w.item(f"{statement.meeting.name}: {statement.title or _('Statement')}")

    restricted = brief.restricted
    if restricted is not None:
        asks_heading = _("The campaign's asks")
        w.heading(f"{asks_heading} ({_('coalition only')})")
        w.text(markdown_to_text(restricted.asks_text) if restricted.asks_text else _("No asks set for this state yet."))
        w.heading(f"{_('Letters to its officials')} ({_('coalition only')})")
        for row in restricted.letters:
            sent = ngettext("%(counter)s letter sent", "%(counter)s letters sent", row.sent) % {"counter": row.sent}
            w.item(f"{row.title}: {sent}")
            for reply in row.replies:
                w.text(
                    "    "
                    + _("Reply from %(who)s on %(when)s (%(stance)s)")
                    % {"who": reply.position, "when": _date(reply.received_on), "stance": reply.get_stance_display()}
                    + f": {reply.summary}",
                    size=9,
                )
        if not restricted.letters:
            w.text(_("No letter sent to its officials yet."))
        if restricted.timeline:
            w.heading(f"{_('Engagement')} ({_('coalition only')})")
            for entry in restricted.timeline:
                status = f" ({entry.status})" if entry.status else ""
                detail = f": {entry.detail}" if entry.detail else ""
                w.item(f"{_date(entry.on)} {entry.title}{status}{detail}")

    w.heading(_("Sources"))
    for number, source in enumerate(brief.sources, start=1):
        w.text(f"{number}. {source}", size=8, height=4)
    if not brief.sources:
        w.text(_("No source recorded."))
    return w.steps
