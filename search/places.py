"""Where a collectivity, an event or a practice is, in words a member types.

A search for « 62 », « Pas-de-Calais », « 22300 » or « événement Lyon » finds
what is there because the search documents carry their place as text
(`place_text`): the town(s), postcodes, department code and name, and region
name, all read from the official referential (`territories`, loaded by
`load_territories`; the shipped extract when the tables are empty, so that a
database without the referential still indexes places).

- a collectivity: a commune its name and postcodes; an EPCI its member
  communes' names and postcodes; a department its code and name; every one its
  department (code and name) and region;
- an event: its town and postcode, the department of that postcode's commune
  (or of the postcode's first digits), its region;
- a practice: its collectivity's place.

Documents are built in batches (`search.documents.prefetch_pages`): one
`PlaceReader` per batch reads the referential rows that batch needs in a fixed
number of queries. `postcode_place` and `department_place` answer the query
side: what a typed postcode or department number stands for.
"""

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from members.territories import Region as RegionChoice

POSTCODE_RE = re.compile(r"\d{5}")
DEPARTMENT_CODE_RE = re.compile(r"\d{2,3}|2[AB]", re.I)
EPCI_KINDS = {"cc", "ca", "cu", "metropole", "autre"}
# Member communes named in an EPCI's document: beyond this many (a metropole's
# sixty), the names would outweigh what the profile says.
MAX_MEMBER_NAMES = 80


@dataclass(frozen=True)
class Place:
    towns: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    department_code: str = ""
    department_name: str = ""
    region_name: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.towns or self.postcodes or self.department_code)

    def text(self) -> str:
        """The place as a line of a search document:
        « Lannion, 22300, Côtes-d'Armor (22), Bretagne »."""
        parts = [*self.towns, *self.postcodes]
        if self.department_name:
            parts.append(f"{self.department_name} ({self.department_code})")
        elif self.department_code:
            parts.append(self.department_code)
        if self.region_name:
            parts.append(self.region_name)
        return ", ".join(dict.fromkeys(part for part in parts if part))


def department_of_postcode(postcode: str) -> str:
    """The department a postcode's digits point to ("22300" → "22", "97400" →
    "974", "20000" → "2A"/"2B" needs the commune: ""), or ""."""
    if not POSTCODE_RE.fullmatch(postcode or ""):
        return ""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return ""
    return postcode[:2]


@dataclass
class _Commune:
    code: str
    name: str
    department: str
    region: str
    postcodes: tuple[str, ...]


@dataclass
class _Referential:
    """The parts of the referential places are made of."""

    departments: dict[str, tuple[str, str]] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _shipped():
    """The shipped extract, indexed, for a database without the referential."""
    from territories.extract import read_extract

    extract = read_extract()
    communes = {
        row["code"]: _Commune(
            row["code"],
            row["name"],
            row["department"],
            row["region"],
            tuple(extract.postcodes.get(row["code"], ())),
        )
        for row in extract.communes
    }
    members = {row["siren"]: row["members"] for row in extract.epci}
    by_postcode = defaultdict(list)
    for commune in communes.values():
        for postcode in commune.postcodes:
            by_postcode[postcode].append(commune.code)
    referential = _Referential(
        departments={
            row["code"]: (row["name"], row["region"]) for row in extract.departments
        },
        regions={row["code"]: row["name"] for row in extract.regions},
    )
    return referential, communes, members, dict(by_postcode)


class PlaceReader:
    """Reads, for a batch of pages, the referential rows their places need:
    `read(collectivities=…, events=…)` first, then `collectivity_place` and
    `event_place` answer without a query."""

    def __init__(self):
        self.communes: dict[str, _Commune] = {}
        self.members: dict[str, list[str]] = {}
        self.by_postcode: dict[str, list[str]] = {}
        self.referential = _Referential()
        self.loaded = False

    def read(self, *, collectivities=(), events=()) -> "PlaceReader":
        from territories.models import Commune, Department

        collectivities, events = list(collectivities), list(events)
        if not collectivities and not events:
            return self
        departments = list(
            Department.objects.select_related("region").values_list(
                "code", "name", "region__code", "region__name"
            )
        )
        if not departments:
            return self._read_shipped(collectivities, events)
        self.loaded = True
        self.referential = _Referential(
            departments={code: (name, region) for code, name, region, _ in departments},
            regions={region: name for _, _, region, name in departments},
        )
        codes = {
            page.insee_code
            for page in collectivities
            if page.kind == "commune" and page.insee_code
        }
        sirens = {
            page.siren
            for page in collectivities
            if page.kind in EPCI_KINDS and page.siren
        }
        postcodes = {
            page.postcode
            for page in events
            if not page.online and POSTCODE_RE.fullmatch(page.postcode or "")
        }
        if not (codes or sirens or postcodes):
            return self
        from django.db.models import Q

        wanted = Q(insee_code__in=codes) | Q(epci__siren__in=sirens)
        wanted |= Q(ept__siren__in=sirens)
        for postcode in postcodes:
            wanted |= Q(postcodes__contains=postcode)
        rows = Commune.objects.filter(wanted, is_current=True).values_list(
            "insee_code",
            "name",
            "department__code",
            "region__code",
            "postcodes",
            "epci__siren",
            "ept__siren",
        )
        for code, name, department, region, codes_text, epci, ept in rows:
            commune = _Commune(
                code, name, department, region, tuple(codes_text.split())
            )
            self.communes[code] = commune
            for siren in {epci, ept} & sirens:
                self.members.setdefault(siren, []).append(code)
            for postcode in set(commune.postcodes) & postcodes:
                self.by_postcode.setdefault(postcode, []).append(code)
        return self

    def _read_shipped(self, collectivities, events) -> "PlaceReader":
        referential, communes, members, by_postcode = _shipped()
        self.referential = referential
        self.communes, self.members, self.by_postcode = communes, members, by_postcode
        self.loaded = True
        return self

    # --- Places -------------------------------------------------------------------

    def _department(self, code: str) -> tuple[str, str, str]:
        """(code, name, region code) of a department, as far as it is known."""
        code = (code or "").upper()
        name, region = self.referential.departments.get(code, ("", ""))
        return code, name, region

    def _region_name(self, code: str) -> str:
        return self.referential.regions.get(code) or str(
            dict(RegionChoice.choices).get(code, "")
        )

    def collectivity_place(self, page) -> Place:
        towns, postcodes = [], []
        department = page.department or ""
        region = page.region or ""
        if page.kind == "commune" and page.insee_code in self.communes:
            commune = self.communes[page.insee_code]
            towns.append(commune.name)
            postcodes.extend(commune.postcodes)
            department, region = commune.department, commune.region
        elif page.kind in EPCI_KINDS and page.siren in self.members:
            members = sorted(
                (self.communes[code] for code in self.members[page.siren]),
                key=lambda commune: commune.code,
            )
            if len(members) <= MAX_MEMBER_NAMES:
                towns.extend(commune.name for commune in members)
            postcodes.extend(
                sorted({code for commune in members for code in commune.postcodes})
            )
        elif page.kind == "departement" and page.insee_code:
            department = page.insee_code
        code, name, department_region = self._department(department)
        return Place(
            towns=tuple(dict.fromkeys(towns)),
            postcodes=tuple(dict.fromkeys(postcodes)),
            department_code=code,
            department_name=name,
            region_name=self._region_name(region or department_region),
        )

    def event_place(self, page) -> Place:
        if page.online:
            return Place(region_name=self._region_name(page.region or ""))
        postcode = page.postcode if POSTCODE_RE.fullmatch(page.postcode or "") else ""
        department = department_of_postcode(postcode)
        candidates = [
            self.communes[code]
            for code in self.by_postcode.get(postcode, [])
            if code in self.communes
        ]
        from territories.text import normalize_name

        city = normalize_name(page.city or "")
        named = [c for c in candidates if normalize_name(c.name) == city]
        commune = (named or candidates or [None])[0]
        region = page.region or ""
        if commune is not None:
            department = commune.department
            region = region or commune.region
        code, name, department_region = self._department(department)
        return Place(
            towns=(page.city,) if page.city else (),
            postcodes=(postcode,) if postcode else (),
            department_code=code,
            department_name=name,
            region_name=self._region_name(region or department_region),
        )


def collectivity_place(page) -> Place:
    """One collectivity's place (a few queries; batches use `PlaceReader`)."""
    return PlaceReader().read(collectivities=[page]).collectivity_place(page)


def event_place(page) -> Place:
    return PlaceReader().read(events=[page]).event_place(page)


def postcode_place(postcode: str) -> Place | None:
    """What a typed postcode stands for (« 22300 » → Lannion, Côtes-d'Armor
    (22), Bretagne), or None when it is not one of the referential's."""
    postcode = (postcode or "").strip()
    if not POSTCODE_RE.fullmatch(postcode):
        return None
    from territories.models import Commune

    rows = list(
        Commune.objects.filter(postcodes__contains=postcode, is_current=True)
        .select_related("department", "region")
        .order_by("-population")
    )
    if rows:
        rows = [row for row in rows if postcode in row.postcodes.split()]
        communes = [
            _Commune(
                row.insee_code,
                row.name,
                row.department.code,
                row.region.code,
                tuple(row.postcodes.split()),
            )
            for row in rows
        ]
        reader = PlaceReader().read(collectivities=[_Stub()])
    else:
        reader = PlaceReader()._read_shipped((), ())
        communes = [
            reader.communes[code] for code in reader.by_postcode.get(postcode, [])
        ]
    if not communes:
        return None
    code, name, region = reader._department(communes[0].department)
    return Place(
        towns=tuple(commune.name for commune in communes),
        postcodes=(postcode,),
        department_code=code,
        department_name=name,
        region_name=reader._region_name(region),
    )


def department_place(code: str) -> Place | None:
    """What a typed department number stands for (« 62 » → Pas-de-Calais,
    Hauts-de-France), or None."""
    code = (code or "").strip().upper()
    if not DEPARTMENT_CODE_RE.fullmatch(code):
        return None
    reader = PlaceReader().read(collectivities=[_Stub()])
    code, name, region = reader._department(code)
    if not name:
        return None
    return Place(
        department_code=code,
        department_name=name,
        region_name=reader._region_name(region),
    )


class _Stub:
    """A collectivity without identity: makes `PlaceReader.read` load only the
    departments and regions."""

    kind = ""
    insee_code = siren = department = region = ""
