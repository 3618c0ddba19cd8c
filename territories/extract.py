"""The compact extract of the referential shipped in `territories/data/`.

`build_extract` turns the JSON files of the npm package
`@etalab/decoupage-administratif` into a small dict; `write_extract` stores it as
deterministic gzip JSON (same input, same bytes); `read_extract` reads and checks it
back for the loader.

Kept: the 18 regions and 101 departments (metropolitan France and the five DROM),
their current communes (INSEE type "commune-actuelle": no delegated or associated
communes, no municipal arrondissements), the EPCI à fiscalité propre and the EPT of
the Métropole du Grand Paris. Left out: the overseas collectivities (COM), which
have no department or region in the INSEE sense.

Layout (format 1): each table is a list of rows, and `columns` names the values of
a row, in order. Populations are INSEE "populations municipales"; the EPCI ones
come from the DGCL file, whose vintage may differ from the communes' figure.
"""

import dataclasses
import gzip
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from territories.models import EpciKind

FORMAT = 1
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "territories.json.gz"
PACKAGE_NAME = "@etalab/decoupage-administratif"

COLUMNS = {
    "regions": ["code", "name"],
    "departments": ["code", "name", "region"],
    "communes": [
        "code",
        "name",
        "department",
        "region",
        "population",
        "siren",
        "epci",
        "ept",
    ],
    "epci": ["siren", "name", "kind", "population", "department", "members"],
}
# Tables an extract may lack (older extracts, the tests' small ones): loaded
# when present. `postcodes`: a commune's postcodes (La Poste's base officielle
# des codes postaux, as the package carries it), space-separated.
OPTIONAL_COLUMNS = {"postcodes": ["code", "postcodes"]}
KEPT_ZONES = {"metro", "drom"}


class ExtractError(Exception):
    """The extract, or the package it is built from, is missing or malformed."""


# --- Building from the npm package ------------------------------------------------


def _read_json(path: Path):
    try:
        with path.open(encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError as error:
        raise ExtractError(f"{path} not found.") from error
    except (OSError, ValueError) as error:
        raise ExtractError(f"{path} is not readable JSON: {error}") from error


def build_extract(package_dir: Path) -> dict:
    """The extract from an unpacked `@etalab/decoupage-administratif` package.

    `package_dir` holds its `package.json` and `data/` folder (the `package/`
    folder of `npm pack`, or `node_modules/@etalab/decoupage-administratif`).
    """
    package_dir = Path(package_dir)
    package = _read_json(package_dir / "package.json")
    if package.get("name") != PACKAGE_NAME:
        raise ExtractError(f"{package_dir} does not hold {PACKAGE_NAME}.")
    data = package_dir / "data"

    regions = {
        row["code"]: row["nom"]
        for row in _read_json(data / "regions.json")
        if row["zone"] in KEPT_ZONES
    }
    departments = {
        row["code"]: (row["nom"], row["region"])
        for row in _read_json(data / "departements.json")
        if row["zone"] in KEPT_ZONES
    }
    communes = {
        row["code"]: row
        for row in _read_json(data / "communes.json")
        if row["type"] == "commune-actuelle" and row["zone"] in KEPT_ZONES
    }

    groups = [*_read_json(data / "epci.json"), *_read_json(data / "ept.json")]
    epci_of, ept_of, epci_rows = {}, {}, []
    for group in groups:
        kind = group["type"]
        if kind not in EpciKind.values:
            raise ExtractError(f"Unknown EPCI type {kind!r} for {group['code']}.")
        members = sorted(member["code"] for member in group["membres"])
        unknown = [code for code in members if code not in communes]
        if unknown:
            raise ExtractError(
                f"EPCI {group['code']} lists unknown communes: {', '.join(unknown)}."
            )
        membership = ept_of if kind == EpciKind.EPT else epci_of
        for code in members:
            if code in membership:
                raise ExtractError(f"Commune {code} is in two groups of type {kind}.")
            membership[code] = group["code"]
        # The department where most of its inhabitants live.
        population_by_department = defaultdict(int)
        for code in members:
            commune = communes[code]
            population_by_department[commune["departement"]] += (
                commune.get("population") or 0
            )
        department = min(
            population_by_department,
            key=lambda dep: (-population_by_department[dep], dep),
        )
        epci_rows.append(
            [
                group["code"],
                group["nom"],
                kind,
                group.get("populationMunicipale"),
                department,
                members,
            ]
        )

    commune_rows, postcode_rows = [], []
    for code, row in communes.items():
        if row["departement"] not in departments or row["region"] not in regions:
            raise ExtractError(f"Commune {code} is outside the kept departments.")
        commune_rows.append(
            [
                code,
                row["nom"],
                row["departement"],
                row["region"],
                row.get("population"),
                row.get("siren", ""),
                epci_of.get(code),
                ept_of.get(code),
            ]
        )
        postcodes = sorted(set(row.get("codesPostaux") or []))
        if postcodes:
            postcode_rows.append([code, " ".join(postcodes)])

    return {
        "format": FORMAT,
        "source": {
            "package": PACKAGE_NAME,
            "version": package.get("version", ""),
            "license": package.get("license", ""),
            "repository": package.get("repository", ""),
        },
        "columns": {**COLUMNS, **OPTIONAL_COLUMNS},
        "regions": sorted([code, name] for code, name in regions.items()),
        "departments": sorted(
            [code, name, region] for code, (name, region) in departments.items()
        ),
        "communes": sorted(commune_rows),
        "epci": sorted(epci_rows),
        "postcodes": sorted(postcode_rows),
    }


def write_extract(extract: dict, path: Path) -> int:
    """Write the extract as gzip JSON, byte for byte reproducible; return its size."""
    payload = json.dumps(
        extract, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
    path = Path(path)
    # No file name and no timestamp in the gzip header.
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as file,
    ):
        file.write(payload)
    return path.stat().st_size


# --- Reading it back -----------------------------------------------------------------


@dataclass(frozen=True)
class Extract:
    source: dict
    regions: list[dict]
    departments: list[dict]
    communes: list[dict]
    epci: list[dict]
    # Commune INSEE code → its postcodes (empty when the extract has none).
    postcodes: dict[str, list[str]] = dataclasses.field(default_factory=dict)


def read_extract(path: Path | None = None) -> Extract:
    """Read and check an extract (gzip or plain JSON); the shipped one by default."""
    path = Path(path) if path else DEFAULT_PATH
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        document = json.loads(raw.decode("utf-8"))
    except FileNotFoundError as error:
        raise ExtractError(f"No territories extract at {path}.") from error
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as error:
        raise ExtractError(f"{path} is not a territories extract: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExtractError(f"{path} is not a territories extract (format {FORMAT}).")

    tables = {}
    for table, columns in COLUMNS.items():
        if document.get("columns", {}).get(table) != columns:
            raise ExtractError(f"{path}: unexpected columns for {table!r}.")
        rows = document.get(table)
        if not isinstance(rows, list) or not all(
            isinstance(row, list) and len(row) == len(columns) for row in rows
        ):
            raise ExtractError(f"{path}: malformed rows in {table!r}.")
        tables[table] = [dict(zip(columns, row, strict=True)) for row in rows]
    postcodes = {}
    if "postcodes" in document:
        columns = OPTIONAL_COLUMNS["postcodes"]
        rows = document["postcodes"]
        if document.get("columns", {}).get("postcodes") != columns:
            raise ExtractError(f"{path}: unexpected columns for 'postcodes'.")
        if not isinstance(rows, list) or not all(
            isinstance(row, list)
            and len(row) == len(columns)
            and all(_is_text(value) for value in row)
            for row in rows
        ):
            raise ExtractError(f"{path}: malformed rows in 'postcodes'.")
        postcodes = {code: codes.split() for code, codes in rows}
    extract = Extract(source=document.get("source", {}), postcodes=postcodes, **tables)
    try:
        _check_references(extract, path)
    except (TypeError, AttributeError) as error:  # A value of the wrong type.
        raise ExtractError(f"{path}: malformed values ({error}).") from error
    return extract


def _check_references(extract: Extract, path: Path) -> None:
    def fail(message):
        raise ExtractError(f"{path}: {message}")

    for table in ("regions", "departments", "communes", "epci"):
        identifier = "siren" if table == "epci" else "code"
        for row in getattr(extract, table):
            population = row.get("population")
            if not (
                _is_text(row[identifier])
                and _is_text(row["name"])
                and (population is None or _is_count(population))
                and (table != "epci" or isinstance(row["members"], list))
            ):
                fail(f"malformed row in {table!r}: {row}.")

    regions = {row["code"] for row in extract.regions}
    departments = {row["code"] for row in extract.departments}
    groups = {row["siren"]: row for row in extract.epci}
    communes = {row["code"]: row for row in extract.communes}
    for row in extract.departments:
        if row["region"] not in regions:
            fail(f"department {row['code']} has unknown region {row['region']}.")
    for row in extract.epci:
        if row["kind"] not in EpciKind.values:
            fail(f"EPCI {row['siren']} has unknown kind {row['kind']!r}.")
        if row["department"] is not None and row["department"] not in departments:
            fail(f"EPCI {row['siren']} has unknown department {row['department']}.")
        field = "ept" if row["kind"] == EpciKind.EPT else "epci"
        for code in row["members"]:
            if code not in communes or communes[code][field] != row["siren"]:
                fail(f"EPCI {row['siren']} member {code} does not point back to it.")
    for row in extract.communes:
        if row["department"] not in departments or row["region"] not in regions:
            fail(f"commune {row['code']} has an unknown department or region.")
        for field in ("epci", "ept"):
            siren = row[field]
            if siren is None:
                continue
            group = groups.get(siren)
            if (
                group is None
                or (group["kind"] == EpciKind.EPT) != (field == "ept")
                or row["code"] not in group["members"]
            ):
                fail(f"commune {row['code']} has unknown {field} {siren}.")
    for code, postcodes in extract.postcodes.items():
        if code not in communes:
            fail(f"postcodes of unknown commune {code}.")
        if not all(re.fullmatch(r"\d{5}", postcode) for postcode in postcodes):
            fail(f"commune {code} has malformed postcodes {postcodes}.")


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
