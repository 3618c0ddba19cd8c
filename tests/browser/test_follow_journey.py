"""Following, in a browser and without JavaScript (issue 17): follow a theme
and a saved search, choose a daily digest, receive it (the file email backend,
parsed back), open a link from it, unsubscribe in one click."""

import datetime
import email
import io
from email import policy

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from following.models import Frequency
from following.preferences import preferences_of
from knowledge.models import KnowledgePage
from tests.browser.content import person, publish, section
from tests.browser.page_types import logged_in
from tests.factories import ArticlePageFactory, ThemeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def emails_in(folder) -> list:
    messages = []
    for path in sorted(folder.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


def test_follow_receive_the_digest_open_it_and_unsubscribe(
    new_page, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    theme = ThemeFactory(name="Tiers-lieux", slug="tiers-lieux")
    reader = person("camille@lannion.fr", first_name="Camille")
    page = new_page(javascript=False)
    logged_in(page, reader.user, settings.BASE_URL)

    # Follow a theme, from the resources filtered by it.
    page.goto("/ressources/?theme=tiers-lieux")
    page.get_by_role("button", name="Suivre « Tiers-lieux »").click()
    expect(
        page.get_by_role("button", name="Ne plus suivre « Tiers-lieux »")
    ).to_be_visible()

    # Follow a search.
    page.goto("/recherche/?q=fablab")
    page.get_by_role("button", name="Suivre cette recherche").click()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()

    # See both, and choose a daily email.
    page.goto("/mon-espace/abonnements/")
    expect(page.get_by_role("link", name="Tiers-lieux")).to_be_visible()
    expect(page.get_by_role("link", name="« fablab »")).to_be_visible()
    page.get_by_label("Quotidien").check()
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(
        page.get_by_text("Vos préférences de courriel sont enregistrées.")
    ).to_be_visible()

    # Yesterday, two pages were published: one on the theme, one the search finds.
    on_theme = ArticlePageFactory(
        parent=section("ressources"), title="Ouvrir un tiers-lieu numérique"
    )
    on_theme.themes.set([theme])
    on_theme = publish(on_theme)
    found = publish(
        ArticlePageFactory(
            parent=section("ressources"),
            title="Un fablab dans la médiathèque",
            lead="Le fablab de Lannion ouvre à tous.",
        )
    )
    KnowledgePage.objects.filter(pk__in=[on_theme.pk, found.pk]).update(
        first_published_at=timezone.now() - datetime.timedelta(days=1)
    )

    call_command("send_digests", stdout=io.StringIO())
    (received,) = emails_in(tmp_path / "mail")
    assert received["To"] == "camille@lannion.fr"
    text = received.get_body(("plain",)).get_content()
    assert "Ouvrir un tiers-lieu numérique" in text
    assert "Un fablab dans la médiathèque" in text

    # Open a link from the email (the HTML part), in a browser with no session.
    html = received.get_body(("html",)).get_content()
    link = f"{settings.BASE_URL}{found.url}"
    assert f'href="{link}"' in html
    visitor = new_page(javascript=False)
    visitor.goto(link)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Un fablab dans la médiathèque"
    )

    # Unsubscribe in one click from the link, without being signed in.
    unsubscribe = received["List-Unsubscribe"].strip()[1:-1]
    assert unsubscribe.startswith(settings.BASE_URL + "/desabonnement/")
    visitor.goto(unsubscribe)
    visitor.get_by_role("button", name="Confirmer le désabonnement").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Désabonnement enregistré"
    )
    assert preferences_of(
        type(reader.user).objects.get(pk=reader.user.pk)
    ).frequency == (Frequency.NEVER)
