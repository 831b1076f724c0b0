"""Maps and charts are inline SVG: their coordinates must stay numbers in every language.

French, Spanish and Arabic write decimals with a comma; a coordinate written "232,0" is an
invalid SVG length, and the browser drops the shape.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

SCALAR_ATTRIBUTES = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "rx", "ry"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?(%|px)?$")


class SvgNumbers(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_svg = 0
        self.bad: list[str] = []
        self.seen = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.in_svg += 1
        if not self.in_svg:
            return
        for name, value in attrs:
            if name in SCALAR_ATTRIBUTES and value is not None:
                self.seen += 1
                if not NUMBER.match(value.strip()):
                    self.bad.append(f"<{tag} {name}={value!r}>")
            if name == "viewbox" and value is not None and "," in value:
                self.bad.append(f"<{tag} viewBox={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.in_svg -= 1


@pytest.fixture
def campaign_data(db):
    from coalition.events.tests.factories import EventFactory
    from coalition.members.tests.factories import OrganisationFactory
    from coalition.research.tests.factories import CasualtyFactory, StrikeFactory
    from coalition.states import reference_data

    reference_data.load(log=lambda message: None)
    OrganisationFactory(country="NO")
    OrganisationFactory(country="LB")
    EventFactory()
    CasualtyFactory(latitude=16.55, longitude=106.05)
    StrikeFactory(latitude=16.45, longitude=105.95)


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_svg_coordinates_are_plain_numbers_in_every_language(client, campaign_data, language):
    checked = 0
    for path in ["/", "/states/", "/states/NOR/", "/members/", "/events/", "/research/"]:
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        parser = SvgNumbers()
        parser.feed(response.content.decode())
        assert parser.bad == [], f"{path} in {language}: {parser.bad[:5]}"
        checked += parser.seen
    assert checked > 50, "the pages drew their maps and charts"
