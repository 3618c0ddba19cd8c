"""One address per page type of the public site and of the member pages, for the
accessibility checks; and a quick way to open them logged in."""

from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from events.registration import registration_create
from tests.browser.content import Content, build_content, member_of, person


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    member: bool = False  # opened by a logged-in member of the network


@dataclass
class Site:
    content: Content
    member: object
    newcomer: object
    pages: list[PageType]


def build_site() -> Site:
    content = build_content()
    member = member_of(
        content.bellerive,
        "marc.petit@bellerive.fr",
        first_name="Marc",
        last_name="Petit",
    )
    # "Mes inscriptions" lists one registration; the round table is open to all.
    registration_create(event_id=content.round_table.pk, user=member.user)
    # A verified person not yet attached to a collectivity may ask to be.
    newcomer = person("alex.morel@courriel-perso.fr")
    pages = [
        PageType("accueil", "/"),
        PageType("ressources", "/ressources/"),
        PageType(
            "ressources-filtrees",
            "/ressources/?kind=entretien&theme=inclusion-numerique",
        ),
        PageType("article", content.article.url),
        PageType("entretien", content.interview.url),
        PageType("retour-d-experience", content.practice.url),
        PageType("annuaire", "/membres/"),
        PageType("annuaire-filtre", "/membres/?kind=commune"),
        PageType("profil-collectivite", content.bellerive.url),
        PageType("agenda", "/evenements/"),
        PageType("evenement", content.training.url),
        PageType("recherche-resultats", "/recherche/?q=num%C3%A9rique"),
        PageType("recherche-sans-resultat", "/recherche/?q=zzzintrouvable"),
        PageType("page-standard", content.standard_page.url),
        PageType("page-introuvable", "/cette-page-n-existe-pas/"),
        PageType("connexion", "/accounts/login/"),
        PageType("creation-de-compte", "/accounts/signup/"),
        PageType("mot-de-passe-oublie", "/accounts/password/reset/"),
        PageType("mon-espace", "/mon-espace/", member=True),
        PageType("formulaire-d-inscription", content.training.url, member=True),
        PageType("mon-profil", "/mon-espace/profil/", member=True),
    ]
    return Site(content=content, member=member, newcomer=newcomer, pages=pages)


def logged_in(page, user, base_url: str):
    """Give the browser the session cookie of `user` (no need to type a password
    on every page type: the log-in pages have their own checks)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": base_url}]
    )
    return page
