"""Nothing members-only or unpublished reaches anyone else, through any surface.

Unique words are placed in a members-only page's body, a never-published page,
a newer unpublished revision of a public page, a members-only event and the
text of a document attached to the members-only page, a question to the network
(`/entraide/`) and its answer, the title of a members-only synthesis of a past
public event (and the email announcing it), a practice a member proposed from
Mon espace, waiting for the editors' review, and the text of its document. An anonymous visitor and
a logged-in non-member then crawl every link of the site from the home page,
and request every feed, export, search surface, calendar and file URL: no
answer may contain any of the words. A member does find them where they belong,
so the test would notice a site that shows them to nobody.
"""

import datetime
import json
import re
import uuid
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from aid.answers import answer_create
from aid.questions import question_create
from events.models import CalendarToken, Registration, RegistrationStatus
from knowledge.models import KnowledgePageDocument
from knowledge.proposals import practice_propose
from members.affiliation import affiliation_request
from retex.visibility import MEMBERS_GROUP
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    UserFactory,
    close_response,
    make_document,
)

pytestmark = pytest.mark.django_db


SECRET = "zorglub"  # every word below starts with it; nothing else on the site does
IN_MEMBERS_PAGE = "zorglubmembre"
IN_DRAFT = "zorglubbrouillon"
IN_REVISION = "zorglubrevision"
IN_EVENT = "zorglubagenda"
IN_DOCUMENT = "zorglubdocument"
IN_QUESTION = "zorglubquestion"
IN_ANSWER = "zorglubreponse"
IN_SYNTHESIS = "zorglubsynthese"
IN_PROPOSAL = "zorglubproposition"
WORDS = (
    IN_SYNTHESIS,
    IN_MEMBERS_PAGE,
    IN_DRAFT,
    IN_REVISION,
    IN_EVENT,
    IN_DOCUMENT,
    IN_QUESTION,
    IN_ANSWER,
    IN_PROPOSAL,
)

MAX_CRAWL = 400
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout/", "/static/", "/media/")


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


def members_only(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=MEMBERS_GROUP)])
    return page


def verified(user):
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.fixture
def site(section, django_capture_on_commit_callbacks):
    resources, events = section("ressources"), section("evenements")
    with django_capture_on_commit_callbacks(execute=True):
        lannion = CollectivityPageFactory(
            parent=section("membres"),
            title="Ville de Lannion",
            email_domains="ville-lannion.fr",
        )
        public_article = ArticlePageFactory(parent=resources, title="Un article public")
        members_page = members_only(
            ArticlePageFactory(
                parent=resources,
                title="Compte rendu du bureau",
                lead="Réservé aux membres.",
                body=paragraph(f"Décision {IN_MEMBERS_PAGE} du bureau."),
            )
        )
        document = make_document(
            "annexe.txt",
            f"Annexe confidentielle {IN_DOCUMENT}.".encode(),
            title="Annexe du bureau",
        )
        KnowledgePageDocument.objects.create(page=members_page, document=document)
        members_page.save_revision().publish()
        # The same document also attached to a public page: still members-only,
        # its text never indexed with the public page.
        KnowledgePageDocument.objects.create(page=public_article, document=document)
        public_article.save_revision().publish()

        ArticlePageFactory(
            parent=resources,
            title=f"Brouillon {IN_DRAFT}",
            lead=f"Chapô {IN_DRAFT}",
            body=paragraph(IN_DRAFT),
            live=False,
        )
        revised = ArticlePageFactory(parent=resources, title="Une page publiée")
        revised.title = f"Nouvelle version {IN_REVISION}"
        revised.lead = f"Chapô {IN_REVISION}"
        revised.body = paragraph(IN_REVISION)
        revised.save_revision()

        members_event = members_only(
            EventPageFactory(
                parent=events,
                title="Rencontre des DSI",
                body=paragraph(f"Programme {IN_EVENT}."),
            )
        )
        members_event.save_revision().publish()
        public_event = EventPageFactory(parent=events, title="Webinaire public")
        # A public round table, over, whose synthesis is for members only.
        past_event = EventPageFactory(
            parent=events,
            title="Table ronde passée",
            start=timezone.now() - datetime.timedelta(days=8),
            end=timezone.now() - datetime.timedelta(days=8, hours=-2),
        )
        synthesis = members_only(
            ArticlePageFactory(parent=resources, title=f"Synthèse {IN_SYNTHESIS}")
        )
    call_command("search_reindex", verbosity=0)
    # A question to the network and its answer, by members of the network.
    asker = verified(UserFactory(email="elue@ville-lannion.fr"))
    affiliation_request(user=asker, collectivity=lannion)
    question, _ = question_create(
        author=asker,
        title=f"Question {IN_QUESTION}",
        details=f"Précisions {IN_QUESTION}.",
        token=uuid.uuid4(),
    )
    answer_create(
        question_id=question.pk,
        author=asker,
        body=f"Réponse {IN_ANSWER}.",
        token=uuid.uuid4(),
    )
    # A practice proposed from Mon espace, in review (a draft), with a document.
    proposal_document = make_document(
        "diagnostic.txt",
        f"Diagnostic {IN_PROPOSAL}.".encode(),
        title="Diagnostic du guichet",
    )
    proposal_document.uploaded_by_user = asker
    proposal_document.save()
    with django_capture_on_commit_callbacks(execute=True):
        proposal, _ = practice_propose(
            user=asker,
            token=uuid.uuid4(),
            values={
                "title": f"Pratique {IN_PROPOSAL}",
                "lead": f"Chapô {IN_PROPOSAL}",
                "collectivity": lannion,
                "actions": f"<p>Actions {IN_PROPOSAL}.</p>",
            },
            documents=[proposal_document],
        )
    call_command("search_reindex", verbosity=0)

    member = verified(UserFactory(email="membre@ville-lannion.fr"))
    member.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    outsider = verified(UserFactory(email="curieux@ailleurs.fr"))
    for person in (member, outsider):
        Registration.objects.create(
            event=past_event,
            user=person,
            status=RegistrationStatus.CONFIRMED,
            attended=True,
            confirmed_at=timezone.now() - datetime.timedelta(days=9),
        )
    with django_capture_on_commit_callbacks(execute=True):
        past_event.synthesis = synthesis
        past_event.save_revision().publish()  # Announced to who may read it.
    synthesis_announced_to = [m.to for m in mail.outbox if IN_SYNTHESIS in m.body]
    mail.outbox.clear()
    return {
        "past_event": past_event,
        "synthesis_announced_to": synthesis_announced_to,
        "members_page": members_page,
        "document": document,
        "members_event": members_event,
        "public_event": public_event,
        "member": member,
        "outsider": outsider,
        "question": question,
        "proposal": proposal,
        "proposer": asker,
        "proposal_document": proposal_document,
        "outsider_token": CalendarToken.objects.create(user=outsider, token="o" * 40),
        "member_token": CalendarToken.objects.create(user=member, token="m" * 40),
    }


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    close_response(response)
    return content.decode("utf-8", errors="replace")


def links_in(text: str, base: str) -> list[str]:
    found = []
    for raw in re.findall(r"""(?:href|src|action)=["']([^"']+)["']""", text):
        url = urljoin(base, unescape(raw))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    # Feeds and sitemaps list absolute URLs in <link>/<loc> elements.
    for raw in re.findall(r"<(?:loc|link)>([^<]+)</(?:loc|link)>", text):
        parts = urlsplit(unescape(raw.strip()))
        if parts.path.startswith("/"):
            found.append(parts.path)
    return found


def surfaces(d) -> list[str]:
    """What a crawler may not find by links: APIs, feeds, exports, files."""
    urls = [
        "/",
        "/sitemap.xml",
        "/ressources/flux.xml",
        "/ressources/atom.xml",
        "/evenements/agenda.ics",
        "/membres/export.csv",
        "/membres/export.json",
        f"/mon-espace/agenda/{d['outsider_token'].token}.ics",
        d["members_page"].url,
        d["members_event"].url,
        d["members_event"].url + "evenement.ics",
        d["past_event"].url,
        d["past_event"].url + "desinscription/",
        d["members_event"].url + "desinscription/",
        d["document"].url,
        f"/media/{d['document'].file.name}",
        "/api/search/suggest/?q=zorglub",
        "/api/search/suggest/?q=Brouillon",
        "/api/search/suggest/?q=Nouvelle",
        "/recherche/?q=zorglub*",
        "/entraide/",
        "/entraide/poser/",
        "/entraide/poser/?titre=Question",
        "/entraide/poser/suggestions/?titre=Question",
        # Its real URL carries its title's words (the slug): anyone who has it
        # already knows them. Any other slug redirects only those who may read it.
        f"/entraide/{d['question'].pk}-x/",
        "/api/search/suggest/?q=Question",
        "/api/search/suggest/?q=Pratique",
        "/mon-espace/pratiques/proposer/",
        f"/mon-espace/pratiques/{d['proposal'].pk}/modifier/",
        f"/ressources/fiche/{d['proposal'].pk}.pdf",
        d["proposal_document"].url,
    ]
    for word in WORDS:
        urls += [f"/recherche/?q={word}", f"/api/search/?q={word}"]
    return urls


def crawl(client, start: list[str]) -> dict[str, str]:
    """Every URL reachable from `start` (breadth first), with its answer."""
    seen, queue, answers = set(), list(start), {}
    while queue and len(answers) < MAX_CRAWL:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code != 500, url
        text = body_of(response)
        answers[url] = f"{response.status_code} {response.get('Location', '')} {text}"
        if response.status_code == 200:
            queue.extend(link for link in links_in(text, url) if link not in seen)
    return answers


CONTROL = "qwxzvbn"  # a word found nowhere, to compare search answers with


def assert_no_secret(client, answers: dict[str, str], who: str):
    """No secret word in any answer. Search surfaces repeat the query typed
    (a visitor may type a secret word): there, the word must appear exactly as
    often as a word found nowhere does in the same request's answer."""
    leaks = {}
    for url, text in answers.items():
        if SECRET not in text.lower():
            continue
        query = urlsplit(url).query
        if SECRET in query.lower():
            words = set(re.findall(rf"{SECRET}\w*", query))
            control = body_of(client.get(re.sub(rf"{SECRET}\w*", CONTROL, url)))
            echoed = all(
                text.count(word) == control.count(CONTROL) for word in words
            ) and len(re.findall(SECRET, text)) == len(re.findall(CONTROL, control))
            if echoed:
                continue
        leaks[url] = sorted(set(re.findall(rf"{SECRET}\w*", text)))
    assert not leaks, f"{who} sees secret words: {leaks}"


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_anonymous_visitors_see_no_members_only_or_unpublished_content(client, site):
    answers = crawl(client, surfaces(site))

    assert len(answers) > 40  # the crawl did reach the site
    assert_no_secret(client, answers, "An anonymous visitor")
    assert answers[site["document"].url].startswith("302 /accounts/login/")


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_a_non_member_sees_none_of_it_and_gets_no_email_about_it(
    client, site, django_capture_on_commit_callbacks
):
    client.force_login(site["outsider"])
    with django_capture_on_commit_callbacks(execute=True):
        # Registering for the public event fills their private calendar feed;
        # trying the members-only one must fail without telling anything.
        client.post(site["public_event"].url + "inscription/")
        client.post(site["members_event"].url + "inscription/")

    answers = crawl(client, surfaces(site))

    assert_no_secret(client, answers, "A logged-in non-member")
    assert "Webinaire public" in answers[surfaces(site)[7]]
    assert answers[site["document"].url].startswith("403")
    assert mail.outbox, "the public registration sends an email"
    for message in mail.outbox:
        text = message.subject + message.body + str(message.alternatives)
        text += "".join(str(a) for a in message.attachments)
        assert SECRET not in text


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_members_do_find_it_where_it_belongs(
    client, site, django_capture_on_commit_callbacks
):
    client.force_login(site["member"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(site["members_event"].url + "inscription/")

    page = body_of(client.get(site["members_page"].url))
    event = body_of(client.get(site["members_event"].url))
    document = body_of(client.get(site["document"].url))
    found_by_body = body_of(client.get("/api/search/", {"q": IN_MEMBERS_PAGE}))
    found_by_document = body_of(client.get("/api/search/", {"q": IN_DOCUMENT}))
    feed = body_of(client.get(f"/mon-espace/agenda/{site['member_token'].token}.ics"))

    assert IN_MEMBERS_PAGE in page
    assert IN_EVENT in event
    assert IN_SYNTHESIS in body_of(client.get(site["past_event"].url))
    assert site["synthesis_announced_to"] == [[site["member"].email]]
    assert IN_DOCUMENT in document
    assert "Compte rendu du bureau" in found_by_body
    assert "Compte rendu du bureau" in found_by_document
    assert "Rencontre des DSI" in feed
    # Their confirmation email is theirs to receive, and nobody else gets one.
    assert [message.to for message in mail.outbox] == [[site["member"].email]]
    # Drafts stay drafts, even for members.
    assert (
        json.loads(body_of(client.get("/api/search/", {"q": IN_DRAFT})))["count"] == 0
    )
    assert IN_REVISION not in body_of(client.get("/ressources/"))
    # Questions to the network and their answers, for members.
    thread = body_of(client.get(site["question"].get_absolute_url()))
    assert IN_QUESTION in thread and IN_ANSWER in thread
    found = json.loads(body_of(client.get("/api/search/", {"q": IN_ANSWER})))
    assert [r["kind"] for r in found["results"]] == ["question"]
    # A practice proposed by another member, in review: its document is for
    # its proposer (and the editors), not for members, of another collectivity
    # or of the proposer's own.
    brest = verified(UserFactory(email="dsi@ville-brest.fr"))
    brest.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    url = site["proposal_document"].url
    for other in (brest, site["member"]):
        client.force_login(other)
        response = client.get(url)
        assert response.status_code == 403
        assert IN_PROPOSAL not in body_of(response)
        found = json.loads(body_of(client.get("/api/search/", {"q": IN_PROPOSAL})))
        assert found["count"] == 0
    client.force_login(site["proposer"])
    assert IN_PROPOSAL in body_of(client.get(url))
