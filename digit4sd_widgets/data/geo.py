"""Country shapes and world maps drawn offline, as PNG images.

The shapes come from ``world_countries_50m.json`` next to the other dataset files: the
``countries-50m.json`` TopoJSON file of the npm package ``world-atlas`` 2.0.2 (Natural Earth
1:50m country boundaries, public domain), vendored unchanged (see ``WORLD_MAP_SOURCE.md``).
Nothing is fetched at run time: no tiles, no fonts, no scripts.

Everything here is plain functions over numpy arrays and matplotlib's object API (no
pyplot, no widgets). The heavy work (decoding, projecting, simplifying to the map's pixel
grid) is done once per process; a map then takes a few tens of milliseconds.

>>> shapes = load_shapes()
>>> lon, lat = np.concatenate(shapes["050"]).T  # Bangladesh (M49 050)
>>> bool(88 < lon.min() < lon.max() < 93 and 20 < lat.min() < lat.max() < 27)
True
>>> draw_map({"BGD": "LDC", "NPL": "LDC"}, title="Two countries")[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
import json
import math
import threading
import warnings
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import Colormap, Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from ..i18n import N_, _, country_name, ngettext
from . import loader as data

MAP_FILE = "world_countries_50m.json"
ANTARCTICA = "010"
NO_DATA = N_("no data")  # a category key; shown through _()
NO_DATA_COLOUR = "#d4d4d4"
OCEAN_COLOUR = "#eef4f9"
BORDER_COLOUR = "#ffffff"
HIGHLIGHT_COLOUR = "#111111"
# colour-blind-safe colours (Okabe and Ito) for categories a caller gives no colour for
CATEGORY_COLOURS = ("#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#0072b2", "#d55e00",
                    "#f0e442", "#999999")
DEFAULT_COLORMAP = "YlGnBu"

# Shapes in the file without a code. The United Nations counts Somaliland as part of
# Somalia and northern Cyprus as part of Cyprus, so they are drawn with those Member States.
# The others (Kosovo, the Siachen glacier, Australia's Indian Ocean territories) are drawn
# as land with no data.
UN_ASSIGNED: dict[str, str] = {"Somaliland": "706", "N. Cyprus": "196"}

# Member States that have no shape at all in the 1:50m file, with an approximate position
# of their capital (longitude, latitude in degrees) so that a dot can mark them. Written for
# this course from common knowledge of the capitals; keep exactly the missing ones here
# (a test checks it).
MISSING_POSITIONS: dict[str, tuple[float, float]] = {
    "TUV": (179.2, -8.5),  # Tuvalu: Funafuti
}

# The map: Natural Earth projection, Antarctica left out.
MIN_LAT, MAX_LAT = -58.0, 85.0
DPI = 80
WIDTH_IN = 10.0
MAP_TOP_PX = 30  # room for the title
MAP_BOTTOM_PX = 50  # room for the legend and the note
TINY_PX2 = 6.0  # a Member State smaller than this many square pixels also gets a dot
# a Member State whose largest piece is narrower and shorter than SMALL_PX pixels, and whose
# whole area is under SMALL_PX2 square pixels, gets a ring when highlighted
SMALL_PX = 24
SMALL_PX2 = 150.0

__all__ = [
    "MAP_FILE",
    "MISSING_POSITIONS",
    "NO_DATA",
    "UN_ASSIGNED",
    "MapCanvas",
    "border_lines",
    "decode_topology",
    "default_note",
    "draw_map",
    "load_shapes",
    "member_shapes",
    "missing_member_states",
    "project",
    "representative_point",
    "tiny_member_states",
]


# ============================================================================ decoding
def _arcs(topology: Mapping[str, Any]) -> list[np.ndarray]:
    """Every arc as an N x 2 array of longitude/latitude."""
    transform = topology.get("transform")
    out = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=np.float64).reshape(-1, 2)[:, :2]
        if transform is not None:  # quantized: positions are deltas on an integer grid
            points = np.cumsum(points, axis=0) * np.asarray(transform["scale"], dtype=float)
            points += np.asarray(transform["translate"], dtype=float)
        out.append(points)
    return out


def _ring(arcs: list[np.ndarray], indexes: Sequence[int]) -> np.ndarray:
    """Join arcs into one ring; ``~i`` (a negative index) means arc ``i`` reversed. Arcs share
    their end points, so the first point of every arc after the first is dropped."""
    parts = []
    for k, i in enumerate(indexes):
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.concatenate(parts) if parts else np.empty((0, 2))


def signed_area(ring: np.ndarray) -> float:
    """Shoelace area: positive when the ring runs counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])
                       + x[-1] * y[0] - x[0] * y[-1])


def _oriented(ring: np.ndarray, exterior: bool) -> np.ndarray:
    area = signed_area(ring)
    if (exterior and area < 0) or (not exterior and area > 0):
        return ring[::-1].copy()
    return ring


def _clip_half(ring: np.ndarray, limit: float, keep_below: bool) -> np.ndarray:
    """Sutherland-Hodgman clipping of a ring against the line ``lon = limit``."""
    out: list[tuple[float, float]] = []
    n = len(ring)
    for k in range(n):
        cur, prev = ring[k], ring[k - 1]
        cur_in = cur[0] <= limit if keep_below else cur[0] >= limit
        prev_in = prev[0] <= limit if keep_below else prev[0] >= limit
        if cur_in != prev_in:
            t = (limit - prev[0]) / (cur[0] - prev[0])
            out.append((limit, prev[1] + t * (cur[1] - prev[1])))
        if cur_in:
            out.append((float(cur[0]), float(cur[1])))
    return np.asarray(out, dtype=np.float64).reshape(-1, 2)


def _split_antimeridian(ring: np.ndarray) -> list[np.ndarray]:
    """A ring that crosses longitude 180 (eastern Russia, Fiji) drawn on a flat map would
    streak across the world: cut it into the part east and the part west of the line."""
    if len(ring) < 2 or not np.any(np.abs(np.diff(ring[:, 0])) > 180):
        return [ring]
    lon = np.degrees(np.unwrap(np.radians(ring[:, 0])))
    unwrapped = np.column_stack([lon, ring[:, 1]])
    shift = 360.0 if lon.max() > 180 else -360.0
    if shift > 0:
        east = _clip_half(unwrapped, 180.0, keep_below=True)
        west = _clip_half(unwrapped - [shift, 0.0], -180.0, keep_below=False)
    else:
        east = _clip_half(unwrapped - [shift, 0.0], 180.0, keep_below=True)
        west = _clip_half(unwrapped, -180.0, keep_below=False)
    return [part for part in (east, west) if len(part) >= 3]


@dataclass(frozen=True)
class Feature:
    """One geometry of the file: its code (None when it has none), its name and its rings
    (exterior rings run counter-clockwise, holes clockwise)."""

    id: str | None
    name: str
    rings: tuple[np.ndarray, ...]
    arcs: frozenset[int] = frozenset()  # the arcs its rings are made of


def decode_topology(topology: Mapping[str, Any], obj: str = "countries") -> list[Feature]:
    """Decode the Polygon and MultiPolygon geometries of one TopoJSON object.

    Arcs are delta-encoded and quantized when the topology has a ``transform``; an arc index
    ``~i`` stands for arc ``i`` walked backwards. Rings are returned in longitude/latitude
    degrees, those crossing longitude 180 cut in two.

    >>> topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
    ...         "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
    ...         "objects": {"countries": {"type": "GeometryCollection", "geometries": [
    ...             {"type": "Polygon", "arcs": [[0, 1]], "id": "001"}]}}}
    >>> f = decode_topology(topo)[0]
    >>> f.id, f.rings[0].tolist()
    ('001', [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]])
    """
    if topology.get("type") != "Topology":
        raise ValueError("Not a TopoJSON topology.")
    return _decode(topology, _arcs(topology), obj)


def _decode(topology: Mapping[str, Any], arcs: list[np.ndarray], obj: str) -> list[Feature]:
    features = []
    for geometry in topology["objects"][obj]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:  # points, lines and empty geometries draw no area
            continue
        rings: list[np.ndarray] = []
        used: set[int] = set()
        for polygon in polygons:
            for k, indexes in enumerate(polygon):
                ring = _oriented(_ring(arcs, indexes), exterior=k == 0)
                rings.extend(_split_antimeridian(ring))
                used.update(i if i >= 0 else ~i for i in indexes)
        gid = geometry.get("id")
        name = str((geometry.get("properties") or {}).get("name", ""))
        features.append(Feature(None if gid is None else str(gid), name, tuple(rings),
                                frozenset(used)))
    return features


@lru_cache(maxsize=1)
def _decoded() -> tuple[tuple[Feature, ...], tuple[np.ndarray, ...]]:
    path = data.dataset_dir() / MAP_FILE
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    return tuple(_decode(topology, arcs, "countries")), tuple(arcs)


def _features() -> tuple[Feature, ...]:
    return _decoded()[0]


def _key(feature: Feature) -> str:
    """What a feature is drawn as: its code, the Member State it is joined to, or itself."""
    if feature.id is not None:
        return feature.id
    return UN_ASSIGNED.get(feature.name, f"name:{feature.name}")


def border_lines() -> list[np.ndarray]:
    """The land borders: every arc shared by two different countries (as drawn), once, in
    longitude/latitude; coasts and the lines inside one Member State are left out."""
    features, arcs = _decoded()
    owners: dict[int, set[str]] = {}
    for feature in features:
        for i in feature.arcs:
            owners.setdefault(i, set()).add(_key(feature))
    lines = []
    for i in sorted(owners):
        if len(owners[i]) > 1:
            lines.extend(_split_line(arcs[i]))
    return lines


def _split_line(line: np.ndarray) -> list[np.ndarray]:
    """Cut a line where it jumps across longitude 180."""
    jumps = np.nonzero(np.abs(np.diff(line[:, 0])) > 180)[0]
    parts = np.split(line, jumps + 1)
    return [p for p in parts if len(p) >= 2]


@lru_cache(maxsize=1)
def load_shapes() -> dict[str, list[np.ndarray]]:
    """Country shapes by M49 / ISO 3166-1 numeric code (``"050"``): a list of rings, each an
    N x 2 array of longitude and latitude. Exterior rings run counter-clockwise, holes
    clockwise. Somaliland and northern Cyprus are joined to Somalia and Cyprus.

    Cached and shared: do not modify (the arrays are read-only).
    """
    shapes: dict[str, list[np.ndarray]] = {}
    for feature in _features():
        code = feature.id if feature.id is not None else UN_ASSIGNED.get(feature.name)
        if code is None:
            continue
        for ring in feature.rings:
            ring = ring.copy()
            ring.flags.writeable = False
            shapes.setdefault(code, []).append(ring)
    return shapes


def _unassigned_rings() -> list[np.ndarray]:
    """Land with no code in the file and no Member State to join (drawn as no data)."""
    return [ring for f in _features() if f.id is None and f.name not in UN_ASSIGNED
            for ring in f.rings]


@lru_cache(maxsize=1)
def _m49_to_iso3() -> dict[str, str]:
    c = data.load_countries()
    return {str(m).zfill(3): str(i) for m, i in zip(c["m49"], c["iso3"], strict=True)}


@lru_cache(maxsize=1)
def _iso3_names() -> dict[str, str]:
    c = data.load_countries()
    return {str(i): str(n) for i, n in zip(c["iso3"], c["name"], strict=True)}


def member_shapes() -> dict[str, list[np.ndarray]]:
    """Shapes of the UN Member States that have one, by ISO3 code."""
    shapes = load_shapes()
    return {iso3: shapes[m49] for m49, iso3 in _m49_to_iso3().items() if m49 in shapes}


def missing_member_states() -> list[str]:
    """ISO3 codes of the Member States with no shape in the map file (sorted).

    >>> missing_member_states()
    ['TUV']
    """
    shapes = load_shapes()
    return sorted(iso3 for m49, iso3 in _m49_to_iso3().items() if m49 not in shapes)


def _centroid(ring: np.ndarray) -> tuple[float, float]:
    area = signed_area(ring)
    if abs(area) < 1e-12:
        lon, lat = ring.mean(axis=0)
        return float(lon), float(lat)
    x, y = ring[:, 0], ring[:, 1]
    xn, yn = np.roll(x, -1), np.roll(y, -1)
    cross = x * yn - xn * y
    return (float(np.sum((x + xn) * cross) / (6 * area)),
            float(np.sum((y + yn) * cross) / (6 * area)))


def representative_point(iso3: str) -> tuple[float, float]:
    """Longitude and latitude of a dot for a Member State: the centre of its largest piece
    of land, or the table position of a country the file lacks.

    >>> lon, lat = representative_point("TUV"); round(lon), round(lat)
    (179, -8)
    """
    if iso3 in MISSING_POSITIONS:
        return MISSING_POSITIONS[iso3]
    rings = member_shapes().get(iso3)
    if not rings:
        raise KeyError(f"No shape and no position for {iso3!r}.")
    largest = max(rings, key=lambda r: abs(signed_area(r)))
    return _centroid(largest)


# ============================================================================ projection
def project(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Natural Earth projection (Šavrič et al. 2011) of degrees to map units: a compromise
    close to Robinson's, with a closed formula.

    >>> x, y = project(180, 0); round(float(x), 4), float(y)
    (2.7354, 0.0)
    """
    lam = np.radians(np.asarray(lon, dtype=float))
    phi = np.radians(np.asarray(lat, dtype=float))
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * p2 * (0.003971 - 0.001529 * p2)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def _project_ring(ring: np.ndarray) -> np.ndarray:
    x, y = project(ring[:, 0], ring[:, 1])
    return np.column_stack([x, y])


@dataclass(frozen=True)
class _Layout:
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    px_per_unit: float
    width_px: int
    height_px: int
    map_height_px: int


@lru_cache(maxsize=1)
def _layout() -> _Layout:
    x_max = float(project(180.0, 0.0)[0]) * 1.005
    y_lo = float(project(0.0, MIN_LAT)[1])
    y_hi = float(project(0.0, MAX_LAT)[1])
    width_px = int(WIDTH_IN * DPI)
    px_per_unit = width_px / (2 * x_max)
    map_height_px = math.ceil((y_hi - y_lo) * px_per_unit)
    return _Layout((-x_max, x_max), (y_lo, y_hi), px_per_unit, width_px,
                   map_height_px + MAP_TOP_PX + MAP_BOTTOM_PX, map_height_px)


def _simplify(xy: np.ndarray, step: float) -> np.ndarray | None:
    """Snap a projected ring to a grid of ``step`` and drop repeated points: points closer
    than half a pixel cannot be seen, and fewer points fill much faster."""
    snapped = np.round(xy / step)
    keep = np.ones(len(snapped), dtype=bool)
    keep[1:] = np.any(snapped[1:] != snapped[:-1], axis=1)
    out = snapped[keep]
    if len(out) >= 2 and np.array_equal(out[0], out[-1]):
        out = out[:-1]
    if len(out) < 3:
        return None
    return out * step


def _simplify_line(xy: np.ndarray, step: float) -> np.ndarray | None:
    snapped = np.round(xy / step)
    keep = np.ones(len(snapped), dtype=bool)
    keep[1:] = np.any(snapped[1:] != snapped[:-1], axis=1)
    keep[-1] = True
    out = snapped[keep]
    return out * step if len(out) >= 2 else None


@dataclass(frozen=True)
class _Prepared:
    """The projected, simplified map, built once per process."""

    codes: tuple[str, ...]  # M49 code of each drawn path, largest area first
    verts: tuple[np.ndarray, ...]
    kinds: tuple[np.ndarray, ...]  # matplotlib path codes (MOVETO, LINETO, CLOSEPOLY)
    index: dict[str, int]  # ISO3 -> position in ``codes`` for Member States with a shape
    dots: dict[str, tuple[float, float]]  # ISO3 -> projected position of its dot
    points: dict[str, tuple[float, float]]  # ISO3 -> projected representative point
    small: frozenset[str]  # Member States shown with a ring when highlighted
    other: tuple[np.ndarray, np.ndarray] | None  # unassigned land (verts, codes)
    borders: tuple[np.ndarray, ...]  # projected land borders
    sphere: MplPath


def _compound(rings: list[np.ndarray], step: float) -> tuple[np.ndarray, np.ndarray] | None:
    verts, kinds = [], []
    for ring in rings:
        xy = _simplify(_project_ring(ring), step)
        if xy is None:
            continue
        k = np.full(len(xy) + 1, MplPath.LINETO, dtype=np.uint8)
        k[0], k[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
        verts.append(np.vstack([xy, xy[:1]]))
        kinds.append(k)
    if not verts:
        return None
    return np.concatenate(verts), np.concatenate(kinds)


def _sphere_path(layout: _Layout) -> MplPath:
    lats = np.linspace(MIN_LAT, MAX_LAT, 60)
    east = np.column_stack(project(np.full_like(lats, 180.0), lats))
    west = np.column_stack(project(np.full_like(lats, -180.0), lats))[::-1]
    ring = np.vstack([east, west, east[:1]])
    return MplPath(ring, closed=True)


@lru_cache(maxsize=1)
def _prepared() -> _Prepared:
    layout = _layout()
    step = 0.5 / layout.px_per_unit
    shapes = load_shapes()
    to_iso3 = _m49_to_iso3()
    px2 = layout.px_per_unit ** 2
    drawn: list[tuple[float, str, np.ndarray, np.ndarray]] = []
    dots: dict[str, tuple[float, float]] = {}
    points: dict[str, tuple[float, float]] = {}
    small: set[str] = set()
    for m49, rings in shapes.items():
        if m49 == ANTARCTICA:
            continue
        projected = [_project_ring(r) for r in rings]
        area = sum(abs(signed_area(p)) for p in projected)
        iso3 = to_iso3.get(m49)
        if iso3 is not None:
            # the largest piece decides: Fiji or Kiribati, spread over the ocean, are small
            largest = max(projected, key=lambda p: abs(signed_area(p)))
            span = (largest.max(axis=0) - largest.min(axis=0)) * layout.px_per_unit
            x, y = project(*representative_point(iso3))
            points[iso3] = (float(x), float(y))
            if area * px2 < TINY_PX2:
                dots[iso3] = points[iso3]
            if span[0] < SMALL_PX and span[1] < SMALL_PX and area * px2 < SMALL_PX2:
                small.add(iso3)
        compound = _compound(rings, step)
        if compound is not None:
            drawn.append((area, m49, *compound))
    for iso3, (lon, lat) in MISSING_POSITIONS.items():
        x, y = project(lon, lat)
        dots[iso3] = points[iso3] = (float(x), float(y))
        small.add(iso3)
    drawn.sort(key=lambda d: -d[0])  # enclaves (Lesotho, San Marino) come after their hosts
    codes = tuple(d[1] for d in drawn)
    index = {to_iso3[c]: i for i, c in enumerate(codes) if c in to_iso3}
    for verts in (d[2] for d in drawn):
        verts.flags.writeable = False
    return _Prepared(codes=codes, verts=tuple(d[2] for d in drawn),
                     kinds=tuple(d[3] for d in drawn), index=index, dots=dots, points=points,
                     small=frozenset(small),
                     other=_compound(_unassigned_rings(), step),
                     borders=tuple(b for b in (_simplify_line(_project_ring(line), step)
                                               for line in border_lines()) if b is not None),
                     sphere=_sphere_path(layout))


def tiny_member_states() -> list[str]:
    """ISO3 codes of the Member States drawn with a dot: too small to see, or absent from
    the file (sorted)."""
    return sorted(_prepared().dots)


# ============================================================================ drawing
def _png(canvas: FigureCanvasAgg) -> bytes:
    from PIL import Image

    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    # light compression: encoding at the default level costs more than drawing the map
    image.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pandas NA
    except (TypeError, ValueError):
        return True


class MapCanvas:
    """One world map figure kept between renders.

    The countries are drawn as one :class:`~matplotlib.collections.PolyCollection` whose
    colours change from render to render. The last few maps are kept as pixels, so drawing
    the same map with another country highlighted only paints the outline on a copy. Not
    shared between threads (:func:`draw_map` guards its own canvas with a lock).
    """

    KEEP = 6  # maps kept as pixels (1.4 MB each)

    def __init__(self) -> None:
        prep = _prepared()
        layout = _layout()
        self.prep = prep
        self.fig = Figure(figsize=(layout.width_px / DPI, layout.height_px / DPI), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        bottom = MAP_BOTTOM_PX / layout.height_px
        height = layout.map_height_px / layout.height_px
        self.ax = self.fig.add_axes((0.0, bottom, 1.0, height))
        self.ax.set_axis_off()
        self.ax.set_xlim(*layout.xlim)
        self.ax.set_ylim(*layout.ylim)
        self.ax.add_patch(PathPatch(prep.sphere, facecolor=OCEAN_COLOUR, edgecolor="#c5d3de",
                                    linewidth=0.6, zorder=0))
        if prep.other is not None:
            other = PolyCollection([], facecolors=NO_DATA_COLOUR, linewidths=0, zorder=1)
            other.set_verts_and_codes([prep.other[0]], [prep.other[1]])
            self.ax.add_collection(other, autolim=False)
        self.countries = PolyCollection([], linewidths=0, zorder=2)
        self.countries.set_verts_and_codes(list(prep.verts), list(prep.kinds))
        self.ax.add_collection(self.countries, autolim=False)
        # borders drawn once each, over the fills (coasts are not stroked)
        self.ax.add_collection(LineCollection(list(prep.borders), colors=BORDER_COLOUR,
                                              linewidths=0.4, zorder=2.5), autolim=False)
        self.dot_codes = sorted(prep.dots)
        xy = np.asarray([prep.dots[c] for c in self.dot_codes]).reshape(-1, 2)
        self.dots = self.ax.scatter(xy[:, 0], xy[:, 1], s=14, linewidths=0.6,
                                    edgecolors="#4a4a4a", zorder=3)
        self.outline = PathPatch(MplPath(np.zeros((2, 2))), facecolor="none",
                                 edgecolor=HIGHLIGHT_COLOUR, linewidth=1.2, zorder=4,
                                 visible=False)
        self.ax.add_patch(self.outline)
        (self.ring,) = self.ax.plot([], [], marker="o", markersize=13, markerfacecolor="none",
                                    markeredgecolor=HIGHLIGHT_COLOUR, markeredgewidth=1.6,
                                    linestyle="none", zorder=5, visible=False)
        self.title = self.fig.text(0.01, 1 - 8 / layout.height_px, "", fontsize=11,
                                   va="top", ha="left")
        self.note = self.fig.text(0.01, 4 / layout.height_px, "", fontsize=7, color="#4a4a4a",
                                  va="bottom", ha="left")
        self.legend = None
        self.cax = self.fig.add_axes((0.03, 30 / layout.height_px, 0.3,
                                      10 / layout.height_px))
        self.cax.set_visible(False)
        self.colorbar = None
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()

    # -- colours
    def _category_colours(self, values: Mapping[str, Any], palette: Mapping[str, str] | None
                          ) -> tuple[dict[str, str], dict[str, str]]:
        colours = {str(k): to_hex(v) for k, v in (palette or {}).items()}
        extra = sorted({str(v) for v in values.values() if not _is_missing(v)} - set(colours))
        for i, cat in enumerate(extra):
            colours[cat] = CATEGORY_COLOURS[(len(colours) + i) % len(CATEGORY_COLOURS)]
        by_country = {iso3: colours[str(v)] for iso3, v in values.items()
                      if not _is_missing(v)}
        return by_country, colours

    def _value_colours(self, values: Mapping[str, Any], palette: Any,
                       limits: tuple[float, float] | None) -> tuple[dict[str, str], Any]:
        cmap = palette if isinstance(palette, Colormap) else colormaps[palette or
                                                                       DEFAULT_COLORMAP]
        numbers = {iso3: float(v) for iso3, v in values.items() if not _is_missing(v)}
        finite = [v for v in numbers.values() if math.isfinite(v)]
        if limits is None:
            limits = (min(finite), max(finite)) if finite else (0.0, 1.0)
        lo, hi = limits
        norm = Normalize(lo, hi if hi > lo else lo + 1.0)
        by_country = {iso3: to_hex(cmap(norm(v))) for iso3, v in numbers.items()
                      if math.isfinite(v)}
        return by_country, ScalarMappable(norm=norm, cmap=cmap)

    # -- drawing
    def _draw_base(self, values: Mapping[str, Any], kind: str, palette: Any, title: str,
                   legend: bool | str, note: str, limits: tuple[float, float] | None) -> None:
        if kind == "category":
            by_country, colours = self._category_colours(values, palette)
            mappable = None
        else:
            by_country, mappable = self._value_colours(values, palette, limits)
            colours = {}
        to_iso3 = _m49_to_iso3()
        faces = [by_country.get(to_iso3.get(code, ""), NO_DATA_COLOUR)
                 for code in self.prep.codes]
        self.countries.set_facecolors(faces)
        self.dots.set_facecolors([by_country.get(c, NO_DATA_COLOUR) for c in self.dot_codes])
        self.title.set_text(title)
        self.note.set_text(note)
        if self.legend is not None:
            self.legend.remove()
            self.legend = None
        self.cax.set_visible(False)
        if legend:
            handles = [Patch(facecolor=c, edgecolor="#8a8a8a", linewidth=0.4, label=cat)
                       for cat, c in colours.items()]
            handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#8a8a8a",
                                 linewidth=0.4, label=_(NO_DATA)))
            anchor = (0.01, 16 / _layout().height_px)
            if mappable is not None:
                self._show_colorbar(mappable, legend)
                anchor = (0.36, 16 / _layout().height_px)
            # one row when it fits, else two
            ncols = len(handles) if len(handles) <= 5 else math.ceil(len(handles) / 2)
            self.legend = self.fig.legend(
                handles=handles, loc="lower left", bbox_to_anchor=anchor, frameon=False,
                fontsize=8, ncols=ncols, handlelength=1.2,
                columnspacing=1.2, borderaxespad=0.0, borderpad=0.0,
                title=legend if isinstance(legend, str) else None, title_fontsize=8,
                alignment="left")
        self.outline.set_visible(False)
        self.ring.set_visible(False)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing", category=UserWarning)
            self.canvas.draw()

    def _show_colorbar(self, mappable: ScalarMappable, legend: bool | str) -> None:
        self.cax.set_visible(True)
        if self.colorbar is None:
            self.colorbar = self.fig.colorbar(mappable, cax=self.cax, orientation="horizontal")
            self.colorbar.outline.set_linewidth(0.4)
        else:
            self.colorbar.update_normal(mappable)
        self.cax.tick_params(labelsize=7, length=2, pad=1)

    def _draw_highlight(self, iso3: str | None) -> None:
        if iso3 is None:
            return
        prep = self.prep
        if iso3 in prep.index:
            i = prep.index[iso3]
            self.outline.set_path(MplPath(prep.verts[i], prep.kinds[i]))
            self.outline.set_visible(True)
            self.ax.draw_artist(self.outline)
            self.outline.set_visible(False)
        if iso3 in prep.small:
            x, y = prep.points[iso3]
            self.ring.set_data([x], [y])
            self.ring.set_visible(True)
            self.ax.draw_artist(self.ring)
            self.ring.set_visible(False)

    def render(self, values: Mapping[str, Any], *, kind: str = "category",
               palette: Any = None, title: str = "", legend: bool | str = True,
               highlight: str | None = None, note: str | None = None,
               limits: tuple[float, float] | None = None) -> bytes:
        """Draw the map and return PNG bytes; see :func:`draw_map` for the arguments."""
        values = _check_values(values, kind)
        if highlight is not None and highlight not in self.prep.index \
                and highlight not in self.prep.dots:
            raise ValueError(f"No shape or position for {highlight!r}.")
        if note is None:
            note = default_note()
        key = _signature(values, kind, palette, title, legend, note, limits)
        region = self._kept.get(key)
        if region is None:
            self._draw_base(values, kind, palette, title, legend, note, limits)
            region = self.canvas.copy_from_bbox(self.fig.bbox)
            self._kept[key] = region
            if len(self._kept) > self.KEEP:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
            self.canvas.restore_region(region)
        self._draw_highlight(highlight)
        png = _png(self.canvas)
        if highlight is not None:  # leave the plain map in the buffer
            self.canvas.restore_region(region)
        return png


def _signature(values: Mapping[str, Any], kind: str, palette: Any, title: str,
               legend: bool | str, note: str, limits: Any) -> Hashable:
    pal: Hashable
    if isinstance(palette, Mapping):
        pal = tuple((str(k), str(v)) for k, v in palette.items())
    elif isinstance(palette, Colormap):
        pal = ("cmap", palette.name, id(palette))
    else:
        pal = palette
    vals = tuple(sorted((k, str(v) if kind == "category" else repr(v))
                        for k, v in values.items()))
    return (kind, vals, pal, title, legend, note, None if limits is None else tuple(limits))


def _check_values(values: Mapping[str, Any], kind: str) -> dict[str, Any]:
    if kind not in ("category", "value"):
        raise ValueError(f"kind must be 'category' or 'value', not {kind!r}.")
    if not isinstance(values, Mapping):
        raise TypeError("values must map ISO3 codes to categories or numbers.")
    known = _iso3_names()
    out = {}
    for iso3, value in values.items():
        if iso3 not in known:
            raise ValueError(f"{iso3!r} is not the ISO3 code of a UN Member State.")
        if kind == "value" and not _is_missing(value):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise ValueError(f"The value for {iso3} is not a number: {value!r}.")
            value = float(value)
            if not math.isfinite(value):
                value = None
        out[iso3] = None if _is_missing(value) else value
    return out


def default_note() -> str:
    """The line under every map: what the dots are, who has no outline, and the usual
    caution about borders."""
    names = _iso3_names()
    missing = [country_name(c, names[c]) for c in missing_member_states()]
    lacking = (" " + ngettext("{names} has no outline at this scale.",
                              "{names} have no outline at this scale.", len(missing)
                              ).format(names=", ".join(missing)) if missing else "")
    return _("Dots mark countries too small to see.{lacking} Borders are approximate and "
             "imply no official position. Map data: Natural Earth.").format(lacking=lacking)


_CANVAS_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _shared_canvas() -> MapCanvas:
    return MapCanvas()


def draw_map(values: Mapping[str, Any], *, kind: str = "category", palette: Any = None,
             title: str = "", legend: bool | str = True, highlight: str | None = None,
             note: str | None = None, limits: tuple[float, float] | None = None) -> bytes:
    """A world map as PNG bytes, Antarctica left out; drawn offline.

    Parameters
    ----------
    values : mapping of ISO3 code to a category (``kind="category"``) or a number
        (``kind="value"``). Member States left out, or given None / NaN, are shown in light
        grey as "no data"; so is land that is not a Member State.
    kind : "category" or "value".
    palette : for categories, a mapping category -> colour (its order is the legend's;
        categories it lacks get colours of their own); for values, a colormap or its name.
    title : the title above the map.
    legend : True to show the legend, False to leave it out, or a text for its title.
    highlight : ISO3 code of a country to outline (and ring, when it is small).
    note : the small print under the map (None: :func:`default_note`, "" for none).
    limits : for values, the numbers at the two ends of the colour scale.

    Raises ``ValueError`` for an unknown code or kind, or a value that is not a number.
    """
    with _CANVAS_LOCK:
        return _shared_canvas().render(values, kind=kind, palette=palette, title=title,
                                       legend=legend, highlight=highlight, note=note,
                                       limits=limits)
