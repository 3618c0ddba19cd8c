"""Admin: start a collectivity profile by choosing its territory (no JavaScript)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import MemberIndexPage
from members.referential import collectivity_create_from_territory
from territories.models import TerritoryKind
from territories.selectors import territory_search


class TerritorySearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Nom ou code (INSEE, SIREN) de la collectivité"),
        max_length=100,
        min_length=2,
        error_messages={"min_length": gettext_lazy("Saisissez au moins 2 caractères.")},
    )


def new_collectivity_from_territory(request):
    index = MemberIndexPage.objects.first()
    if index is None:
        raise PermissionDenied
    permissions = index.permissions_for_user(request.user)
    if not permissions.can_add_subpage():
        raise PermissionDenied

    if request.method == "POST":
        kind = request.POST.get("kind", "")
        code = request.POST.get("code", "")[:20]
        if kind not in TerritoryKind.values:
            messages.error(request, _("Choisissez un territoire dans la liste."))
            return redirect("members_new_from_territory")
        page, created = collectivity_create_from_territory(
            parent=index, kind=kind, code=code, owner=request.user
        )
        if page is None:
            messages.error(
                request, _("Ce territoire n'existe pas dans le référentiel.")
            )
            return redirect("members_new_from_territory")
        if created:
            messages.success(
                request,
                _("Profil créé en brouillon depuis le référentiel : complétez-le."),
            )
        else:
            messages.info(request, _("Cette collectivité a déjà un profil."))
        return redirect("wagtailadmin_pages:edit", page.pk)

    form = TerritorySearchForm(request.GET or None)
    results = []
    if form.is_bound and form.is_valid():
        results = territory_search(form.cleaned_data["q"], limit=25)
    return TemplateResponse(
        request,
        "members/admin/new_from_territory.html",
        {
            "form": form,
            "results": results,
            "index": index,
            "page_type_add_url": reverse(
                "wagtailadmin_pages:add",
                args=("members", "collectivitypage", index.pk),
            ),
            "header_title": _("Nouvelle collectivité depuis le référentiel"),
        },
    )
