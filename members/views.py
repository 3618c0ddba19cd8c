"""`/mon-espace/`: the logged-in person's space. Thin views over members' rules."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.affiliation import (
    AffiliationError,
    affiliation_approve,
    affiliation_end,
    affiliation_refuse,
    affiliation_request,
    attach_by_email_domain,
    can_decide,
    collectivity_search,
    is_network_member,
    open_affiliation,
    pending_requests_for,
    verified_email,
)
from members.forms import (
    AccountDeletionForm,
    AffiliationRequestForm,
    CollectivityProfileForm,
    ContactFormSet,
    ProfileForm,
    RefusalForm,
)
from members.front_office import (
    ReviewError,
    editable_collectivities,
    profile_change_submit,
    profile_draft,
    review_status,
    richtext_from_text,
    store_upload,
    text_from_richtext,
)
from members.models import Affiliation
from members.personal_data import account_delete, personal_data_export
from retex.views import id_or_404
from territories.text import with_article


@login_required
def my_space(request):
    """The dashboard: who I am, my collectivity, what waits for me."""
    user = request.user
    # A domain declared since the person signed up attaches them now.
    attached = attach_by_email_domain(user)
    if attached is not None:
        messages.success(
            request,
            _("Votre adresse est celle %(of_name)s : vous y êtes rattaché·e.")
            % {"of_name": with_article(attached.collectivity.title, "de")},
        )
    context = {
        "affiliation": open_affiliation(user),
        "past_affiliations": user.affiliations.exclude(
            status__in=["en-attente", "acceptee"]
        ).select_related("collectivity")[:5],
        "is_member": is_network_member(user),
        "email_verified": verified_email(user) is not None,
        "pending_decisions": pending_requests_for(user).count(),
        "request_form": AffiliationRequestForm(),
        "editable_profiles": [
            {"page": page, "status": review_status(page)}
            for page in editable_collectivities(user)
        ],
    }
    from members.my_space import my_space_sections

    context["sections"] = my_space_sections(request)
    return render(request, "members/my_space.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("my_space")
    return render(request, "members/profile_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_request_view(request):
    """Find one's collectivity by typing (no JavaScript needed: a search field and
    a list of results), pick it, then send the request."""
    query = request.GET.get("q", "").strip()[:100]
    chosen = None
    if request.method == "POST":
        form = AffiliationRequestForm(request.POST)
    else:
        form = AffiliationRequestForm()
        picked = request.GET.get("collectivite", "")
        if picked:
            pick = AffiliationRequestForm({"collectivity": picked})
            if pick.is_valid():
                chosen = pick.cleaned_data["collectivity"]
                form = AffiliationRequestForm(initial={"collectivity": chosen.pk})
            else:
                messages.error(request, _("Choisissez une collectivité de la liste."))
    if request.method == "POST" and not form.is_valid():
        # The collectivity chosen, if it is one, with the message's error.
        chosen = form.cleaned_data.get("collectivity")
    elif request.method == "POST":
        chosen = form.cleaned_data["collectivity"]
        try:
            affiliation = affiliation_request(
                user=request.user,
                collectivity=chosen,
                message=form.cleaned_data["message"],
            )
        except AffiliationError as error:
            messages.error(request, error.message)
        else:
            if affiliation.status == "acceptee":
                messages.success(
                    request,
                    _("Vous êtes rattaché·e %(to_name)s.")
                    % {"to_name": with_article(affiliation.collectivity.title, "à")},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Votre demande est envoyée aux représentants %(of_name)s. "
                        "Vous serez prévenu·e par courriel."
                    )
                    % {"of_name": with_article(affiliation.collectivity.title, "de")},
                )
            return redirect("my_space")
    results = collectivity_search(query) if query and chosen is None else []
    return render(
        request,
        "members/affiliation_request.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "chosen": chosen,
            "searched": bool(query),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_leave(request):
    """A page of its own saying what leaving changes; the POST leaves."""
    affiliation = open_affiliation(request.user)
    if affiliation is None:
        messages.error(request, _("Vous n'êtes rattaché·e à aucune collectivité."))
        return redirect("my_space")
    if request.method == "GET":
        return render(
            request,
            "members/affiliation_leave.html",
            {
                "affiliation": affiliation,
                "is_member": is_network_member(request.user),
                "is_representative": affiliation.role == "representant"
                and affiliation.status == "acceptee",
            },
        )
    try:
        affiliation_end(affiliation_id=affiliation.pk, by=request.user)
    except AffiliationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Vous n'êtes plus rattaché·e %(to_name)s.")
            % {"to_name": with_article(affiliation.collectivity.title, "à")},
        )
    return redirect("my_space")


@login_required
def affiliation_decisions(request):
    """Requests to join the collectivities I represent (or all, for staff)."""
    requests = list(pending_requests_for(request.user))
    return render(
        request,
        "members/affiliation_decisions.html",
        {"requests": requests, "refusal_form": RefusalForm()},
    )


@login_required
@require_POST
def affiliation_decide(request, affiliation_id, decision):
    affiliation_id = id_or_404(affiliation_id)
    affiliation = (
        Affiliation.objects.select_related("collectivity", "user")
        .filter(pk=affiliation_id)
        .first()
    )
    # Someone who may not decide learns nothing, not even that the request exists.
    if affiliation is None or not can_decide(request.user, affiliation.collectivity):
        raise Http404
    try:
        if decision == "accepter":
            affiliation_approve(affiliation_id=affiliation.pk, by=request.user)
            messages.success(
                request,
                _("%(name)s est rattaché·e %(to_collectivity)s.")
                % {
                    "name": affiliation.user,
                    "to_collectivity": with_article(
                        affiliation.collectivity.title, "à"
                    ),
                },
            )
        elif decision == "refuser":
            form = RefusalForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            affiliation_refuse(
                affiliation_id=affiliation.pk, by=request.user, reason=reason
            )
            messages.success(
                request,
                _("La demande de %(name)s est refusée.") % {"name": affiliation.user},
            )
        else:
            raise Http404
    except AffiliationError as error:
        messages.error(request, error.message)
    return redirect("affiliation_decisions")


@login_required
def personal_data_download(request):
    data = personal_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"retex-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    form = AccountDeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(
            request, _("Votre compte et vos données personnelles sont supprimés.")
        )
        return redirect("/")
    return render(request, "members/account_delete.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def collectivity_profile_edit(request, collectivity_id):
    """A representative proposes a change to their collectivity's profile; it is
    published once the association's editors approve it (« Relecture »)."""
    collectivity = (
        editable_collectivities(request.user)
        .filter(pk=id_or_404(collectivity_id))
        .first()
    )
    # Someone who may not edit it learns nothing, not even that it exists.
    if collectivity is None:
        raise Http404
    draft = profile_draft(collectivity)
    presentation_text = text_from_richtext(draft.presentation)
    initial = {
        "presentation": presentation_text,
        "website": draft.website,
        "themes": list(draft.themes.all()),
        "roadmap_adopted": draft.roadmap_adopted,
        "roadmap_date": draft.roadmap_date,
    }
    contacts_initial = [
        {
            "name": contact.name,
            "function": contact.function,
            "email": contact.email,
            "phone": contact.phone,
        }
        for contact in draft.contacts.all()
    ]
    if request.method == "POST":
        form = CollectivityProfileForm(request.POST, request.FILES, initial=initial)
        contacts = ContactFormSet(
            request.POST, prefix="contacts", initial=contacts_initial
        )
        if form.is_valid() and contacts.is_valid():
            submitted = _submit_profile(request, collectivity, draft, form, contacts)
            if submitted:
                messages.success(
                    request,
                    _(
                        "Vos modifications du profil %(of_name)s sont envoyées en "
                        "relecture : elles seront publiées une fois validées par "
                        "l'équipe de l'association."
                    )
                    % {"of_name": with_article(collectivity.title, "de")},
                )
                return redirect("my_space")
    else:
        form = CollectivityProfileForm(initial=initial)
        contacts = ContactFormSet(prefix="contacts", initial=contacts_initial)
    return render(
        request,
        "members/collectivity_profile_form.html",
        {
            "collectivity": collectivity,
            "draft": draft,
            "form": form,
            "contacts": contacts,
            "status": review_status(collectivity),
        },
    )


def _submit_profile(request, collectivity, draft, form, contacts) -> bool:
    data = form.cleaned_data
    text = data["presentation"].strip()
    values = {
        # An unchanged text keeps the editors' formatting (links, lists…).
        "presentation": draft.presentation
        if text == text_from_richtext(draft.presentation)
        else richtext_from_text(text),
        "website": data["website"],
        "roadmap_adopted": data["roadmap_adopted"],
        "roadmap_date": data["roadmap_date"],
    }
    for field, kind, remove, title in [
        (
            "roadmap_document",
            "document",
            "remove_roadmap_document",
            _("Feuille de route numérique : %(name)s"),
        ),
        ("logo", "image", "remove_logo", _("Logo : %(name)s")),
    ]:
        if data[field]:
            try:
                values[field] = store_upload(
                    kind,
                    data[field],
                    title=title % {"name": collectivity.title},
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(field, error)
        elif data[remove]:
            values[field] = None
    if form.errors:
        return False
    kept = [
        contact
        for contact in contacts.cleaned_data
        if contact and not contact.get("DELETE") and contact.get("name")
    ]
    try:
        profile_change_submit(
            collectivity_id=collectivity.pk,
            user=request.user,
            values=values,
            themes=data["themes"],
            contacts=kept,
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return False
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
        return False
    except ReviewError as error:
        messages.error(request, error.message)
        return False
    return True
