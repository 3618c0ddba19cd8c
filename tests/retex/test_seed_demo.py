"""`seed_demo` fills the whole page tree with French content, and is idempotent.

The content is data (`retex/demo_data/*.yaml`): a malformed file is refused with a
message naming the file and the faulty key, before anything is written.
"""

import re
import shutil
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.models import Page

from events.models import EventPage, Registration
from knowledge.models import ArticlePage, InterviewPage, PracticePage
from members.models import Affiliation, CollectivityPage, User
from retex import demo
from retex.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def page_tree():
    return [
        (page.path, page.slug, page.title, page.content_type.model, page.live)
        for page in Page.objects.order_by("path").select_related("content_type")
    ]


def rows():
    """Every demo row outside the page tree, as values."""
    return [
        list(User.objects.order_by("pk").values()),
        list(Affiliation.objects.order_by("pk").values()),
        list(Registration.objects.order_by("pk").values()),
    ]


def data_file(name):
    with (demo.DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of the demo data files that a test may edit, used by `seed_demo`."""
    copy = tmp_path / "demo_data"
    shutil.copytree(demo.DATA_DIR, copy)
    monkeypatch.setattr(demo, "DATA_DIR", copy)
    return copy


def edit(data_dir, name, old, new):
    path = data_dir / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_running_seed_demo_twice_gives_the_same_tree():
    call_command("seed_demo", verbosity=0)
    first = page_tree()
    first_rows = rows()
    revisions = sum(1 for _ in Page.objects.filter(latest_revision__isnull=False))
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert page_tree() == first
    assert (
        sum(1 for _ in Page.objects.filter(latest_revision__isnull=False)) == revisions
    )
    assert rows() == first_rows
    report = out.getvalue()
    assert "0 pages created, 0 updated" in report
    assert "site settings: unchanged" in report
    for line in report.splitlines():
        if line.startswith("  ") and ":" in line and "site settings" not in line:
            # "  Model: n unchanged" only: nothing created or updated.
            assert re.fullmatch(r"  \w+: \d+ unchanged", line), line


def test_seed_demo_fills_every_section_and_the_footer(client):
    call_command("seed_demo", verbosity=0)
    assert ArticlePage.objects.live().count() >= 5
    assert CollectivityPage.objects.live().count() >= 10
    assert StandardPage.objects.live().filter(slug="accessibilite").exists()
    assert SiteSettings.load().footer_links
    upcoming = EventPage.objects.live().filter(start__gte=timezone.now())
    past = EventPage.objects.live().filter(end__lt=timezone.now())
    assert upcoming.exists()
    assert past.exists()
    restricted = 0
    for page in Page.objects.live().filter(depth__gte=2).specific():
        expected = 403 if page.get_view_restrictions() else 200
        restricted += expected == 403
        assert client.get(page.url).status_code == expected, page.url
    assert restricted == 1, "one members-only page shows its teaser"

    # Every record of the data files is on the site, with its title.
    for model, name, key in (
        (StandardPage, "site", "pages"),
        (ArticlePage, "articles", "articles"),
        (InterviewPage, "interviews", "interviews"),
        (PracticePage, "practices", "practices"),
        (CollectivityPage, "collectivities", "collectivities"),
        (EventPage, "events", "events"),
    ):
        wanted = {(r["slug"], r["title"]) for r in data_file(name)[key]}
        live = set(model.objects.live().values_list("slug", "title"))
        assert wanted <= live, (name, wanted - live)
    emails = {person["email"] for person in data_file("people")["people"]}
    assert set(User.objects.values_list("email", flat=True)) >= emails


def test_seed_demo_keeps_pages_written_by_editors(home_page):
    from tests.factories import StandardPageFactory

    own = StandardPageFactory(parent=home_page, title="Notre charte")
    call_command("seed_demo", verbosity=0)
    assert Page.objects.filter(pk=own.pk, title="Notre charte").exists()


def test_a_page_added_to_a_data_file_is_published(data_dir, client):
    """How to add a demo page: a record in the data file, nothing else."""
    page = (
        "- slug: charte-du-reseau\n"
        "  title: Charte du réseau\n"
        "  lead: Les engagements des collectivités membres.\n"
        "  body:\n"
        "  - heading: {text: Nos engagements, level: h2}\n"
        "  - paragraph: <p>Partager nos erreurs autant que nos réussites.</p>\n"
    )
    edit(data_dir, "site", "- slug: a-propos\n", page + "- slug: a-propos\n")
    call_command("seed_demo", verbosity=0)
    response = client.get("/charte-du-reseau/")
    assert response.status_code == 200
    assert "Partager nos erreurs autant que nos réussites." in response.text


MALFORMED = [
    pytest.param(
        "events",
        "  title: Congrès annuel du Réseau Retex à Angers\n",
        "  titre: Congrès annuel du Réseau Retex à Angers\n",
        "events.yaml: events[0] (congres-reseau-retex-angers): unknown key 'titre'",
        id="unknown key",
    ),
    pytest.param(
        "interviews",
        "  days_ago: 20\n",
        "",
        "interviews.yaml: interviews[0] (entretien-gaelle-le-floch-lannion): "
        "missing key 'days_ago'",
        id="missing key",
    ),
    pytest.param(
        "people",
        "  status: elu\n",
        "  status: élue\n",
        "people.yaml: people[0] (gaelle.le-floch@lannion.bzh).status: 'élue' is not "
        "one of",
        id="not a choice",
    ),
    pytest.param(
        "events",
        "{start: '09:30',",
        "{start: 9:30,",
        ".sessions[0].start: expected a time as 'HH:MM' (quoted), got 570",
        id="unquoted time",
    ),
    pytest.param(
        "collectivities",
        "member_since: 2019-03-14",
        "member_since: 14/03/2019",
        "collectivities[0] (ville-de-lannion).member_since: expected a date "
        "(YYYY-MM-DD), got '14/03/2019'",
        id="not a date",
    ),
    pytest.param(
        "site",
        "  - paragraph: >-\n",
        "  - paragraf: >-\n",
        "site.yaml: pages[0] (a-propos).body: block 1: unknown block type 'paragraf'",
        id="unknown block",
    ),
    pytest.param(
        "site",
        "level: h2}",
        "niveau: h2}",
        "body: block 3 (heading): unknown key 'niveau'",
        id="unknown block field",
    ),
    pytest.param(
        "articles",
        "  days_ago: 12\n",
        "  days_ago: [12\n",
        "articles.yaml: not valid YAML",
        id="not YAML",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), MALFORMED)
def test_a_malformed_data_file_is_refused_before_anything_is_written(
    data_dir, name, old, new, message
):
    pages = page_tree()
    edit(data_dir, name, old, new)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("seed_demo", verbosity=0)
    assert page_tree() == pages
    assert not User.objects.exists()


def test_an_unknown_slug_rolls_the_whole_run_back(data_dir):
    """A reference is only checked while seeding: what was seeded before it is
    rolled back with it."""
    pages = page_tree()
    edit(data_dir, "events", "themes: [cybersecurite]", "themes: [cyber-securite]")
    with pytest.raises(CommandError, match=re.escape("No theme 'cyber-securite'")):
        call_command("seed_demo", verbosity=0)
    assert page_tree() == pages
    assert not User.objects.exists()
