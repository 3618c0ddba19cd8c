"""Read side of the referential, for the collectivity profile form and the admin.

    territory_search("st malo")          → [TerritoryMatch(kind="commune", ...), ...]
    territory_details("commune", "35288") → {"name": "Saint-Malo", ...}

Searching compares `search_name` columns with the query normalised the same way
(`territories.text.normalize_name`): case, accents, hyphens and apostrophes do not
matter, and "st"/"ste" stand for "saint"/"sainte". A query may also be a code:
INSEE code of a commune, department or region, or SIREN of a commune or EPCI.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from territories.models import Commune, Department, Epci, Region, TerritoryKind
from territories.text import normalize_name

# Rank of a match, best first; within a rank, the larger population first. With
# "lyon": Lyon (exact), Lyon-Machin (starts with the words), Métropole de Lyon
# (has the words), Lyons-la-Forêt (starts with), Est Lyonnais (a word starts with).
EXACT, STARTS_WITH_WORDS, HAS_WORDS, STARTS_WITH, WORD_STARTS_WITH, CONTAINS = range(6)


@dataclass(frozen=True)
class TerritoryMatch:
    kind: str  # A `TerritoryKind` value.
    code: str  # INSEE code; SIREN for an EPCI (the key `territory_details` takes).
    name: str
    label: str  # Unambiguous: "Lannion (22)", "Côtes-d'Armor (22)".
    detail: str  # Where it is: "Commune · Côtes-d'Armor, Bretagne".
    population: int | None
    rank: int


def territory_search(
    query: str, *, limit: int = 20, kinds: list[str] | None = None
) -> list[TerritoryMatch]:
    """Current territories matching `query`, best first (see the ranks above), at
    most `limit` of them, of the given `kinds` (`TerritoryKind` values; all by
    default). A name matches when it contains every word of the query."""
    normalized = normalize_name(query or "")
    code = (query or "").strip().upper()
    if not normalized or limit <= 0:
        return []
    matches = []
    for kind in kinds or TerritoryKind.values:
        model, code_fields, related = _SEARCHED[kind]
        found = Q()
        for word in normalized.split():
            found &= Q(search_name__contains=word)
        exact = Q(search_name=normalized)
        for field in code_fields:
            found |= Q(**{field: code})
            exact |= Q(**{field: code})
        rows = (
            model.objects.filter(found, is_current=True)
            .annotate(
                rank=Case(
                    When(exact, then=Value(EXACT)),
                    When(
                        search_name__startswith=f"{normalized} ",
                        then=Value(STARTS_WITH_WORDS),
                    ),
                    When(
                        Q(search_name__endswith=f" {normalized}")
                        | Q(search_name__contains=f" {normalized} "),
                        then=Value(HAS_WORDS),
                    ),
                    When(search_name__startswith=normalized, then=Value(STARTS_WITH)),
                    When(
                        search_name__contains=f" {normalized}",
                        then=Value(WORD_STARTS_WITH),
                    ),
                    default=Value(CONTAINS),
                    output_field=IntegerField(),
                )
            )
            .select_related(*related)
            .order_by("rank", "-population", "name")[:limit]
        )
        matches.extend(_match(kind, row) for row in rows)
    matches.sort(key=lambda match: (match.rank, -(match.population or 0), match.name))
    return matches[:limit]


_SEARCHED = {
    TerritoryKind.REGION: (Region, ["code"], []),
    TerritoryKind.DEPARTMENT: (Department, ["code"], ["region"]),
    TerritoryKind.EPCI: (Epci, ["siren"], ["department"]),
    TerritoryKind.COMMUNE: (
        Commune,
        ["insee_code", "siren"],
        ["department", "region"],
    ),
}


def _match(kind: str, row) -> TerritoryMatch:
    kind_label = TerritoryKind(kind).label
    if kind == TerritoryKind.REGION:
        code, detail = row.code, str(kind_label)
    elif kind == TerritoryKind.DEPARTMENT:
        code, detail = row.code, f"{kind_label} · {row.region.name}"
    elif kind == TerritoryKind.EPCI:
        code, detail = row.siren, row.get_kind_display()
        if row.department:
            detail = f"{detail} · {row.department}"
    else:
        code = row.insee_code
        detail = f"{kind_label} · {row.department.name}, {row.region.name}"
    return TerritoryMatch(
        kind=kind,
        code=code,
        name=row.name,
        label=str(row),
        detail=detail,
        population=row.population,
        rank=row.rank,
    )


def territory_details(kind: str, code: str) -> dict | None:
    """What a profile shows of a territory, or None if there is no such territory.

    `kind` is a `TerritoryKind` value, `code` the INSEE code (SIREN for an EPCI).
    Every kind gives: kind, kind_label, name, label, insee_code, siren, population,
    is_current, department and region ({"code", "name"} or None). A commune adds
    its `epci` and `ept` (see `_group`); an EPCI its `epci_kind`, `epci_kind_label`
    and `members` (communes with insee_code, name, siren, population, by name); a
    department its `communes_count`; a region its `departments`.
    """
    code = (code or "").strip().upper()
    if kind == TerritoryKind.REGION:
        region = Region.objects.filter(code=code).first()
        if region is None:
            return None
        departments = region.departments.filter(is_current=True).order_by("code")
        return {
            **_base(kind, region, insee_code=region.code),
            "region": _place(region),
            "departments": [_place(department) for department in departments],
        }
    if kind == TerritoryKind.DEPARTMENT:
        department = (
            Department.objects.select_related("region").filter(code=code).first()
        )
        if department is None:
            return None
        return {
            **_base(kind, department, insee_code=department.code),
            "department": _place(department),
            "region": _place(department.region),
            "communes_count": department.communes.filter(is_current=True).count(),
        }
    if kind == TerritoryKind.EPCI:
        epci = (
            Epci.objects.select_related("department__region").filter(siren=code).first()
        )
        if epci is None:
            return None
        members = epci.members.filter(is_current=True).order_by("search_name")
        return {
            **_base(kind, epci, siren=epci.siren),
            "department": _place(epci.department),
            "region": _place(epci.department.region if epci.department else None),
            "epci_kind": epci.kind,
            "epci_kind_label": str(epci.get_kind_display()),
            "members": [
                {
                    "insee_code": commune.insee_code,
                    "name": commune.name,
                    "siren": commune.siren,
                    "population": commune.population,
                }
                for commune in members
            ],
        }
    if kind == TerritoryKind.COMMUNE:
        commune = (
            Commune.objects.select_related("department", "region", "epci", "ept")
            .filter(insee_code=code)
            .first()
        )
        if commune is None:
            return None
        return {
            **_base(kind, commune, insee_code=commune.insee_code, siren=commune.siren),
            "department": _place(commune.department),
            "region": _place(commune.region),
            "epci": _group(commune.epci),
            "ept": _group(commune.ept),
        }
    return None


def _base(kind: str, territory, *, insee_code: str = "", siren: str = "") -> dict:
    return {
        "kind": kind,
        "kind_label": str(TerritoryKind(kind).label),
        "name": territory.name,
        "label": str(territory),
        "insee_code": insee_code,
        "siren": siren,
        "population": territory.population,
        "is_current": territory.is_current,
        "department": None,
        "region": None,
    }


def _place(territory) -> dict | None:
    if territory is None:
        return None
    return {"code": territory.code, "name": territory.name}


def _group(epci: Epci | None) -> dict | None:
    """An EPCI as a commune's details show it."""
    if epci is None:
        return None
    return {
        "siren": epci.siren,
        "name": epci.name,
        "kind": epci.kind,
        "kind_label": str(epci.get_kind_display()),
        "population": epci.population,
    }
