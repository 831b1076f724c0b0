"""The one map helper: where points go, venue before country centre, and what the template is given."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coalition.lib import maps


def test_the_projection_puts_one_map_unit_per_degree_with_north_up_and_west_on_the_left():
    assert maps.project(0, 0) == (180, 90)
    assert maps.project(59.91, 10.75) == (190.75, 30.09)  # Oslo
    assert maps.project(Decimal("-33.86"), Decimal("151.2")) == (331.2, 123.86)  # Sydney, from a DecimalField


def test_points_beyond_the_drawn_latitudes_stay_on_the_edge_of_the_map():
    assert maps.project(89, -200) == (0, 90 - maps.NORTH)
    assert maps.project(-80, 200) == (360, 90 - maps.SOUTH)
    assert maps.VIEWBOX == "0 6 360 142"


def test_a_place_with_coordinates_is_exact():
    where = maps.place(lat=Decimal("33.89"), lon=Decimal("35.5"), country="LB")
    assert where == maps.Place(33.89, 35.5, approximate=False)


@pytest.mark.parametrize(
    ("lat", "lon", "exact"),
    [(None, None, True), (Decimal("33.89"), None, True), (Decimal("33.89"), Decimal("35.5"), False)],
    ids=["no coordinates", "half the coordinates", "address not public"],
)
def test_without_usable_coordinates_the_place_is_the_country_centre_marked_approximate(lat, lon, exact):
    where = maps.place(lat=lat, lon=lon, country="LB", exact=exact)
    assert where is not None and where.approximate
    assert (round(where.lat, 2), round(where.lon, 2)) == (33.83, 35.83)


def test_nothing_is_placed_without_coordinates_or_a_known_country():
    assert maps.place(lat=None, lon=None, country="") is None
    assert maps.place(lat=None, lon=None, country="XX") is None


def test_a_place_marker_carries_its_link_and_whether_it_is_approximate():
    marker = maps.place_marker(maps.Place(59.91, 10.75, approximate=True), label="Oslo", href="/events/1/")
    assert (marker.x, marker.y, marker.href, marker.approximate) == (190.75, 30.09, "/events/1/", True)


def test_markers_by_country_grow_with_the_count_and_skip_unknown_countries():
    markers = maps.markers_by_country(
        [("NO", 4), ("LB", 1), ("XX", 9)],
        label=lambda name, n: f"{name}: {n}",
        href=lambda code: f"?country={code}",
        names={"NO": "Norway", "LB": "Lebanon"},
    )
    assert [marker.label for marker in markers] == ["Norway: 4", "Lebanon: 1"]  # biggest first, drawn below
    assert markers[0].r > markers[1].r and markers[0].href == "?country=NO"
    assert (markers[0].x, markers[0].y) == (190, 28)


def test_clusters_keep_their_count_and_position():
    [big, small] = maps.cluster_markers(
        [{"lat": 16.0, "lon": 106.0, "n": 1}, {"lat": 15.0, "lon": 105.0, "n": 100}],
        kind="strike",
        label=lambda n: f"{n} strikes",
    )
    assert (big.label, big.count, big.kind, big.x, big.y) == ("100 strikes", 100, "strike", 285, 75)
    assert small.r < big.r and not small.href


def test_country_regions_draw_outlines_dim_the_rest_and_add_a_dot_for_small_states():
    regions, dots = maps.country_regions(
        [
            ("NO", "Norway: State party", "state_party", "/states/NOR/"),
            ("MT", "Malta: State party", "state_party", "/states/MLT/"),
            ("US", "United States: Non-signatory", "non_signatory", "/states/USA/"),
        ],
        matching={"NO", "MT"},
    )
    by_code = {region.code: region for region in regions}
    assert by_code["NO"].path.startswith("M") and not by_code["NO"].dimmed
    assert by_code["US"].dimmed and by_code["US"].kind == "non_signatory"
    assert [dot.label for dot in dots] == ["Malta: State party"]  # too small to see or tap on its own
    assert [region.code for region in regions] == ["US", "NO", "MT"]  # small shapes drawn last, on top


def test_a_state_without_an_outline_is_still_on_the_map_as_a_dot():
    regions, dots = maps.country_regions([("SM", "San Marino: State party", "state_party", "/states/SMR/")])
    assert regions == [] and [dot.href for dot in dots] == ["/states/SMR/"]


def test_lesotho_is_drawn_over_south_africa():
    regions, _dots = maps.country_regions([("LS", "Lesotho", "", ""), ("ZA", "South Africa", "", "")])
    assert [region.code for region in regions] == ["ZA", "LS"]


def test_every_outline_is_in_map_units_inside_the_drawn_area():
    outlines = maps.country_outlines()
    assert len(outlines) > 160
    numbers = [float(n) for n in outlines["AU"].replace("M", " ").replace("L", " ").replace("Z", " ").split()]
    xs, ys = numbers[0::2], numbers[1::2]
    assert 290 < min(xs) < max(xs) < 335 and 90 < min(ys) < max(ys) < 135  # Australia, south-east


def test_a_map_of_regions_draws_its_own_shapes_and_a_map_of_markers_has_the_static_world_behind():
    assert maps.WorldMap(key="a", title="t", regions=[maps.Region("NO", "Norway", "M0 0Z")]).background == ""
    plain = maps.WorldMap(key="b", title="t", markers=[maps.Marker(label="x", x=1, y=1)])
    assert plain.background.endswith("maps/world.svg")
    assert plain.has_readout and not plain.listed  # a marker without a link says what it is when tapped


def test_only_linked_markers_are_listed_beside_the_map():
    linked = maps.Marker(label="Oslo", x=1, y=1, href="/events/1/")
    world = maps.WorldMap(key="c", title="t", markers=[linked, maps.Marker(label="x", x=2, y=2)], list_label="L")
    assert world.listed == [linked]


def test_ring_points_use_the_same_projection():
    assert maps.ring_points([[10.75, 59.91], [11, 60]]) == "190.750,30.090 191.000,30.000"
