"""The world map and the phone layout in a real browser, at 1280 px and at 390 × 844 (issue 16).

Markers are a few pixels wide on a phone; a tap within 22 px of one opens it (static/js/world-map.js), so each
test taps beside a marker, not on it. Pages in other languages are reached with reverse() inside
translation.override() and the language cookie, so they work whether the language is in the URL or the cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
HEADER_BOUND = 120  # px: the header and navigation of a phone page, menu closed (was 370 of 844)


@pytest.fixture(params=["desktop", "phone"])
def screen(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _tab(browser: Any, live_server: Any, *, phone: bool, language: str = "en") -> Any:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE if phone else DESKTOP,
        has_touch=phone,
        is_mobile=phone,
        locale="en-GB",
    )
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def tab(browser: Any, live_server: Any, screen: str) -> Iterator[Any]:
    page = _tab(browser, live_server, phone=screen == "phone")
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    page = _tab(browser, live_server, phone=True)
    yield page
    page.context.close()


def _url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _tap_beside(page: Any, marker: Any, *, offset: float = 14) -> None:
    """Tap `offset` px to the right of a marker's centre: near it, not on it."""
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2 + offset, box["y"] + box["height"] / 2
    if page.viewport_size["width"] < 600:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def _map_point(page: Any, key: str, lat: float, lon: float) -> tuple[float, float]:
    """Where a latitude and longitude are on the screen, through the map's own SVG transform."""
    page.locator(f"#{key}-map svg").scroll_into_view_if_needed()
    point = page.evaluate(
        """([key, x, y]) => {
            const svg = document.querySelector(`#${key}-map svg`);
            const p = svg.createSVGPoint(); p.x = x; p.y = y;
            const q = p.matrixTransform(svg.getScreenCTM());
            return [q.x, q.y];
        }""",
        [key, lon + 180, 90 - lat],
    )
    return point[0], point[1]


def test_tapping_a_state_on_the_states_map_opens_its_profile(tab, reference):
    tab.goto(_url("states:list"))
    assert tab.locator(".world-map__region--state_party").count() > 80
    legend = tab.locator(".world-map .legend")
    assert "State party" in legend.inner_text() and "Non-signatory" in legend.inner_text()

    # The middle of Australia. (In Europe a fingertip covers several states: the list and table are the way in.)
    x, y = _map_point(tab, "states", -25.0, 134.0)
    if tab.viewport_size["width"] < 600:
        tab.touchscreen.tap(x, y)
    else:
        tab.mouse.click(x, y)

    tab.wait_for_url("**/states/AUS/")


def test_a_small_state_is_a_dot_that_a_tap_beside_it_opens(tab, reference):
    tab.goto(_url("states:list"))
    malta = tab.locator('.world-map__marker[href="/states/MLT/"]')
    assert malta.count() == 1
    malta.scroll_into_view_if_needed()
    box = malta.bounding_box()
    assert box is not None and box["width"] < 44  # too small to tap squarely on a phone
    # Just east of Malta is sea: the nearest dot wins.
    x, y = box["x"] + box["width"] / 2 + 6, box["y"] + box["height"] / 2
    if tab.viewport_size["width"] < 600:
        tab.touchscreen.tap(x, y)
    else:
        tab.mouse.click(x, y)
    tab.wait_for_url("**/states/MLT/")


def test_members_map_markers_open_the_directory_of_their_country(tab):
    from coalition.members.tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(2, country="NO", name="Norsk Folkehjelp")
    OrganisationFactory(country="KH", name="Cambodian Campaign")

    tab.goto(_url("members:directory"))
    markers = tab.locator("#members-map .world-map__marker")
    assert markers.count() == 2
    _tap_beside(tab, tab.locator('#members-map .world-map__marker[href="?country=KH"]'))

    tab.wait_for_url("**/members/?country=KH")
    assert "Cambodian Campaign" in tab.locator("main").inner_text()


def test_the_members_list_beside_the_map_is_tappable_and_reachable_by_keyboard(phone):
    from coalition.members.tests.factories import OrganisationFactory

    OrganisationFactory(country="KH", name="Cambodian Campaign")
    phone.goto(_url("members:directory"))
    summary = phone.locator("#members-map summary")
    summary.focus()
    phone.keyboard.press("Enter")
    link = phone.locator("#members-map .map-list a").first
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44


def test_events_are_placed_at_their_venue_and_a_tap_opens_the_event(tab):
    from coalition.events.tests.factories import EventFactory

    oslo = EventFactory(title="Oslo debate", city="Oslo", country="NO", latitude=59.91, longitude=10.75)
    EventFactory(title="Somewhere in Lebanon", country="LB")  # no coordinates: Lebanon's centre

    tab.goto(_url("events:list"))
    marker = tab.locator('#events-map .world-map__marker[aria-label="Oslo debate (Oslo)"]')
    assert "is-approximate" not in (marker.get_attribute("class") or "")
    circle = marker.locator("circle")
    assert (circle.get_attribute("cx"), circle.get_attribute("cy")) == ("190.75", "30.09")
    assert "is-approximate" in (tab.locator("#events-map .world-map__marker").nth(1).get_attribute("class") or "")
    assert "not known or not public" in tab.locator("#events-map figcaption").inner_text()

    _tap_beside(tab, marker)
    tab.wait_for_url(f"**{oslo.get_absolute_url()}")


def test_a_research_circle_says_how_many_records_it_groups_when_tapped(tab):
    from coalition.research.tests.factories import StrikeFactory

    StrikeFactory.create_batch(3)
    tab.goto(_url("research:index"))
    marker = tab.locator("#research-map .world-map__marker--strike")
    assert marker.count() == 1

    _tap_beside(tab, marker, offset=10)

    assert tab.locator("#research-map .world-map__readout").inner_text() == "3 strikes"


def test_on_a_phone_the_header_is_one_line_and_the_menu_opens_from_the_keyboard(phone):
    phone.goto(_url("events:list"))
    header = phone.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < HEADER_BOUND
    nav = phone.locator("#site-nav")
    expect(nav).to_be_hidden()

    phone.locator("#site-menu-toggle").focus()
    phone.keyboard.press("Space")

    expect(nav).to_be_visible()
    expect(phone.locator(".language-switcher")).to_be_visible()
    events_link = nav.get_by_role("link", name="Events")
    box = events_link.bounding_box()
    assert box is not None and box["height"] >= 44


def test_on_a_desktop_the_navigation_shows_without_a_menu_button(browser, live_server):
    page = _tab(browser, live_server, phone=False)
    page.goto(_url("events:list"))
    expect(page.locator("#site-nav")).to_be_visible()
    expect(page.locator(".site-menu-button")).to_be_hidden()
    expect(page.locator("#events-filters")).to_be_visible()
    page.context.close()


def test_on_a_phone_the_events_filters_fold_away_until_one_is_in_use(phone):
    from coalition.events.tests.factories import EventFactory

    EventFactory(title="Oslo debate")
    phone.goto(_url("events:list"))
    filters = phone.locator("#events-filters")
    expect(filters).to_be_hidden()
    first_event = phone.get_by_role("link", name="Oslo debate", exact=True).bounding_box()
    assert first_event is not None and first_event["y"] < 844  # on the first screen

    phone.get_by_text("Filters", exact=True).click()
    expect(filters).to_be_visible()

    phone.goto(_url("events:list") + "?kind=public_meeting")
    expect(phone.locator("#events-filters")).to_be_visible()
    assert "Filters (in use)" in phone.locator("label[for=events-filters-toggle]").inner_text()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_the_states_table_says_it_scrolls_and_scrolls_from_the_keyboard(
    browser, live_server, reference, language
):
    page = _tab(browser, live_server, phone=True, language=language)
    page.goto(_url("states:list", language))
    assert page.locator("html").get_attribute("lang") == language
    hint = page.locator(".scroll-hint")
    expect(hint).to_be_visible()
    region = page.locator(".table-wrap[role=region]")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-labelledby") == "list-heading"
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")

    region.focus()
    page.keyboard.press("ArrowRight" if language == "en" else "ArrowLeft")
    page.wait_for_function("() => document.querySelector('.table-wrap[role=region]').scrollLeft !== 0")
    page.context.close()


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_the_phone_layout_in_other_languages(browser, live_server, reference, language):
    page = _tab(browser, live_server, phone=True, language=language)
    page.goto(_url("states:list", language))
    assert page.locator("html").get_attribute("lang") == language
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < HEADER_BOUND
    button = page.locator(".site-menu-button")
    expect(button).to_be_visible()
    assert button.inner_text().strip("▾▴ ") != ""
    if language == "ar":
        # Right to left: the brand on the right, the menu button on the left; the map stays west-left.
        brand = page.locator(".brand").bounding_box()
        menu = button.bounding_box()
        assert brand is not None and menu is not None and menu["x"] < brand["x"]
        assert page.locator(".world-map__svg").evaluate("svg => getComputedStyle(svg).direction") == "ltr"
    assert page.locator(".world-map__region").count() > 150
    page.context.close()
