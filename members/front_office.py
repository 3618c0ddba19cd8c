"""Representatives edit their collectivity's profile from Mon espace.

Every change goes through the editors' review: it is saved as a draft revision of
the profile and submitted to the page's Wagtail workflow (« Relecture »); the
live profile changes only when an editor approves it, and editors compare the
revisions in the admin. The official fields that come from the referential
(SIREN, kind, codes, region, département, population) and the membership ones
are never touched here.

Uploads (the roadmap's document, the logo) go through Wagtail's own document
and image forms, so they get the same checks as in the admin (extension, size,
and the documents' content check of `WAGTAILDOCS_DOCUMENT_FORM_BASE`).
"""

import html
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection, WorkflowState

from members.affiliation import represented_collectivities
from members.models import CollectivityContact, CollectivityPage, User

# What a representative may change (the rest comes from the referential or is
# the association's).
PROFILE_FIELDS = (
    "presentation",
    "website",
    "roadmap_adopted",
    "roadmap_date",
    "roadmap_document",
    "logo",
)


class ReviewError(Exception):
    """A change the rules refuse; its message is shown to the person (French)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Reads -------------------------------------------------------------------------


def editable_collectivities(user: User):
    """Profiles this person may edit from Mon espace: those they represent."""
    if not user.is_authenticated or not user.is_active:
        return CollectivityPage.objects.none()
    return represented_collectivities(user).order_by("title")


def can_edit_profile(user: User, collectivity: CollectivityPage) -> bool:
    return editable_collectivities(user).filter(pk=collectivity.pk).exists()


def profile_draft(collectivity: CollectivityPage) -> CollectivityPage:
    """The profile as its latest revision has it (a change under review included)."""
    return collectivity.get_latest_revision_as_object()


def review_status(page) -> dict:
    """Where a page's proposed change stands, for the person who proposed it:
    {"code", "label", "comment"}. One or two queries."""
    state = WorkflowState.objects.for_instance(page).order_by("-created_at").first()
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return {"code": "en-relecture", "label": _("En relecture"), "comment": ""}
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task_state = state.task_states.order_by("-started_at").first()
        comment = task_state.get_comment() if task_state else ""
        return {
            "code": "a-modifier",
            "label": _("Modifications demandées par l'équipe"),
            "comment": comment,
        }
    if page.live and not page.has_unpublished_changes:
        return {"code": "publiee", "label": _("Publiée"), "comment": ""}
    if state is not None and state.status == WorkflowState.STATUS_CANCELLED:
        return {"code": "annulee", "label": _("Relecture annulée"), "comment": ""}
    if page.live:
        return {
            "code": "brouillon",
            "label": _("Modifications non publiées"),
            "comment": "",
        }
    return {"code": "brouillon", "label": _("Brouillon"), "comment": ""}


# --- Rich text from and to a plain textarea -----------------------------------------


def text_from_richtext(value: str) -> str:
    """What a textarea shows of stored rich text: paragraphs separated by a blank
    line, line breaks kept, markup dropped."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", value or "")
    text = re.sub(r"(?i)</(p|h[2-6]|li)>", "\n\n", text)
    text = html.unescape(strip_tags(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def richtext_from_text(text: str) -> str:
    """Rich text from a textarea: one paragraph per block, escaped."""
    paragraphs = [
        part.strip() for part in re.split(r"\n\s*\n", (text or "").strip()) if part
    ]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in part.splitlines()) + "</p>"
        for part in paragraphs
        if part
    )


# --- Uploads ------------------------------------------------------------------------


def store_upload(kind: str, upload, *, title: str, user: User):
    """Store an uploaded document or image after the admin's own checks; a
    ValidationError with French messages otherwise (nothing stored)."""
    if kind == "document":
        model = get_document_model()
        form_class = get_document_form(model)
    else:
        model = get_image_model()
        form_class = get_image_form(model)
    root = Collection.get_first_root_node()
    form = form_class(
        data={"title": title[:255], "collection": root.pk, "tags": ""},
        files={"file": upload},
        user=None,
    )
    if not form.is_valid():
        messages = []
        for errors in form.errors.values():
            messages.extend(errors)
        raise ValidationError(messages)
    form.instance.uploaded_by_user = user
    return form.save()


# --- Writes ------------------------------------------------------------------------


def submit_for_review(page, *, user: User):
    """Save `page` (changed in memory, not saved) as a new revision and submit it
    to its workflow: a workflow waiting for changes resumes, one in progress
    restarts on the new revision, otherwise a new one starts. Returns the
    revision."""
    workflow = page.get_workflow()
    if workflow is None:
        raise ReviewError(
            _("La relecture n'est pas configurée : prévenez l'équipe de l'association.")
        )
    revision = page.save_revision(user=user, log_action=True)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            state.cancel(user=user)
        workflow.start(page, user)
    return revision


def profile_change_submit(
    *,
    collectivity_id: int,
    user: User,
    values: dict,
    themes,
    contacts: list[dict],
):
    """Propose a change to a collectivity's profile: a draft revision submitted
    to « Relecture ». `values` holds PROFILE_FIELDS only; `contacts` the whole
    list as it should be. Refuses anybody who does not represent it."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable from the front office: {sorted(unknown)}")
    with transaction.atomic():
        collectivity = (
            CollectivityPage.objects.select_for_update().filter(pk=collectivity_id)
        ).first()
        if collectivity is None or not can_edit_profile(user, collectivity):
            raise PermissionDenied
        draft = profile_draft(collectivity)
        for name, value in values.items():
            setattr(draft, name, value)
        draft.themes = list(themes)
        draft.contacts = [
            CollectivityContact(
                name=contact["name"],
                function=contact["function"],
                email=contact.get("email", ""),
                phone=contact.get("phone", ""),
                sort_order=position,
            )
            for position, contact in enumerate(contacts)
        ]
        draft.clean()  # The model's rules (a date needs "adopted"…).
        return submit_for_review(draft, user=user)
