"""The benchmark's corpus generator, at a tiny scale: `make bench` trusts it to
write ordinary live pages, so what it writes must count, route and render like
pages made in the admin."""

import pytest
from django.db.models import Count, Q
from django.utils.html import escape
from wagtail.models import Page

from aid.models import Answer, Question
from bench.corpus import EMAIL_DOMAIN, Sizes, generate
from events.models import EventPage, Registration, RegistrationStatus
from knowledge.models import ArticlePage, InterviewPage, KnowledgePage, PracticePage
from members.models import CollectivityPage, User
from retex.visibility import pages_visible_to

TINY = Sizes(
    collectivities=6,
    users=12,
    knowledge=30,
    events=4,
    registrations=40,
    questions=5,
    answers=12,
)


def _counts() -> dict:
    return {
        "collectivities": CollectivityPage.objects.live().count(),
        "users": User.objects.filter(email__endswith=EMAIL_DOMAIN).count(),
        "knowledge": KnowledgePage.objects.live().count(),
        "events": EventPage.objects.live().count(),
        "registrations": Registration.objects.count(),
        "questions": Question.objects.count(),
        "answers": Answer.objects.count(),
    }


@pytest.mark.django_db
def test_the_corpus_has_the_requested_size_and_grows_by_what_is_added():
    generate(TINY, seed=1)
    assert _counts() == TINY.__dict__

    generate(TINY, seed=2)

    assert _counts() == {name: 2 * count for name, count in TINY.__dict__.items()}
    assert Page.find_problems() == ([], [], [], [], [])
    slugs = Page.objects.filter(depth=4).values("path", "slug")
    assert len({(row["path"][:12], row["slug"]) for row in slugs}) == len(slugs)


@pytest.mark.django_db
def test_generated_pages_render_and_show_in_their_listings(client):
    generate(TINY, seed=3)

    for model in (
        ArticlePage,
        InterviewPage,
        PracticePage,
        CollectivityPage,
        EventPage,
    ):
        page = pages_visible_to(model.objects.all()).order_by("pk").first()
        if page is None:  # The mix of kinds is random: a tiny corpus may lack one.
            continue
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.title) in response.content.decode()
    newest = (
        pages_visible_to(KnowledgePage.objects.all())
        .order_by("-publication_date", "-pk")
        .first()
    )
    listing = client.get("/ressources/")
    assert escape(newest.title) in listing.content.decode()
    assert client.get("/evenements/agenda.ics").status_code == 200


@pytest.mark.django_db
def test_registrations_never_exceed_the_seats():
    generate(TINY, seed=4)

    events = EventPage.objects.filter(capacity__isnull=False).annotate(
        confirmed=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
        )
    )
    for event in events:
        assert event.confirmed <= event.capacity
