"""The member directory `/membres/` and its open-data export."""

import csv
import json

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from members.forms import DirectoryFilterForm
from members.selectors import directory_counts, directory_listing
from members.territories import DEPARTMENT_NAMES
from retex.links import page_url
from retex.page_cache import cacheable, remember_for_visibility
from retex.pagination import paginate

PAGE_SIZE = 24

# The public fields of the open-data export (no contacts, no email domains).
EXPORT_FIELDS = [
    "nom",
    "type",
    "siren",
    "code_insee",
    "region",
    "departement",
    "departement_nom",
    "population",
    "nombre_communes",
    "site_internet",
    "feuille_de_route_adoptee",
    "feuille_de_route_date",
    "themes",
    "adhesion",
    "membre_depuis",
    "url",
]


def directory_context(request) -> dict:
    probe = DirectoryFilterForm(request.GET or None)
    filters = probe.valid_filters() if probe.is_bound else {}
    # Grouped counts over the whole directory: shared by all who see the same
    # collectivities with the same filters, until a collectivity changes.
    counts = remember_for_visibility(
        "directory_counts",
        user=request.user,
        params=sorted((name, request.GET[name]) for name in filters),
        compute=lambda: directory_counts(user=request.user, filters=filters),
        depends_on=("kind:members.collectivitypage",),
    )
    form = DirectoryFilterForm(request.GET or None, counts=counts)
    if form.is_bound:
        form.is_valid()
    kept = QueryDict(mutable=True)
    for name in filters:
        kept[name] = request.GET.get(name)
    return {
        "filter_form": form,
        "items": paginate(
            request,
            directory_listing(user=request.user, filters=filters),
            per_page=PAGE_SIZE,
        ),
        "filtered": bool(filters),
        "extra_query": kept.urlencode(),
    }


def export_rows(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.valid_filters() if form.is_bound else {}
    # Open data: what anybody may see, whoever asks.
    pages = directory_listing(user=AnonymousUser(), filters=filters).prefetch_related(
        "themes"
    )
    for page in pages:
        yield {
            "nom": page.title,
            "type": page.get_kind_display(),
            "siren": page.siren,
            "code_insee": page.insee_code,
            "region": page.get_region_display(),
            "departement": page.department,
            "departement_nom": DEPARTMENT_NAMES.get(page.department, ""),
            "population": page.population,
            "nombre_communes": page.commune_count,
            "site_internet": page.website,
            "feuille_de_route_adoptee": page.roadmap_adopted,
            "feuille_de_route_date": page.roadmap_date.isoformat()
            if page.roadmap_date
            else None,
            "themes": [theme.name for theme in page.themes.all()],
            "adhesion": page.get_membership_status_display(),
            "membre_depuis": page.member_since.isoformat()
            if page.member_since
            else None,
            "url": page_url(page, request),
        }


def yes_no(value: bool) -> str:
    return "oui" if value else "non"


@require_GET
@cache_control(public=True, max_age=300)
@cacheable  # Open data, the same for everybody.
def directory_export_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"retex-membres-{timezone.localdate():%Y-%m-%d}.csv"
    )
    response.write("\ufeff")  # Lets spreadsheet software detect UTF-8.
    writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS, delimiter=";")
    writer.writeheader()
    for row in export_rows(request):
        writer.writerow(
            {
                **row,
                "themes": ", ".join(row["themes"]),
                # Spreadsheets read « oui/non »; JSON keeps true/false.
                **{
                    name: yes_no(value)
                    for name, value in row.items()
                    if isinstance(value, bool)
                },
            }
        )
    return response


@require_GET
@cache_control(public=True, max_age=300)
@cacheable
def directory_export_json(request):
    rows = list(export_rows(request))
    return HttpResponse(
        json.dumps(
            {
                "licence": "Licence Ouverte / Open Licence 2.0",
                "count": len(rows),
                "collectivites": rows,
            },
            ensure_ascii=False,
            indent=1,
        ),
        content_type="application/json; charset=utf-8",
    )
