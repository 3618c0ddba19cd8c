"""A collectivity profile from the official referential (territories app)."""

from members.models import CollectivityKind, CollectivityPage
from territories.models import Commune, TerritoryKind
from territories.selectors import territory_details

_EPCI_KINDS = {
    "CC": CollectivityKind.CC,
    "CA": CollectivityKind.CA,
    "CU": CollectivityKind.CU,
    "METRO": CollectivityKind.METROPOLE,
    "MET69": CollectivityKind.METROPOLE,
    "EPT": CollectivityKind.OTHER,
}
_TITLE_PREFIX = {
    TerritoryKind.COMMUNE: "",
    TerritoryKind.DEPARTMENT: "Département ",
    TerritoryKind.REGION: "Région ",
}


def profile_values(kind: str, code: str) -> dict | None:
    """Field values of a new profile for a territory, or None if it is unknown."""
    details = territory_details(kind, code)
    if details is None:
        return None
    values = {
        "title": _TITLE_PREFIX.get(kind, "") + details["name"],
        "siren": details["siren"] or "",
        "insee_code": details["insee_code"] if kind != TerritoryKind.EPCI else "",
        "population": details["population"],
        "region": (details["region"] or {}).get("code", ""),
        "department": (details["department"] or {}).get("code", "")
        if kind != TerritoryKind.REGION
        else "",
    }
    if kind == TerritoryKind.COMMUNE:
        values["kind"] = CollectivityKind.COMMUNE
    elif kind == TerritoryKind.DEPARTMENT:
        values["kind"] = CollectivityKind.DEPARTEMENT
    elif kind == TerritoryKind.REGION:
        values["kind"] = CollectivityKind.REGION
    else:
        values["kind"] = _EPCI_KINDS.get(details["epci_kind"], CollectivityKind.OTHER)
        members = details["members"]
        values["commune_count"] = len(members)
        values["member_communes"] = "\n".join(
            f"{member['name']} ({member['insee_code']})" for member in members
        )
    return values


def collectivity_create_from_territory(*, parent, kind: str, code: str, owner=None):
    """A draft profile filled from the referential, for an editor to complete.

    Returns the existing profile instead when one already has this SIREN.
    """
    values = profile_values(kind, code)
    if values is None:
        return None, False
    if values["siren"]:
        existing = CollectivityPage.objects.filter(siren=values["siren"]).first()
        if existing is not None:
            return existing, False
    page = CollectivityPage(live=False, owner=owner, **values)
    parent.add_child(instance=page)
    page.save_revision(user=owner)
    return page, True


def intercommunality_of(page: CollectivityPage, *, user=None) -> dict | None:
    """For a commune: its EPCI from the referential ({"siren", "name", "kind",
    "population"}), with its member profile if `user` may see one ("profile",
    else None). Two small queries: only what the profile shows is read, not the
    commune's whole details."""
    if page.kind != CollectivityKind.COMMUNE or not page.insee_code:
        return None
    row = (
        Commune.objects.filter(insee_code=page.insee_code.strip().upper())
        .exclude(epci=None)
        .values_list("epci__siren", "epci__name", "epci__kind", "epci__population")
        .first()
    )
    if row is None:
        return None
    siren, name, kind, population = row
    from members.selectors import visible_among

    profiles = visible_among(
        CollectivityPage.objects.filter(siren=siren, live=True).order_by("pk"),
        user=user,
    )
    return {
        "siren": siren,
        "name": name,
        "kind": kind,
        "population": population,
        "profile": profiles[0] if profiles else None,
    }
