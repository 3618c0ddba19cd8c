"""The relevance suite's corpus: the demo content, the real articles of
`tests/knowledge/import_samples` (imported as an editor would) and a few long
articles of the field written like real ones, indexed once per module."""

import io
from pathlib import Path

from django.core.management import call_command
from wagtail.models import Page

from tests.factories import ArticlePageFactory, InterviewPageFactory

SAMPLES = Path(__file__).parents[1] / "knowledge" / "import_samples"

LONG_ARTICLES = [
    {
        "key": "visioguichet",
        "title": "Un visio-guichet dans les mairies rurales",
        "lead": "Des bornes de visioconférence relient les habitants aux agents "
        "de la caisse d'allocations familiales et des impôts.",
        "paragraphs": [
            "Dans les communes de moins de mille habitants, la mairie reste le "
            "premier lieu où l'on vient chercher de l'aide. Le visio-guichet "
            "permet d'y rencontrer, sur rendez-vous, un agent d'un organisme "
            "partenaire sans faire quarante kilomètres.",
            "Le secrétariat de mairie réserve le créneau, accueille la personne "
            "et l'aide à scanner ses justificatifs. L'écran, la caméra et le "
            "scanner ont été financés par l'appel à projets départemental.",
            "Après un an, deux cents rendez-vous ont eu lieu, surtout pour les "
            "retraites, les allocations et les cartes grises.",
        ],
    },
    {
        "key": "ransomware",
        "title": "Après l'attaque : reconstruire le système d'information d'une "
        "agglomération",
        "lead": "Récit d'une cyberattaque par rançongiciel et des six mois de "
        "reconstruction qui ont suivi.",
        "paragraphs": [
            "Un lundi matin, les agents découvrent des fichiers chiffrés et une "
            "demande de rançon. Le ransomware est entré par un compte de "
            "messagerie dont le mot de passe avait fuité.",
            "La cellule de crise coupe le réseau, prévient l'ANSSI et la CNIL, "
            "dépose plainte et bascule l'état civil sur papier. Les sauvegardes "
            "hors ligne, testées trois mois plus tôt, ont permis de tout "
            "restaurer sans payer.",
            "La reconstruction a duré six mois : annuaire refait, double "
            "authentification pour tous, segmentation du réseau, exercices "
            "réguliers. Le coût a dépassé le budget informatique d'une année.",
        ],
    },
    {
        "key": "ia",
        "title": "L'intelligence artificielle au service de l'accueil des usagers",
        "lead": "Une commune teste un agent conversationnel pour répondre aux "
        "questions fréquentes, avec des garde-fous.",
        "paragraphs": [
            "Les questions posées à l'accueil sont souvent les mêmes : horaires, "
            "pièces à fournir, inscriptions à la cantine. Un assistant fondé sur "
            "un modèle de langage y répond à partir des pages du site.",
            "Les réponses citent leur source, aucune donnée personnelle n'est "
            "demandée et un agent relit chaque semaine les conversations. Les "
            "élus ont adopté une charte d'usage de l'IA générative.",
        ],
    },
    {
        "key": "opendata",
        "title": "Ouvrir les données de la commune : par où commencer ?",
        "lead": "Inventaire, licence, portail : la démarche d'ouverture des "
        "données publiques pas à pas.",
        "paragraphs": [
            "La loi pour une République numérique impose aux collectivités de "
            "plus de trois mille cinq cents habitants de publier leurs données "
            "publiques. Commencer par l'inventaire des jeux de données.",
            "Choisir la licence ouverte d'Etalab, publier sur data.gouv.fr ou "
            "le portail régional, et documenter chaque jeu : producteur, "
            "fréquence de mise à jour, champs.",
        ],
    },
    {
        "key": "cnil",
        "title": "Désigner un délégué à la protection des données mutualisé",
        "lead": "Le centre de gestion propose un DPO partagé aux petites communes "
        "pour tenir le registre des traitements.",
        "paragraphs": [
            "Depuis le règlement européen de 2018, chaque commune doit désigner "
            "un délégué. Seule, une petite commune n'en a pas les moyens : le "
            "centre de gestion met le sien à disposition.",
            "Le délégué tient le registre, répond aux demandes d'accès des "
            "habitants et conseille sur les nouveaux traitements, comme la "
            "vidéoprotection.",
        ],
    },
]

INTERVIEWS = [
    {
        "key": "le-du",
        "title": "« Aller vers ceux qui ne poussent plus la porte »",
        "lead": "Entretien avec Yann Le Du, secrétaire de mairie devenu "
        "conseiller numérique dans le Finistère.",
        "paragraphs": [
            "Yann Le Du raconte comment il accompagne les habitants dans leurs "
            "démarches en ligne, trois matinées par semaine, dans quatre "
            "communes rurales.",
        ],
    },
]


def _rich(paragraphs) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def build() -> dict[str, str]:
    """Create, publish and index the corpus; return {key: title} of the pages
    written here (the demo's are judged by their titles)."""
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    call_command(
        "import_articles",
        *sorted(str(path) for path in SAMPLES.iterdir()),
        "--publish",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    section = Page.objects.get(depth=3, slug="ressources").specific
    titles = {}
    for factory, specs in (
        (ArticlePageFactory, LONG_ARTICLES),
        (InterviewPageFactory, INTERVIEWS),
    ):
        for spec in specs:
            page = factory(
                parent=section,
                title=spec["title"],
                lead=spec["lead"],
                body=[("paragraph", _rich(spec["paragraphs"]))],
            )
            page.save_revision().publish()
            titles[spec["key"]] = spec["title"]
    call_command("search_reindex", verbosity=0, stdout=io.StringIO())
    return titles
