"""One address per page type of the public site and of the member pages, for the
accessibility checks and the screenshots; and a quick way to open them logged in.

The site has pictures as the demo has (`illustrate`): illustrations, portraits,
coats of arms, an event's visual, drawn by retex/demo_images.py, with their
renditions made ahead as `prepare_renditions` does after a deploy. Tests that
look at them ask for the `serve_media` fixture (images are served by the proxy in
production, and only with DEBUG by the development server).
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from aid.answers import answer_create
from aid.questions import question_create
from events.models import EventPage
from events.registration import registration_create
from knowledge.models import Interviewee, KnowledgePage
from members.models import CollectivityPage
from retex.demo_images import demo_coat_of_arms, demo_illustration, demo_portrait
from retex.images import prepare_renditions
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


def illustrate(content: Content) -> None:
    """Pictures where the demo has them: the article's, the interview's and the
    event's illustrations, the interviewee's portrait, the collectivities' coats
    of arms (the practice has none: its card shows its collectivity's logo)."""
    for page in (content.article, content.interview):
        KnowledgePage.objects.filter(pk=page.pk).update(
            hero_image=demo_illustration(page.slug), hero_image_decorative=True
        )
    Interviewee.objects.filter(page=content.interview).update(
        portrait=demo_portrait("Hélène Carré")
    )
    for collectivity in (content.bellerive, content.trois_vallees):
        CollectivityPage.objects.filter(pk=collectivity.pk).update(
            logo=demo_coat_of_arms(collectivity.title)
        )
    EventPage.objects.filter(pk=content.training.pk).update(
        image=demo_illustration(content.training.slug), image_decorative=True
    )
    prepare_renditions()


def build_site() -> Site:
    content = build_content()
    illustrate(content)
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
    # A question to the network, answered by a member of another collectivity.
    colleague = member_of(
        content.trois_vallees,
        "lea.roux@cc-trois-vallees.fr",
        first_name="Léa",
        last_name="Roux",
    )
    question, _ = question_create(
        author=member.user,
        title="Comment financer un tiers-lieu numérique ?",
        details="Nous avons un local en mairie et cherchons des financements.",
        themes=[content.inclusion],
        token=uuid.uuid4(),
    )
    answer_create(
        question_id=question.pk,
        author=colleague.user,
        body="Voyez notre **fiche** : la région finance une partie du matériel.",
        token=uuid.uuid4(),
    )
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
        PageType("mes-abonnements", "/mon-espace/abonnements/", member=True),
        PageType("entraide", "/entraide/", member=True),
        PageType("entraide-question", question.get_absolute_url(), member=True),
        PageType(
            "entraide-poser",
            "/entraide/poser/?titre=tiers-lieu+num%C3%A9rique",
            member=True,
        ),
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
