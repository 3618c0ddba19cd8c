"""Members propose a practice from Mon espace; editors review it (« Relecture »).

Any person approved in a member collectivity (`proposer_collectivities`), not
only its representatives, may share a practice from their own experience. A
proposal is a `PracticePage` created as a draft child of the resources index,
owned by the person, with a revision submitted to the index's workflow — the
same « Relecture » editors use in the admin, whose task notifies them (Wagtail's
`task_submitted` email to the moderators' group) — all in one transaction. It
stays out of every public listing, search, feed and sitemap until an editor
approves it (those show live pages only).

The author follows it in « Mes propositions » (`knowledge/my_space.py`) and may
change it while it is a draft, when editors asked for changes, or after a
cancelled review: the change is a new revision, submitted again (the workflow
resumes), so editors compare revisions in the admin. Once it is in review or
published, it is the editors' (the front office refuses, saying why).

A double submit creates one page: each form shown carries a token
(`PracticeProposal.token`, unique), and the second request finds the page the
first one made. Uploads go through Wagtail's own document and image forms
(`members.front_office.store_upload`: the admin's checks, the documents'
content check), and the review helpers are members' (`submit_for_review`,
`review_status`): one implementation for profiles and practices.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowledge.models import (
    KnowledgeIndexPage,
    KnowledgePageDocument,
    PracticePage,
    PracticeProposal,
)
from members.front_office import ReviewError, review_status, submit_for_review
from members.models import (
    AffiliationStatus,
    CollectivityPage,
    MembershipStatus,
    User,
)

# What a member fills in (the rest is the editors': publication date, body
# blocks, related collectivities, credits).
PROPOSAL_FIELDS = (
    "title",
    "lead",
    "collectivity",
    "status",
    "start_year",
    "budget_range",
    "partners",
    *PracticePage.SECTIONS,
    "contact_name",
    "contact_function",
    "contact_email",
    "contact_phone",
    "hero_image",
    "hero_image_alt",
    "hero_image_decorative",
    "hero_image_caption",
    "hero_image_credit",
)
MAX_DOCUMENTS = 10

# Review states (`members.front_office.review_status` codes) as the author
# reads them, and those in which the author may still change the proposal.
STATUS_LABELS = {
    "en-relecture": gettext_lazy("En relecture"),
    "a-modifier": gettext_lazy("À modifier"),
    "publiee": gettext_lazy("Publiée"),
    "annulee": gettext_lazy("Relecture annulée"),
    "brouillon": gettext_lazy("Brouillon"),
}
CHANGEABLE = {"a-modifier", "annulee", "brouillon"}


class ProposalError(ReviewError):
    """A proposal the rules refuse; its message is shown to the person."""


# --- Reads -------------------------------------------------------------------------


def proposer_collectivities(user: User):
    """The collectivities on whose behalf this person may propose a practice:
    those they are approved in, live members of the network."""
    if not user.is_authenticated or not user.is_active:
        return CollectivityPage.objects.none()
    return (
        CollectivityPage.objects.live()
        .filter(
            affiliations__user=user,
            affiliations__status=AffiliationStatus.APPROVED,
            membership_status=MembershipStatus.ACTIVE,
        )
        .distinct()
        .order_by("title")
    )


def can_propose(user: User) -> bool:
    return proposer_collectivities(user).exists()


def proposal_status(page: PracticePage) -> dict:
    """{"code", "label", "comment", "changeable"} for the author."""
    status = review_status(page)
    status["label"] = STATUS_LABELS.get(status["code"], status["label"])
    status["changeable"] = not page.live and status["code"] in CHANGEABLE
    return status


def own_proposals(user: User, *, limit: int = 50) -> list[dict]:
    """The person's proposals, newest first, each with its review status."""
    proposals = (
        PracticeProposal.objects.filter(author=user)
        .select_related("page")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        {
            "proposal": proposal,
            "page": proposal.page,
            "status": proposal_status(proposal.page),
        }
        for proposal in proposals
    ]


def own_proposal(user: User, page_id: int) -> PracticeProposal | None:
    """The proposal of page `page_id` if `user` wrote it (None otherwise: the
    person learns nothing of other people's proposals)."""
    if not user.is_authenticated:
        return None
    return (
        PracticeProposal.objects.filter(page_id=page_id, author=user)
        .select_related("page")
        .first()
    )


def proposal_by_token(user: User, token: uuid.UUID) -> PracticeProposal | None:
    return (
        PracticeProposal.objects.filter(token=token, author=user)
        .select_related("page")
        .first()
    )


def proposal_draft(page: PracticePage) -> PracticePage:
    """The practice as its latest revision has it (what the author last sent)."""
    return page.get_latest_revision_as_object()


# --- Writes ------------------------------------------------------------------------


def _check_values(user: User, values: dict) -> None:
    unknown = set(values) - set(PROPOSAL_FIELDS)
    if unknown:
        raise ValueError(f"Not proposed from the front office: {sorted(unknown)}")
    collectivity = values.get("collectivity")
    if (
        collectivity is None
        or not proposer_collectivities(user).filter(pk=collectivity.pk).exists()
    ):
        raise ProposalError(
            _("Choisissez l'une des collectivités auxquelles vous êtes rattaché·e.")
        )


def _unique_slug(index, title: str) -> str:
    base = slugify(title)[:80].strip("-") or "pratique"
    taken = set(
        PracticePage.objects.child_of(index)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    taken |= set(index.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _documents(kept, added) -> list[KnowledgePageDocument]:
    documents = [
        KnowledgePageDocument(document=item.document, title=item.title) for item in kept
    ]
    documents += [KnowledgePageDocument(document=document) for document in added]
    if len(documents) > MAX_DOCUMENTS:
        raise ProposalError(
            _("Joignez au plus %(count)s documents.") % {"count": MAX_DOCUMENTS}
        )
    return documents


def practice_propose(
    *,
    user: User,
    token: uuid.UUID,
    values: dict,
    themes=(),
    documents=(),
) -> tuple[PracticePage, bool]:
    """Propose a practice: a draft page under the resources index, submitted to
    « Relecture ». (page, False) when this token already proposed it. Raises
    `ProposalError` (French) or the model's `ValidationError`."""
    existing = proposal_by_token(user, token)
    if existing is not None:
        return existing.page, False
    if not can_propose(user):
        raise PermissionDenied
    _check_values(user, values)
    try:
        with transaction.atomic():
            index = KnowledgeIndexPage.objects.select_for_update().first()
            if index is None:
                raise ProposalError(
                    _(
                        "Les ressources ne sont pas encore ouvertes : réessayez plus tard."
                    )
                )
            page = PracticePage(
                slug=_unique_slug(index, values["title"]),
                live=False,
                owner=user,
                **values,
            )
            page.themes = list(themes)
            page.attached_documents = _documents((), documents)
            index.add_child(instance=page)  # Validates the page (full_clean).
            PracticeProposal.objects.create(page=page, author=user, token=token)
            submit_for_review(page, user=user)
    except IntegrityError:
        # The same token, sent by a request running at the same time.
        existing = proposal_by_token(user, token)
        if existing is None:
            raise
        return existing.page, False
    return page, True


def practice_proposal_change(
    *,
    user: User,
    page_id: int,
    values: dict,
    themes=(),
    kept_documents=None,
    added_documents=(),
):
    """The author changes their proposal (when `proposal_status` allows it): a
    new revision, submitted to « Relecture » again. `kept_documents`: document
    ids to keep (None keeps them all). Returns the revision."""
    _check_values(user, values)
    with transaction.atomic():
        page = PracticePage.objects.select_for_update().filter(pk=page_id).first()
        proposal = own_proposal(user, page_id) if page is not None else None
        if proposal is None or not can_propose(user):
            raise PermissionDenied
        status = proposal_status(page)
        if not status["changeable"]:
            raise ProposalError(
                _(
                    "Cette proposition est %(status)s : elle ne peut plus être "
                    "modifiée depuis votre espace."
                )
                % {"status": str(status["label"]).lower()}
            )
        draft = proposal_draft(page)
        for name, value in values.items():
            setattr(draft, name, value)
        draft.themes = list(themes)
        current = list(draft.attached_documents.all())
        if kept_documents is not None:
            kept_ids = {int(pk) for pk in kept_documents}
            current = [item for item in current if item.document_id in kept_ids]
        draft.attached_documents = _documents(current, added_documents)
        draft.full_clean()
        return submit_for_review(draft, user=user)
