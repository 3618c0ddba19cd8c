"""Upsert the referential from an extract, in one transaction.

Each table is written with `bulk_create(update_conflicts=True)` on its natural key
(INSEE code or SIREN), in batches; rows whose stored values already match are
skipped, so a second run only reads. Rows missing from the extract are kept and
marked `is_current=False` (other apps may point at them); they become current
again if a later extract brings them back.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from territories.extract import Extract
from territories.models import Commune, Department, Epci, Region
from territories.text import normalize_name

BATCH_SIZE = 1000


@dataclass(frozen=True)
class TableReport:
    current: int
    created: int
    updated: int
    retired: int


def load_extract(extract: Extract) -> dict[str, TableReport]:
    """Load `extract`; the report per table is keyed by model name."""
    population = {"region": defaultdict(int), "department": defaultdict(int)}
    for row in extract.communes:
        population["region"][row["region"]] += row["population"] or 0
        population["department"][row["department"]] += row["population"] or 0

    with transaction.atomic():
        report = {}
        report["region"], region_ids = _upsert(
            Region,
            "code",
            [
                {
                    "code": row["code"],
                    "name": row["name"],
                    "population": population["region"][row["code"]],
                }
                for row in extract.regions
            ],
        )
        report["department"], department_ids = _upsert(
            Department,
            "code",
            [
                {
                    "code": row["code"],
                    "name": row["name"],
                    "population": population["department"][row["code"]],
                    "region_id": region_ids[row["region"]],
                }
                for row in extract.departments
            ],
        )
        report["epci"], epci_ids = _upsert(
            Epci,
            "siren",
            [
                {
                    "siren": row["siren"],
                    "name": row["name"],
                    "kind": row["kind"],
                    "population": row["population"],
                    "department_id": department_ids.get(row["department"]),
                }
                for row in extract.epci
            ],
        )
        report["commune"], _ = _upsert(
            Commune,
            "insee_code",
            [
                {
                    "insee_code": row["code"],
                    "name": row["name"],
                    "siren": row["siren"] or "",
                    "population": row["population"],
                    "department_id": department_ids[row["department"]],
                    "region_id": region_ids[row["region"]],
                    "epci_id": epci_ids.get(row["epci"]),
                    "ept_id": epci_ids.get(row["ept"]),
                    "postcodes": " ".join(extract.postcodes.get(row["code"], [])),
                }
                for row in extract.communes
            ],
        )
    return report


def _upsert(model, key: str, rows: list[dict]) -> tuple[TableReport, dict[str, int]]:
    """Insert or update `rows` (attname → value) on `key`, retire the others.

    Rows already holding the same values are not written again, so that a second
    run costs a few reads. Returns the report and the map key → primary key.
    """
    fields = [
        field.attname
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != key
    ]
    stored = {
        values[0]: values[1:]
        for values in model.objects.values_list(key, *fields).iterator()
    }
    keys, changed = set(), []
    for row in rows:
        row = {**row, "search_name": normalize_name(row["name"]), "is_current": True}
        keys.add(row[key])
        if stored.get(row[key]) != tuple(row[field] for field in fields):
            changed.append(model(**row))
    model.objects.bulk_create(
        changed,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=[key],
        update_fields=fields,
    )
    is_current = fields.index("is_current")
    retired = sorted(
        code
        for code, values in stored.items()
        if values[is_current] and code not in keys
    )
    for start in range(0, len(retired), BATCH_SIZE):
        batch = retired[start : start + BATCH_SIZE]
        model.objects.filter(**{f"{key}__in": batch}).update(is_current=False)
    created = len(keys - stored.keys())
    report = TableReport(
        current=len(keys),
        created=created,
        updated=len(changed) - created,
        retired=len(retired),
    )
    return report, dict(model.objects.values_list(key, "pk"))
