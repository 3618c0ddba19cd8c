"""« Collectivités qui l'ont déjà fait »: who may answer a question, and asking them.

Candidates are active member collectivities, visible to the reader, with at
least one representative to tell, other than the asker's own:

- those whose practices, interviews or articles the search engine finds for the
  question's title (with the reader's visibility: a members-only practice is
  a reason only for members), and whose profile it finds;
- those most like the asker's collectivity (`comparable_collectivities`).

Searching and ranking hundreds of collectivities costs tens of milliseconds,
too much for each view of a thread: the choice is made once, when the question
is posted (`choose_candidates`, a task enqueued in the posting transaction),
for a reader who sees everything (members' content, every restriction), and
stored (`SolicitationCandidate`: each collectivity with the resources naming
it, whether its profile matches, whether it is comparable). A view reads it in
a few queries and filters it by the reader's visibility: resources they may
not read are left out with their weight, collectivities they may not see, no
longer active or without a representative are left out. Members search with
the same visibility as the chooser, so what they see is what choosing for
them would give. The title never changes; new resources and the network's
changes since are taken into account by `manage.py choose_aid_candidates`
(also run after a bulk import). A question whose choice is not stored yet
(its task not run yet, rows written in bulk) chooses and stores it when first
viewed.

Soliciting one notifies its representatives by email (a task each). The rule
is here and holds under double submits and concurrent clicks: the question's
row is locked, a collectivity is solicited at most once per question (also a
unique constraint), and `MAX_SOLICITATIONS` per question at most.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from aid.access import can_moderate, can_write
from aid.errors import AidError
from aid.models import (
    MAX_SOLICITATIONS,
    Question,
    QuestionStatus,
    Solicitation,
    SolicitationCandidate,
)
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

logger = logging.getLogger(__name__)

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
    # (title, url) of the resources that show it did it (while choosing,
    # [title, url, page id, weight]).
    resources: list = field(default_factory=list)
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
    """Collectivities the search engine links to the question's title, each
    with the resources naming it (`resources`: [title, url, page id, weight])."""
    from knowledge.models import Interviewee, KnowledgePage, PracticePage
    from retex.search_port import page_entries, search

    page = search(text=question.title, user=user)
    urls = {r["url"]: r for r in page.results if r["kind"] in WEIGHTS}
    if not urls:
        return {}
    entries = page_entries(urls)
    found: dict[int, Candidate] = {}

    def add(collectivity_id, page_id, kind, title, url):
        if collectivity_id is None:
            return
        candidate = found.setdefault(collectivity_id, Candidate(collectivity=None))
        candidate.score += WEIGHTS[kind]
        if kind == "collectivite":
            candidate.profile_matches = True
            return
        for resource in candidate.resources:
            if resource[2] == page_id:
                resource[3] += WEIGHTS[kind]
                break
        else:
            candidate.resources.append([title, url, page_id, WEIGHTS[kind]])

    by_page = {page_id: (kind, title, url) for page_id, kind, title, url in entries}
    for page_id, (kind, title, url) in by_page.items():
        if kind == "collectivite":
            add(page_id, page_id, kind, title, url)
    resource_ids = [
        pid for pid, (kind, *_r) in by_page.items() if kind != "collectivite"
    ]
    for page_id, collectivity_id in PracticePage.objects.filter(
        pk__in=resource_ids
    ).values_list("pk", "collectivity_id"):
        add(collectivity_id, page_id, *by_page[page_id])
    through = KnowledgePage.related_collectivities.through
    for page_id, collectivity_id in through.objects.filter(
        knowledgepage_id__in=resource_ids
    ).values_list("knowledgepage_id", "collectivitypage_id"):
        add(collectivity_id, page_id, *by_page[page_id])
    for page_id, collectivity_id in Interviewee.objects.filter(
        page_id__in=resource_ids, collectivity__isnull=False
    ).values_list("page_id", "collectivity_id"):
        add(collectivity_id, page_id, *by_page[page_id])
    return found


def _found(question: Question, *, user) -> dict[int, Candidate]:
    """Every collectivity that may have done it, as `user` may see them:
    the evidence of the search engine, then the comparables of the asker's
    collectivity (not yet checked for eligibility nor cut)."""
    from members.selectors import comparable_collectivities

    found = _evidence(question, user=user)
    if question.collectivity is not None:
        for other in comparable_collectivities(question.collectivity, user=user):
            candidate = found.setdefault(other.pk, Candidate(collectivity=None))
            candidate.score += 1
            candidate.comparable = True
    found.pop(question.collectivity_id, None)
    return found


def _chooser():
    """Who the stored choice is made for: a reader passing every view
    restriction and seeing members' content (an unsaved superuser, never
    written). Whatever it finds is filtered by each reader's visibility when
    read, so nobody is shown what they may not see."""
    return get_user_model()(is_superuser=True, is_staff=True, is_active=True)


def choose_candidates(question_id: int) -> int:
    """Choose and store the candidates of a question (`SolicitationCandidate`):
    run by a task enqueued when the question is posted, and by the command
    `choose_aid_candidates` (after a bulk import, or to take new resources
    into account). Returns how many rows were stored."""
    question = (
        Question.objects.filter(pk=question_id).select_related("collectivity").first()
    )
    if question is None:
        return 0
    found = _found(question, user=_chooser())
    rows = [
        SolicitationCandidate(
            question=question,
            collectivity_id=collectivity_id,
            resources=[
                {"page": page_id, "weight": weight, "title": title, "url": url}
                for title, url, page_id, weight in candidate.resources
            ],
            profile_matches=candidate.profile_matches,
            comparable=candidate.comparable,
        )
        for collectivity_id, candidate in found.items()
    ]
    with transaction.atomic():
        # Two choices at once (a first view and the task): one after the other.
        Question.objects.select_for_update().filter(pk=question.pk).first()
        SolicitationCandidate.objects.filter(question=question).delete()
        SolicitationCandidate.objects.bulk_create(rows)
        Question.objects.filter(pk=question.pk).update(
            candidates_chosen_at=timezone.now()
        )
    return len(rows)


def _stored(question: Question, *, user) -> dict[int, Candidate]:
    """The stored choice as `user` may see it: resources they may not read
    (unpublished since, behind a restriction they do not pass) are left out,
    with their weight; titles are read again (a retitled page)."""
    rows = list(SolicitationCandidate.objects.filter(question=question))
    page_ids = {r["page"] for row in rows for r in row.resources}
    titles = (
        dict(
            pages_visible_to(
                Page.objects.filter(pk__in=page_ids), user=user
            ).values_list("pk", "title")
        )
        if page_ids
        else {}
    )
    found: dict[int, Candidate] = {}
    for row in rows:
        candidate = Candidate(
            collectivity=None,
            profile_matches=row.profile_matches,
            comparable=row.comparable,
        )
        candidate.score = row.profile_matches + row.comparable
        for resource in row.resources:
            title = titles.get(resource["page"])
            if title is not None:
                candidate.score += resource["weight"]
                candidate.resources.append((title, resource["url"]))
        if candidate.score:
            found[row.collectivity_id] = candidate
    return found


def candidates_for(question: Question, *, user, limit: int = CANDIDATES) -> list:
    """The collectivities that already did it, best first, each with what shows
    it and its solicitation if any; the solicited ones always come first.
    Read from the stored choice (a few queries, whatever the corpus), or
    chosen now for a question whose choice is not stored yet."""
    if question.candidates_chosen_at is None:
        # Its task has not run yet (or the rows were written in bulk): chosen
        # and stored now, once; if it cannot be stored, chosen for this reader.
        try:
            choose_candidates(question.pk)
        except DatabaseError:
            logger.exception("Question %s: candidates not stored", question.pk)
            found = _found(question, user=user)
            for candidate in found.values():
                candidate.resources = [tuple(r[:2]) for r in candidate.resources]
        else:
            question.candidates_chosen_at = timezone.now()
    if question.candidates_chosen_at is not None:
        found = _stored(question, user=user)
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
