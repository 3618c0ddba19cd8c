"""`/mon-espace/pratiques/`: members propose a practice and change it while
editors ask for changes. Thin views over `knowledge/proposals.py`.

Anonymous visitors are sent to the login page; signed-in people who are not
approved in a member collectivity get a 403 page saying how to join. Someone
else's proposal answers 404 (nothing tells it exists); editors who may edit the
page are sent to it in the admin, where they review it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from knowledge.models import PracticePage
from knowledge.proposal_forms import PracticeProposalForm
from knowledge.proposals import (
    PROPOSAL_FIELDS,
    can_propose,
    practice_proposal_change,
    practice_propose,
    proposal_by_token,
    proposal_draft,
    proposal_status,
    proposer_collectivities,
)
from members.front_office import ReviewError, store_upload
from retex.member_rich_text import (
    member_text_from_rich_text,
    rich_text_from_member_text,
)
from retex.ratelimit import rate_limited
from retex.views import id_or_404, private

PROPOSING = "practice_proposal"
SECTIONS = PracticePage.SECTIONS
TEXT_FIELDS = (
    "title",
    "lead",
    "partners",
    "contact_name",
    "contact_function",
    "contact_phone",
    "hero_image_alt",
    "hero_image_caption",
    "hero_image_credit",
)
MY_PROPOSALS = "mes-propositions"


def _not_member(request):
    return private(render(request, "knowledge/proposal_not_member.html", status=403))


def _my_proposals_url() -> str:
    return reverse("my_space") + "#" + MY_PROPOSALS


def _values(request, form, *, title_for, current_image=None) -> dict | None:
    """The page's values from a valid form, the image stored; None (errors
    added to the form) when an upload is refused."""
    data = form.cleaned_data
    values = {name: data[name].strip() for name in TEXT_FIELDS}
    values["contact_email"] = data["contact_email"]
    values["collectivity"] = data["collectivity"]
    values["status"] = data["status"]
    values["start_year"] = data["start_year"]
    values["budget_range"] = data["budget_range"]
    values["hero_image_decorative"] = data["hero_image_decorative"]
    for name in SECTIONS:
        values[name] = rich_text_from_member_text(data[name])
    values["hero_image"] = current_image
    if data["hero_image"]:
        try:
            values["hero_image"] = store_upload(
                "image",
                data["hero_image"],
                title=_("Illustration : %(title)s") % {"title": title_for},
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("hero_image", error)
            return None
    elif data.get("remove_hero_image"):
        values["hero_image"] = None
    return values


def _stored_documents(request, form, title_for) -> list | None:
    stored = []
    for upload in form.cleaned_data["documents"]:
        try:
            stored.append(
                store_upload(
                    "document",
                    upload,
                    title=upload.name.rsplit(".", 1)[0][:200] or title_for,
                    user=request.user,
                )
            )
        except ValidationError as error:
            form.add_error(
                "documents",
                [f"{upload.name[:100]} : {message}" for message in error.messages],
            )
    return None if form.errors else stored


def _model_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _initial_from(user) -> dict:
    return {
        "contact_name": user.get_full_name(),
        "contact_function": getattr(user, "function_title", ""),
        "contact_email": user.email,
    }


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(PROPOSING)
def practice_propose_view(request):
    """The form; on success the practice waits for the editors' review."""
    if not can_propose(request.user):
        return _not_member(request)
    collectivities = proposer_collectivities(request.user)
    if request.method == "POST":
        form = PracticeProposalForm(
            request.POST, request.FILES, collectivities=collectivities
        )
        if form.is_valid():
            done = proposal_by_token(request.user, form.cleaned_data["token"])
            if done is None:
                done = _propose(request, form)
            if done is not None:
                messages.success(
                    request,
                    _(
                        "Votre retour d'expérience est envoyé en relecture : il "
                        "sera publié une fois validé par l'équipe de l'association."
                    ),
                )
                return redirect(_my_proposals_url())
    else:
        form = PracticeProposalForm(
            collectivities=collectivities,
            initial={
                **_initial_from(request.user),
                "collectivity": collectivities.first(),
            },
        )
    return private(
        render(
            request,
            "knowledge/proposal_form.html",
            {"form": form, "creating": True},
        )
    )


def _propose(request, form):
    title = form.cleaned_data["title"].strip()
    values = _values(request, form, title_for=title)
    documents = _stored_documents(request, form, title)
    if values is None or documents is None:
        return None
    try:
        page, _created = practice_propose(
            user=request.user,
            token=form.cleaned_data["token"],
            values=values,
            themes=form.cleaned_data["themes"],
            documents=documents,
        )
    except ValidationError as error:
        _model_errors(form, error)
        return None
    except ReviewError as error:
        form.add_error(None, error.message)
        return None
    return page


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(PROPOSING)
def practice_proposal_edit(request, page_id):
    """The author changes a proposal editors sent back (or a draft); sent in
    review again. Editors are sent to the admin, others learn nothing."""
    page = PracticePage.objects.filter(pk=id_or_404(page_id)).first()
    if page is not None and page.permissions_for_user(request.user).can_edit():
        proposal = getattr(page, "proposal", None)
        if proposal is None or proposal.author_id != request.user.pk:
            return redirect("wagtailadmin_pages:edit", page.pk)
    if not can_propose(request.user):
        return _not_member(request)
    if page is None or getattr(page, "proposal", None) is None:
        raise Http404
    if page.proposal.author_id != request.user.pk:
        raise Http404
    status = proposal_status(page)
    draft = proposal_draft(page)
    attached = list(draft.attached_documents.all())
    collectivities = proposer_collectivities(request.user)
    options = {
        "collectivities": collectivities,
        "attached": attached,
        "has_image": draft.hero_image_id is not None,
        "creating": False,
    }
    form = None
    if status["changeable"] and request.method == "POST":
        form = PracticeProposalForm(request.POST, request.FILES, **options)
        if form.is_valid() and _change(request, form, page, draft):
            messages.success(
                request,
                _(
                    "Vos modifications sont envoyées en relecture : elles seront "
                    "publiées une fois validées par l'équipe de l'association."
                ),
            )
            return redirect(_my_proposals_url())
    elif status["changeable"]:
        initial = {
            name: getattr(draft, name)
            for name in PROPOSAL_FIELDS
            if name not in SECTIONS and name != "hero_image"
        }
        initial.update(
            {
                name: member_text_from_rich_text(getattr(draft, name))
                for name in SECTIONS
            }
        )
        initial["themes"] = list(draft.themes.all())
        initial["kept_documents"] = [item.document_id for item in attached]
        form = PracticeProposalForm(initial=initial, **options)
    elif request.method == "POST":
        messages.error(
            request,
            _(
                "Cette proposition ne peut pas être modifiée maintenant : rien n'a changé."
            ),
        )
    return private(
        render(
            request,
            "knowledge/proposal_form.html",
            {
                "form": form,
                "creating": False,
                "page": page,
                "draft": draft,
                "status": status,
            },
        )
    )


def _change(request, form, page, draft) -> bool:
    title = form.cleaned_data["title"].strip()
    values = _values(request, form, title_for=title, current_image=draft.hero_image)
    documents = _stored_documents(request, form, title)
    if values is None or documents is None:
        return False
    for name in SECTIONS:
        # An unchanged text keeps the editors' formatting.
        if form.cleaned_data[name].strip() == member_text_from_rich_text(
            getattr(draft, name)
        ):
            values[name] = getattr(draft, name)
    try:
        practice_proposal_change(
            user=request.user,
            page_id=page.pk,
            values=values,
            themes=form.cleaned_data["themes"],
            kept_documents=form.cleaned_data.get("kept_documents", []),
            added_documents=documents,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _model_errors(form, error)
        return False
    except ReviewError as error:
        form.add_error(None, error.message)
        return False
    return True
