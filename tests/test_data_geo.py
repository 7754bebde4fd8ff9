"""Country shapes and world maps: decoding, known facts, every Member State on the map,
colours where they belong, and no network."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import time
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from PIL import Image

from digit4sd_widgets import data
from digit4sd_widgets.data import geo

PNG = b"\x89PNG\r\n\x1a\n"
SHA256 = "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"
# the Member States the 1:50m file has no outline for (shown as dots at a table position)
MISSING = ["TUV"]


def member_codes() -> list[str]:
    return [str(c) for c in data.load_countries()["iso3"]]


def bbox(rings) -> tuple[float, float, float, float]:
    points = np.concatenate(rings)
    return (points[:, 0].min(), points[:, 0].max(), points[:, 1].min(), points[:, 1].max())


def pixel_of(lon: float, lat: float) -> tuple[int, int]:
    """Where a place falls in a map PNG (column, row)."""
    layout = geo._layout()
    x, y = geo.project(lon, lat)
    col = (float(x) - layout.xlim[0]) * layout.px_per_unit
    row = geo.MAP_TOP_PX + (layout.ylim[1] - float(y)) * layout.px_per_unit
    return round(col), round(row)


def colour_at(png: bytes, xy: tuple[float, float]) -> tuple[int, int, int]:
    col, row = pixel_of(*xy)
    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((col, row))


def close(rgb: tuple[int, int, int], colour: str, tol: int = 12) -> bool:
    want = [round(255 * c) for c in to_rgb(colour)]
    return all(abs(a - b) <= tol for a, b in zip(rgb, want, strict=True))


# ------------------------------------------------------------------------------ the file
def test_vendored_file_is_the_published_one():
    path = data.dataset_dir() / geo.MAP_FILE
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256
    source = (path.parent / "WORLD_MAP_SOURCE.md").read_text(encoding="utf-8")
    assert SHA256 in source and "2.0.2" in source and "ISC" in source


def test_decoding_matches_known_facts():
    topology = json.loads((data.dataset_dir() / geo.MAP_FILE).read_text(encoding="utf-8"))
    features = geo.decode_topology(topology)
    assert len(features) == len(topology["objects"]["countries"]["geometries"]) == 241
    assert sum(f.id is None for f in features) == 5
    names = {f.id: f.name for f in features if f.id}
    assert names["050"] == "Bangladesh" and names["716"] == "Zimbabwe"
    shapes = geo.load_shapes()
    west, east, south, north = bbox(shapes["050"])  # Bangladesh
    assert 88 < west < 89 and 92 < east < 93 and 20 < south < 21.5 and 26 < north < 27
    west, east, south, north = bbox(shapes["524"])  # Nepal
    assert 80 < west < 81 and 88 < east < 88.5 and 26 < south < 27 and 30 < north < 30.6
    west, east, south, north = bbox(shapes["032"])  # Argentina
    assert -74 < west < -73 and -54 < east < -53 and -56 < south < -55 and -22 < north < -21


def test_exterior_rings_run_counter_clockwise_and_holes_clockwise():
    # South Africa: one big exterior ring with Lesotho as a hole
    rings = geo.load_shapes()["710"]
    areas = sorted((geo.signed_area(r) for r in rings), key=abs, reverse=True)
    assert areas[0] > 0 and any(a < 0 for a in areas)


def test_no_ring_streaks_across_longitude_180():
    for code, rings in geo.load_shapes().items():
        if code == geo.ANTARCTICA:
            continue
        for ring in rings:
            assert ring[:, 0].min() >= -180 and ring[:, 0].max() <= 180, code
            assert not np.any(np.abs(np.diff(ring[:, 0])) > 180), code
    russia = np.concatenate(geo.load_shapes()["643"])
    assert russia[:, 0].max() == pytest.approx(180) and russia[:, 0].min() == pytest.approx(-180)
    for line in geo.border_lines():
        assert not np.any(np.abs(np.diff(line[:, 0])) > 180)


def test_somaliland_and_northern_cyprus_are_drawn_with_their_member_states():
    shapes = geo.load_shapes()
    assert bbox(shapes["706"])[3] > 11  # Somalia reaches the Gulf of Aden coast
    features, arcs = geo._decoded()
    by_name = {f.name: f for f in features}
    assert set(geo.UN_ASSIGNED) <= set(by_name)
    # no border is drawn between Somaliland and the rest of Somalia, but there is one
    # between Somaliland and Ethiopia
    borders = geo.border_lines()

    def drawn(i):
        return any(len(b) == len(arcs[i]) and np.allclose(b, arcs[i]) for b in borders)

    inside = by_name["Somaliland"].arcs & by_name["Somalia"].arcs
    outside = by_name["Somaliland"].arcs & by_name["Ethiopia"].arcs
    assert inside and outside
    assert not any(drawn(i) for i in inside)
    assert all(drawn(i) for i in outside)


def test_read_only_shapes():
    ring = geo.load_shapes()["050"][0]
    with pytest.raises(ValueError):
        ring[0, 0] = 0.0


# ------------------------------------------------------------------------------ decoding
def test_decoding_a_small_topology_by_hand():
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 2.0], "translate": [10.0, -1.0]},
        "arcs": [[[0, 0], [4, 0], [0, 4]], [[4, 4], [-4, 0], [0, -4]],
                 [[1, 1], [0, 1], [1, 0], [0, -1], [-1, 0]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1], [2]], "id": "001",
             "properties": {"name": "Square"}},
            {"type": "MultiPolygon", "arcs": [[[~1, ~0]]], "id": "002"},
            {"type": "Point", "coordinates": [0, 0], "id": "003"},
        ]}},
    }
    square, backwards = geo.decode_topology(topology)
    assert (square.id, square.name, len(square.rings)) == ("001", "Square", 2)
    outer, hole = square.rings
    assert outer.tolist() == [[10, -1], [12, -1], [12, 7], [10, 7], [10, -1]]
    assert geo.signed_area(outer) > 0 > geo.signed_area(hole)
    assert sorted(map(tuple, hole.tolist())) == sorted(
        [(10.5, 1.0), (10.5, 3.0), (11.0, 3.0), (11.0, 1.0), (10.5, 1.0)])
    assert backwards.id == "002" and backwards.name == ""
    assert sorted(map(tuple, backwards.rings[0].tolist())) == sorted(map(tuple, outer.tolist()))
    assert backwards.arcs == frozenset({0, 1})
    with pytest.raises(ValueError, match="TopoJSON"):
        geo.decode_topology({"type": "FeatureCollection"})


def test_unquantized_topology():
    topology = {"type": "Topology", "arcs": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]],
                "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "arcs": [[0]]}]}}}
    (feature,) = geo.decode_topology(topology)
    assert feature.id is None
    assert feature.rings[0].tolist() == [[0, 0], [1, 0], [1, 1], [0, 0]]


def test_a_ring_across_longitude_180_is_cut_in_two():
    ring = np.array([[170.0, 0.0], [-170.0, 0.0], [-170.0, 10.0], [170.0, 10.0], [170.0, 0.0]])
    parts = geo._split_antimeridian(ring)
    assert len(parts) == 2
    east, west = sorted(parts, key=lambda p: -p[:, 0].max())
    assert east[:, 0].min() == pytest.approx(170) and east[:, 0].max() == pytest.approx(180)
    assert west[:, 0].min() == pytest.approx(-180) and west[:, 0].max() == pytest.approx(-170)


quantized = st.lists(st.tuples(st.integers(-500, 500), st.integers(-500, 500)),
                     min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(first=quantized, second=quantized,
       scale=st.tuples(st.floats(0.001, 2), st.floats(0.001, 2)),
       shift=st.tuples(st.floats(-50, 50), st.floats(-50, 50)), reverse=st.booleans())
def test_delta_decoding_round_trip(first, second, scale, shift, reverse):
    """Absolute grid points, delta-encoded into two arcs that share an end point, come back
    as the same positions in degrees; ``~i`` walks an arc backwards."""
    second = [first[-1], *second[1:]]
    points = first + second[1:]

    def deltas(pts):
        return [list(pts[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in pairwise(pts)]

    topology = {"type": "Topology", "transform": {"scale": list(scale), "translate": list(shift)},
                "arcs": [deltas(first), deltas(second)],
                "objects": {"countries": {"type": "GeometryCollection", "geometries": []}}}
    arcs = geo._arcs(topology)
    want = np.array(points, dtype=float) * scale + shift
    assert np.allclose(geo._ring(arcs, [0, 1]), want)
    if reverse:
        assert np.allclose(geo._ring(arcs, [~1, ~0]), want[::-1])


# ------------------------------------------------------------------------------ Member States
def test_missing_member_states_are_listed_and_have_a_position():
    assert geo.missing_member_states() == MISSING
    assert sorted(geo.MISSING_POSITIONS) == MISSING  # exactly those, no more
    lon, lat = geo.representative_point("TUV")
    assert 178 < lon <= 180 and -10 < lat < -7
    assert "Tuvalu" in geo.default_note()


def test_every_member_state_is_drawn_as_a_shape_or_a_dot():
    prep = geo._prepared()
    members = member_codes()
    assert len(members) == 193
    for iso3 in members:
        assert iso3 in prep.index or iso3 in prep.dots, iso3
        assert iso3 in prep.points
    # small island States too small to see get a dot
    for iso3 in ("MDV", "NRU", "TUV", "KIR", "MHL", "SYC", "MUS", "TON"):
        assert iso3 in geo.tiny_member_states()
    # large ones do not
    for iso3 in ("BGD", "NPL", "PNG", "CUB", "MDG", "RUS"):
        assert iso3 not in prep.dots
    assert geo.ANTARCTICA not in prep.codes


def test_representative_points_fall_in_the_country():
    lon, lat = geo.representative_point("BGD")
    assert 88 < lon < 93 and 20 < lat < 27
    lon, lat = geo.representative_point("MDV")
    assert 72 < lon < 74 and -1 < lat < 8
    with pytest.raises(KeyError):
        geo.representative_point("XXX")


def test_enclaves_are_holes_in_their_host():
    """South Africa's outline, filled alone, leaves Lesotho empty."""
    prep = geo._prepared()
    i = prep.index["ZAF"]
    fig = Figure(figsize=(3, 3), dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.add_patch(PathPatch(MplPath(prep.verts[i], prep.kinds[i]), facecolor="#ff0000",
                           edgecolor="none"))
    x0, y0 = geo.project(15, -36)
    x1, y1 = geo.project(34, -21)
    ax.set_xlim(float(x0), float(x1))
    ax.set_ylim(float(y0), float(y1))
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())

    def red(lon, lat):
        x, y = geo.project(lon, lat)
        col, row = ax.transData.transform((float(x), float(y)))
        return tuple(pixels[int(pixels.shape[0] - row), int(col), :3]) == (255, 0, 0)

    assert red(24.0, -30.0)  # the Karoo, South Africa
    assert not red(28.3, -29.5)  # Lesotho


def test_projection():
    x, y = geo.project([0, 180, -180, 0], [0, 0, 0, 90])
    assert x[0] == 0 and y[0] == 0
    assert x[1] == pytest.approx(-x[2]) and x[1] > 2.7
    assert y[3] > 1.3
    lats = np.linspace(-85, 85, 50)
    assert np.all(np.diff(geo.project(np.zeros(50), lats)[1]) > 0)


# ------------------------------------------------------------------------------ drawing
def test_draw_map_returns_a_png_with_colours_in_the_right_places():
    png = geo.draw_map({"BGD": "a", "BRA": "b", "TUV": "a", "FRA": None},
                       palette={"a": "#ff0000", "b": "#0000ff"}, title="Test")
    assert png[:8] == PNG
    image = Image.open(io.BytesIO(png))
    layout = geo._layout()
    assert image.size == (layout.width_px, layout.height_px)
    assert close(colour_at(png, (-52, -10)), "#0000ff")  # Brazil
    assert close(colour_at(png, (90.3, 23.8)), "#ff0000")  # Bangladesh
    assert close(colour_at(png, geo.MISSING_POSITIONS["TUV"]), "#ff0000")  # Tuvalu's dot
    assert close(colour_at(png, (2.5, 46.5)), geo.NO_DATA_COLOUR)  # France: None
    assert close(colour_at(png, (-42, 72)), geo.NO_DATA_COLOUR)  # Greenland: not a member
    assert close(colour_at(png, (-150, -30)), geo.OCEAN_COLOUR)  # the Pacific


def test_values_map_and_missing_numbers():
    png = geo.draw_map({"BGD": 0.2, "IND": float("nan"), "CHN": None, "BRA": 1},
                       kind="value", limits=(0, 1), palette="Greys", legend="EGDI")
    assert png[:8] == PNG
    assert close(colour_at(png, (78, 22)), geo.NO_DATA_COLOUR)  # India: NaN
    assert close(colour_at(png, (105, 35)), geo.NO_DATA_COLOUR)  # China: None
    assert colour_at(png, (-52, -10))[0] < 40  # Brazil: the dark end of "Greys"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": {"XXX": "a"}}, "not the ISO3 code"),
        ({"values": {"BGD": "a"}, "kind": "colour"}, "kind must be"),
        ({"values": {"BGD": "high"}, "kind": "value"}, "not a number"),
        ({"values": {"BGD": True}, "kind": "value"}, "not a number"),
        ({"values": {"BGD": "a"}, "highlight": "XXX"}, "No shape or position"),
    ],
)
def test_draw_map_refuses_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        geo.draw_map(**kwargs)


def test_highlight_draws_on_a_copy_and_is_fast():
    values = {c: "x" for c in member_codes()[:80]}
    plain = geo.draw_map(values, title="Highlight test")
    start = time.perf_counter()
    ringed = geo.draw_map(values, title="Highlight test", highlight="NRU")
    outlined = geo.draw_map(values, title="Highlight test", highlight="BRA")
    quick = (time.perf_counter() - start) / 2
    assert len({plain, ringed, outlined}) == 3
    assert geo.draw_map(values, title="Highlight test") == plain  # the copy left no trace
    assert close(colour_at(outlined, (-52, -10)), geo.CATEGORY_COLOURS[0])
    assert quick < 0.5


def test_a_map_renders_well_under_a_second():
    values = {c: i % 3 / 2 for i, c in enumerate(member_codes())}
    geo.draw_map({}, title="warm up")
    times = []
    for k in range(3):
        start = time.perf_counter()
        geo.draw_map(values, kind="value", title=f"Timing {k}")  # a new map each time
        times.append(time.perf_counter() - start)
    assert min(times) < 1.0


def test_no_network_is_used(monkeypatch):
    for cached in (geo._decoded, geo.load_shapes, geo._prepared, geo._shared_canvas):
        cached.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the map tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    png = geo.draw_map({"NPL": "LDC and LLDC"}, title="Offline", highlight="NPL")
    assert png[:8] == PNG


@settings(max_examples=15, deadline=None)
@given(st.dictionaries(st.sampled_from(member_codes()),
                       st.sampled_from(["LDC", "SIDS", "other"]) | st.none(), max_size=30),
       st.sampled_from([None, *member_codes()]))
def test_any_category_map_draws(values, highlight):
    assert geo.draw_map(values, highlight=highlight)[:8] == PNG
