"""The country brief as a PDF for print: A4, the generation date and page number on every page, sources at the end.

Drawn with fpdf2 from the same `brief.Brief` the HTML page shows, in the active language. With the project's Unicode
font, HarfBuzz (uharfbuzz) shapes the text, so Arabic letters join; in a right-to-left language every paragraph
runs and aligns from the right (as letters/pdf.py does for a letter written in Arabic).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from coalition.lib.markdown import markdown_to_text
from coalition.states.brief import Brief
from coalition.states.templatetags import obligation_tags


class _BriefPDF(FPDF):
    footer_text = ""
    font_name = "Helvetica"
    rtl = False

    def footer(self) -> None:
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
        document.add_font("Brief", "", str(font_path))
        bold = font_path.with_name(font_path.stem + "-Bold" + font_path.suffix)
        document.add_font("Brief", "B", str(bold if bold.is_file() else font_path))
        document.set_text_shaping(True, direction="rtl" if rtl else None)
        document.font_name = "Brief"
    document.rtl = rtl
    document.set_creator(str(settings.COALITION_NAME))
    document.set_lang(translation.get_language() or "en")
    return document


class _Writer:
    def __init__(self, document: _BriefPDF) -> None:
        self.pdf = document
        self.align = "R" if document.rtl else "L"

    def text(self, value: str, *, size: float = 10, bold: bool = False, height: float = 5) -> None:
        self.pdf.set_font(self.pdf.font_name, "B" if bold else "", size=size)
        self.pdf.multi_cell(
            0, height, _latin(value, self.pdf.font_name), align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def heading(self, value: str) -> None:
        self.pdf.ln(3)
        self.text(value, size=13, bold=True, height=7)
        self.pdf.ln(1)

    def item(self, value: str) -> None:
        self.text(f"• {value}" if not self.pdf.rtl else f"{value} •")


def _date(value: date | datetime | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def brief_pdf(brief: Brief) -> bytes:
    """The brief, laid out for A4 print, in the active language."""
    document = _document()
    document.set_title(_("Country brief: %(name)s") % {"name": brief.state.display_name})
    brief_draw(document, brief)
    return bytes(document.output())


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
    state, profile = brief.state, brief.profile
    generated = formats.date_format(brief.generated, "DATE_FORMAT")
    # The footer of the previous state's last page is drawn by add_page, so the text changes after it.
    document.add_page()
    document.footer_text = _("%(name)s — generated on %(date)s") % {"name": state.display_name, "date": generated}
    w = _Writer(document)

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
