"""A document's text is found with the document's audience, never the page's.

Public page P1 and members-only page P2 both use document D: D is then served
to members only, so its text must not reach an anonymous visitor through P1's
entry, nor through D's own entry (no result, no snippet, no suggestion, in the
page and the API); a member finds it. Every change is made as editors make it
(publishing, the admin's privacy and document forms) and re-indexes what it
touches through the signals and background tasks alone: no `search_reindex`.
"""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, PageViewRestriction

from knowledge.models import KnowledgePageDocument
from retex.visibility import MEMBERS_GROUP
from search.backends import elasticsearch as es
from search.models import SearchEntry
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    UserFactory,
    give_mfa,
    make_document,
)

pytestmark = pytest.mark.django_db

IN_TEXT = "quokkanuage"  # in D's file
IN_NEW_TEXT = "quokkasoleil"  # in the file replacing it
IN_TITLE = "Quokkatitre"  # in D's title
IN_ROADMAP = "quokkaroute"  # in a collectivity's roadmap document


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Commit what the block did: the indexing tasks it enqueued run (the
    immediate backend), and those they enqueue in turn."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def editor():
    client = Client()
    client.force_login(give_mfa(UserFactory(is_staff=True, is_superuser=True)))
    return client


@pytest.fixture
def member():
    client = Client()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    client.force_login(user)
    return client


def publish_with(page, *documents):
    page.attached_documents = [KnowledgePageDocument(document=d) for d in documents]
    page.save_revision().publish()
    return page


def set_privacy(editor, page, *, members_only: bool):
    """What an editor does in the page's "Privacy" dialog."""
    if members_only:
        data = {
            "restriction_type": PageViewRestriction.GROUPS,
            "groups": [Group.objects.get(name=MEMBERS_GROUP).pk],
        }
    else:
        data = {"restriction_type": PageViewRestriction.NONE}
    response = editor.post(f"/admin/pages/{page.pk}/privacy/", data)
    assert response.status_code == 200
    assert json.loads(response.content)["step"] == "set_privacy_done"


@pytest.fixture
def shared(section, editor, run_tasks):
    """D attached to public P1 first (then public: P1 rightly carries its text),
    then to P2, which an editor makes members-only."""
    resources = section("ressources")
    with run_tasks():
        document = make_document(
            "annexe.txt",
            f"Budget annexe {IN_TEXT} du projet.".encode(),
            title=f"Annexe {IN_TITLE}",
        )
        p1 = publish_with(
            ArticlePageFactory(parent=resources, title="Un article public"), document
        )
        p2 = ArticlePageFactory(parent=resources, title="Compte rendu du bureau")
    with run_tasks():
        set_privacy(editor, p2, members_only=True)
    with run_tasks():
        publish_with(p2, document)
    return {"document": document, "p1": p1, "p2": p2}


def api(client, word):
    response = client.get("/api/search/", {"q": word})
    assert response.status_code == 200
    return json.loads(response.content)


def found(client, word) -> set[str]:
    """Titles of the results of a search for `word` in the API, after checking
    the search page lists the same ones."""
    data = api(client, word)
    titles = {result["title"] for result in data["results"]}
    assert data["count"] == len(titles)
    page = client.get("/recherche/", {"q": word}).content.decode()
    for title in titles:
        assert title in page
    return titles


def suggested(client, text) -> set[str]:
    response = client.get("/api/search/suggest/", {"q": text})
    return {item["title"] for item in json.loads(response.content)["suggestions"]}


def assert_found_by_nobody_anonymous(client, word):
    """No result, snippet or suggestion shows `word` to this visitor: the
    search page shows it as often as a word found nowhere."""
    assert found(client, word) == set()
    assert word not in json.dumps(api(client, word)["results"])
    page = client.get("/recherche/", {"q": word}).content.decode()
    control = client.get("/recherche/", {"q": "qwxzvbn"}).content.decode()
    assert page.count(word) == control.count("qwxzvbn")
    assert "<mark>" not in page


def test_a_document_also_used_by_a_members_only_page_is_found_by_members_only(
    client, member, shared
):
    assert_found_by_nobody_anonymous(client, IN_TEXT)
    assert suggested(client, IN_TITLE) == set()
    assert found(client, IN_TITLE) == set()

    assert found(member, IN_TEXT) == {"Annexe Quokkatitre", "Compte rendu du bureau"}
    snippets = " ".join(r["snippet"] for r in api(member, IN_TEXT)["results"])
    assert f"<mark>{IN_TEXT}</mark>" in snippets
    # The page, and the word as a search to complete with (members' words
    # are completed for members only).
    assert suggested(member, IN_TITLE) == {"Annexe Quokkatitre", IN_TITLE.lower()}
    # The document's result leads to the document, and says where it is used.
    result = next(r for r in api(member, IN_TEXT)["results"] if r["kind"] == "document")
    assert result["url"].endswith(shared["document"].url)
    assert "Compte rendu du bureau" in SearchEntry.objects.get(kind="document").lead


def test_once_the_restriction_is_lifted_visitors_find_it_everywhere(
    client, editor, shared, run_tasks
):
    with run_tasks():
        set_privacy(editor, shared["p2"], members_only=False)

    assert found(client, IN_TEXT) == {
        "Annexe Quokkatitre",
        "Un article public",
        "Compte rendu du bureau",
    }
    assert suggested(client, IN_TITLE) == {"Annexe Quokkatitre", IN_TITLE.lower()}


def test_restricting_the_second_page_takes_the_text_out_of_the_first_ones_entry(
    client, editor, section, run_tasks
):
    """The issue as reported: D public on P1, then P2 (using it) restricted."""
    resources = section("ressources")
    with run_tasks():
        document = make_document("annexe.txt", f"Annexe {IN_TEXT}.".encode())
        publish_with(ArticlePageFactory(parent=resources, title="Public"), document)
        p2 = publish_with(
            ArticlePageFactory(parent=resources, title="Bientôt réservé"), document
        )
    assert found(client, IN_TEXT) == {"annexe.txt", "Public", "Bientôt réservé"}

    with run_tasks():
        set_privacy(editor, p2, members_only=True)

    assert_found_by_nobody_anonymous(client, IN_TEXT)


def test_replacing_the_file_re_indexes_the_document_and_the_pages_using_it(
    client, editor, member, shared, run_tasks
):
    document = shared["document"]
    with run_tasks():
        response = editor.post(
            f"/admin/documents/edit/{document.pk}/",
            {
                "title": document.title,
                "file": SimpleUploadedFile(
                    "annexe-v2.txt", f"Nouvelle version {IN_NEW_TEXT}.".encode()
                ),
                "collection": Collection.get_first_root_node().pk,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]

    assert found(member, IN_TEXT) == set()
    assert found(member, IN_NEW_TEXT) == {
        "Annexe Quokkatitre",
        "Compte rendu du bureau",
    }
    assert_found_by_nobody_anonymous(client, IN_NEW_TEXT)


def test_a_new_title_is_found_at_once(member, shared, run_tasks):
    document = get_document_model().objects.get(pk=shared["document"].pk)
    with run_tasks():
        document.title = "Plan quokkarenomme"
        document.save()

    assert found(member, "quokkarenomme") == {"Plan quokkarenomme"}
    assert found(member, IN_TITLE) == set()


def test_when_the_members_only_page_stops_using_it_visitors_find_it(
    client, shared, run_tasks
):
    with run_tasks():
        publish_with(shared["p2"])  # Published without the document.

    assert found(client, IN_TEXT) == {"Annexe Quokkatitre", "Un article public"}


def test_when_the_members_only_page_is_deleted_visitors_find_it(
    client, shared, run_tasks
):
    key = f"page:{shared['p2'].pk}"
    with run_tasks():
        shared["p2"].delete()

    assert found(client, IN_TEXT) == {"Annexe Quokkatitre", "Un article public"}
    assert not SearchEntry.objects.filter(key=key).exists()


def test_moving_a_page_using_it_under_a_members_page_hides_it(
    client, section, editor, run_tasks
):
    resources = section("ressources")
    with run_tasks():
        document = make_document("annexe.txt", f"Annexe {IN_TEXT}.".encode())
        publish_with(ArticlePageFactory(parent=resources, title="Public"), document)
        moved = publish_with(
            ArticlePageFactory(parent=resources, title="Déplacé"), document
        )
        unpublished = publish_with(
            ArticlePageFactory(parent=resources, title="Retiré"), document
        )
        members_section = ArticlePageFactory(parent=resources, title="Espace membres")
    with run_tasks():
        set_privacy(editor, members_section, members_only=True)
    assert found(client, IN_TEXT) == {"annexe.txt", "Public", "Déplacé", "Retiré"}

    # Live pages decide: the two still live and public keep it public.
    with run_tasks():
        unpublished.unpublish()
    assert found(client, IN_TEXT) == {"annexe.txt", "Public", "Déplacé"}

    with run_tasks():
        unpublished.save_revision().publish()
    assert found(client, IN_TEXT) == {"annexe.txt", "Public", "Déplacé", "Retiré"}

    with run_tasks():
        moved.move(members_section, pos="last-child")
    assert_found_by_nobody_anonymous(client, IN_TEXT)


def test_a_document_whose_pages_are_all_unpublished_is_found_by_nobody(
    client, member, section, editor, run_tasks
):
    """Used by drafts only, a document is private: its text is in no entry,
    not even for members (those preparing the draft download it)."""
    resources = section("ressources")
    with run_tasks():
        document = make_document("annexe.txt", f"Annexe {IN_TEXT}.".encode())
        public = publish_with(
            ArticlePageFactory(parent=resources, title="Public"), document
        )
        restricted = ArticlePageFactory(parent=resources, title="Bureau")
    with run_tasks():
        set_privacy(editor, restricted, members_only=True)
    with run_tasks():
        publish_with(restricted, document)
    with run_tasks():
        public.unpublish()
    assert found(member, IN_TEXT) == {"annexe.txt", "Bureau"}

    with run_tasks():
        restricted.unpublish()
    assert found(member, IN_TEXT) == set()
    assert_found_by_nobody_anonymous(client, IN_TEXT)
    assert not SearchEntry.objects.filter(kind="document").exists()


def test_a_deleted_document_is_found_by_nobody(client, member, shared, run_tasks):
    with run_tasks():
        get_document_model().objects.get(pk=shared["document"].pk).delete()

    assert found(member, IN_TEXT) == set()
    assert found(member, IN_TITLE) == set()
    assert not SearchEntry.objects.filter(kind="document").exists()


def test_a_roadmap_document_is_found_by_nobody(client, member, section, run_tasks):
    with run_tasks():
        roadmap = make_document(
            "feuille-de-route.txt",
            f"Feuille de route {IN_ROADMAP}.".encode(),
            title="Feuille de route",
        )
        publish_with(
            ArticlePageFactory(parent=section("ressources"), title="Notre méthode"),
            roadmap,
        )
    assert found(client, IN_ROADMAP) == {"Feuille de route", "Notre méthode"}

    # The document becomes a collectivity's roadmap document: out of search,
    # from its own entry and from the resource it is attached to.
    with run_tasks():
        town = CollectivityPageFactory(parent=section("membres"), title="Lannion")
        town.roadmap_adopted = True
        town.roadmap_document = roadmap
        town.save_revision().publish()

    for who in (client, member):
        assert found(who, IN_ROADMAP) == set()
    call_command("search_reindex", verbosity=0)
    for who in (client, member):
        assert found(who, IN_ROADMAP) == set()
    assert not SearchEntry.objects.filter(body__contains=IN_ROADMAP).exists()

    # No longer the roadmap document: found again.
    with run_tasks():
        town.roadmap_document = None
        town.save_revision().publish()
    assert found(client, IN_ROADMAP) == {"Feuille de route", "Notre méthode"}


def test_a_link_from_a_members_only_page_makes_it_members_only(
    client, member, section, editor, run_tasks
):
    """Using a document is also linking to it from rich text (Wagtail's
    reference index), not only attaching it."""
    resources = section("ressources")
    with run_tasks():
        document = make_document("annexe.txt", f"Annexe {IN_TEXT}.".encode())
        publish_with(ArticlePageFactory(parent=resources, title="Public"), document)
        p2 = ArticlePageFactory(parent=resources, title="Réservé")
    with run_tasks():
        set_privacy(editor, p2, members_only=True)
    assert found(client, IN_TEXT) == {"annexe.txt", "Public"}

    link = f'<p>Voir <a linktype="document" id="{document.pk}">l\'annexe</a>.</p>'
    with run_tasks():
        p2.body = [("paragraph", link)]
        p2.save_revision().publish()

    assert_found_by_nobody_anonymous(client, IN_TEXT)
    assert found(member, IN_TEXT) == {"annexe.txt"}
    assert "Réservé" in SearchEntry.objects.get(kind="document").lead

    with run_tasks():
        p2.body = [("paragraph", "<p>Plus de lien.</p>")]
        p2.save_revision().publish()

    assert found(client, IN_TEXT) == {"annexe.txt", "Public"}


def test_a_document_in_a_private_collection_is_found_by_nobody(
    member, section, run_tasks
):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Bureau")
    with run_tasks():
        document = make_document("bureau.txt", f"Notes {IN_TEXT}.".encode())
        publish_with(
            ArticlePageFactory(parent=section("ressources"), title="Public"), document
        )
    assert found(member, IN_TEXT) == {"bureau.txt", "Public"}

    with run_tasks():
        document.collection = private
        document.save()
        private.view_restrictions.create(
            restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )

    assert found(member, IN_TEXT) == set()


@pytest.fixture
def elasticsearch_actions(settings, monkeypatch):
    """Elasticsearch configured (a client that is never reached): the bulk
    actions the backend sends are recorded."""
    from unittest import mock

    settings.ELASTICSEARCH_URL = "http://elasticsearch.test:9200"
    client = mock.MagicMock(name="Elasticsearch")
    client.options.return_value = client
    es.reset_connections()
    es._clients[settings.ELASTICSEARCH_URL] = client
    actions = []

    def fake_bulk(client, sent, **options):
        sent = list(sent)
        actions.extend(sent)
        return len(sent), []

    monkeypatch.setattr(es, "bulk", fake_bulk)
    yield actions
    es.reset_connections()


def test_elasticsearch_gets_the_same_documents(
    section, editor, run_tasks, elasticsearch_actions
):
    resources = section("ressources")
    with run_tasks():
        document = make_document("annexe.txt", f"Annexe {IN_TEXT}.".encode())
        p1 = publish_with(ArticlePageFactory(parent=resources, title="P1"), document)
        p2 = publish_with(ArticlePageFactory(parent=resources, title="P2"), document)
    elasticsearch_actions.clear()

    with run_tasks():
        set_privacy(editor, p2, members_only=True)

    last = {action["_id"]: action for action in elasticsearch_actions}
    p1_action = last[f"page:{p1.pk}"]["_source"]
    assert p1_action["visibility"] == "public"
    assert IN_TEXT not in p1_action.get("body", "")
    document_action = last[f"document:{document.pk}"]["_source"]
    assert document_action["visibility"] == "members"
    assert IN_TEXT in document_action["body"]
    assert last[f"page:{p2.pk}"]["_source"]["visibility"] == "members"


# Real transactions: what the web process commits, then what a worker does.
background = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@background
def test_in_the_web_process_restricting_a_page_keeps_it_for_members(
    section, client, editor, member
):
    """`TASKS_BACKEND=immediate`, outside a transaction: the privacy dialog saves
    the restriction (its task runs at once) and only then its groups."""
    resources = section("ressources")
    document = make_document("annexe.txt", f"Annexe {IN_TEXT}.".encode())
    publish_with(ArticlePageFactory(parent=resources, title="Public"), document)
    p2 = publish_with(ArticlePageFactory(parent=resources, title="Réservé"), document)

    set_privacy(editor, p2, members_only=True)

    assert_found_by_nobody_anonymous(client, IN_TEXT)
    assert found(member, IN_TEXT) == {"annexe.txt", "Réservé"}


@background
def test_the_database_queue_and_its_worker_do_the_re_indexing(
    settings, section, client, editor, member
):
    """The production path: changes queue tasks with their transaction, a
    `db_worker` re-indexes; until it has, nothing changes in search."""
    from django_tasks_db.models import DBTaskResult

    def work():
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    resources = section("ressources")
    document = make_document("annexe.txt", f"Annexe {IN_TEXT}.".encode())
    publish_with(ArticlePageFactory(parent=resources, title="Public"), document)
    p2 = publish_with(ArticlePageFactory(parent=resources, title="Réservé"), document)
    assert found(client, IN_TEXT) == set()  # Nothing indexed yet.
    work()
    assert found(client, IN_TEXT) == {"annexe.txt", "Public", "Réservé"}

    set_privacy(editor, p2, members_only=True)
    work()
    assert_found_by_nobody_anonymous(client, IN_TEXT)
    assert found(member, IN_TEXT) == {"annexe.txt", "Réservé"}

    response = editor.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "Annexe",
            "file": SimpleUploadedFile("v2.txt", f"Version {IN_NEW_TEXT}.".encode()),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302
    work()
    assert found(member, IN_TEXT) == set()
    assert found(member, IN_NEW_TEXT) == {"Annexe", "Réservé"}
    assert_found_by_nobody_anonymous(client, IN_NEW_TEXT)
