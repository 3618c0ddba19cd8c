"""« Collectivités qui l'ont déjà fait »: who may answer a question, and asking them.

Candidates are active member collectivities, visible to the reader, with at
least one representative to tell, other than the asker's own:

- those whose practices, interviews or articles the search engine finds for the
  question's title (with the reader's visibility: a members-only practice is
  a reason only for members), and whose profile it finds;
- those most like the asker's collectivity (`comparable_collectivities`).

Soliciting one notifies its representatives by email (a task each). The rule
is here and holds under double submits and concurrent clicks: the question's
row is locked, a collectivity is solicited at most once per question (also a
unique constraint), and `MAX_SOLICITATIONS` per question at most.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from aid.access import can_moderate, can_write
from aid.errors import AidError
from aid.models import MAX_SOLICITATIONS, Question, QuestionStatus, Solicitation
from aid.notifications import notify
from aid.questions import visible_question
from members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    CollectivityPage,
    MembershipStatus,
)
from retex.visibility import pages_visible_to

CANDIDATES = 5
# How much each kind of evidence weighs: having done it beats resembling.
WEIGHTS = {"pratique": 3, "entretien": 2, "article": 1, "collectivite": 1}
KIND_REASONS = {
    "pratique": "retour d'expérience",
    "entretien": "entretien",
    "article": "article",
}


@dataclass
class Candidate:
    collectivity: CollectivityPage
    score: float = 0
    # (title, url) of the resources that show it did it.
    resources: list[tuple[str, str]] = field(default_factory=list)
    profile_matches: bool = False
    comparable: bool = False
    solicitation: Solicitation | None = None


def _representatives():
    return Affiliation.objects.filter(
        collectivity=OuterRef("pk"),
        status=AffiliationStatus.APPROVED,
        role=AffiliationRole.REPRESENTATIVE,
        user__is_active=True,
    )


def _eligible(user):
    return pages_visible_to(
        CollectivityPage.objects.filter(membership_status=MembershipStatus.ACTIVE),
        user=user,
    ).filter(Exists(_representatives()))


def _evidence(question: Question, *, user) -> dict[int, Candidate]:
    """Collectivities the search engine links to the question's title."""
    from knowledge.models import Interviewee, KnowledgePage, PracticePage
    from retex.search_port import page_entries, search

    page = search(text=question.title, user=user)
    urls = {r["url"]: r for r in page.results if r["kind"] in WEIGHTS}
    if not urls:
        return {}
    entries = page_entries(urls)
    found: dict[int, Candidate] = {}

    def add(collectivity_id, kind, title, url):
        if collectivity_id is None:
            return
        candidate = found.setdefault(collectivity_id, Candidate(collectivity=None))
        candidate.score += WEIGHTS[kind]
        if kind == "collectivite":
            candidate.profile_matches = True
        elif (title, url) not in candidate.resources:
            candidate.resources.append((title, url))

    by_page = {page_id: (kind, title, url) for page_id, kind, title, url in entries}
    for page_id, (kind, title, url) in by_page.items():
        if kind == "collectivite":
            add(page_id, kind, title, url)
    resource_ids = [
        pid for pid, (kind, *_r) in by_page.items() if kind != "collectivite"
    ]
    for page_id, collectivity_id in PracticePage.objects.filter(
        pk__in=resource_ids
    ).values_list("pk", "collectivity_id"):
        add(collectivity_id, *by_page[page_id])
    through = KnowledgePage.related_collectivities.through
    for page_id, collectivity_id in through.objects.filter(
        knowledgepage_id__in=resource_ids
    ).values_list("knowledgepage_id", "collectivitypage_id"):
        add(collectivity_id, *by_page[page_id])
    for page_id, collectivity_id in Interviewee.objects.filter(
        page_id__in=resource_ids, collectivity__isnull=False
    ).values_list("page_id", "collectivity_id"):
        add(collectivity_id, *by_page[page_id])
    return found


def candidates_for(question: Question, *, user, limit: int = CANDIDATES) -> list:
    """The collectivities that already did it, best first, each with what shows
    it and its solicitation if any; the solicited ones always come first."""
    from members.selectors import comparable_collectivities

    found = _evidence(question, user=user)
    if question.collectivity is not None:
        for other in comparable_collectivities(question.collectivity, user=user):
            candidate = found.setdefault(other.pk, Candidate(collectivity=None))
            candidate.score += 1
            candidate.comparable = True
    solicitations = {
        s.collectivity_id: s
        for s in Solicitation.objects.filter(question=question).select_related(
            "collectivity"
        )
    }
    for collectivity_id in solicitations:
        found.setdefault(collectivity_id, Candidate(collectivity=None))
    found.pop(question.collectivity_id, None)
    eligible = {c.pk: c for c in _eligible(user).filter(pk__in=list(found) or [0])}
    chosen = []
    for collectivity_id, candidate in found.items():
        solicitation = solicitations.get(collectivity_id)
        collectivity = eligible.get(collectivity_id)
        if collectivity is None and solicitation is not None:
            collectivity = solicitation.collectivity
        if collectivity is None:
            continue
        candidate.collectivity = collectivity
        candidate.solicitation = solicitation
        chosen.append(candidate)
    chosen.sort(key=lambda c: (c.solicitation is None, -c.score, c.collectivity.title))
    return chosen[: max(limit, len(solicitations))]


def can_solicit(question: Question, user) -> bool:
    is_asker = question.author_id is not None and question.author_id == user.pk
    return question.status != QuestionStatus.CLOSED and (
        (is_asker and can_write(user)) or can_moderate(user)
    )


def solicit(*, question_id: int, collectivity_id: int, by) -> tuple[Solicitation, bool]:
    """Ask a collectivity to answer: its representatives are emailed.
    (solicitation, False) when it was already solicited (a double submit)."""
    with transaction.atomic():
        question = visible_question(question_id, lock=True)
        if not can_solicit(question, by):
            raise AidError(
                _(
                    "Seuls l'auteur de la question et l'équipe du réseau peuvent "
                    "solliciter des collectivités, tant que la question n'est pas "
                    "close."
                )
            )
        existing = Solicitation.objects.filter(
            question=question, collectivity_id=collectivity_id
        ).first()
        if existing is not None:
            return existing, False
        if collectivity_id == question.collectivity_id:
            raise AidError(_("Votre propre collectivité ne peut pas être sollicitée."))
        collectivity = _eligible(by).filter(pk=collectivity_id).first()
        if collectivity is None:
            raise AidError(
                _(
                    "Cette collectivité ne peut pas être sollicitée\u00a0: elle n'est "
                    "pas membre active du réseau ou n'a pas de représentant."
                )
            )
        if Solicitation.objects.filter(question=question).count() >= MAX_SOLICITATIONS:
            raise AidError(
                _(
                    "%(max)s collectivités sont déjà sollicitées pour cette "
                    "question\u00a0: c'est le maximum."
                )
                % {"max": MAX_SOLICITATIONS}
            )
        try:
            with transaction.atomic():
                solicitation = Solicitation.objects.create(
                    question=question, collectivity=collectivity, by=by
                )
        except IntegrityError:
            return Solicitation.objects.get(
                question=question, collectivity_id=collectivity_id
            ), False
        representatives = (
            get_user_model()
            .objects.filter(
                affiliations__collectivity=collectivity,
                affiliations__status=AffiliationStatus.APPROVED,
                affiliations__role=AffiliationRole.REPRESENTATIVE,
                is_active=True,
            )
            .distinct()
            .values_list("pk", flat=True)
        )
        for user_id in representatives:
            notify(
                "solicited",
                user_id=user_id,
                question_id=question.pk,
                collectivity_id=collectivity.pk,
            )
    return solicitation, True
