"""Demo events for `seed_demo`, dated from today so some are always upcoming."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from events.models import EventKind, EventPage
from retex.demo import callout, heading, paragraph, quote, upsert_page

# --- Events ------------------------------------------------------------------------
# "day" is an offset from today (a weekend moves to the next Monday); "start" and
# "end" are local (Europe/Paris) times of the first and last day; "length_days" is
# given for events over several days.

EVENTS = (
    {
        "slug": "formation-ouverture-des-donnees",
        "title": "Formation : conduire un projet d'ouverture des données",
        "kind": EventKind.TRAINING,
        "day": -60,
        "start": (9, 30),
        "end": (12, 30),
        "online": False,
        "venue": "Hôtel de ville de Poitiers",
        "city": "Poitiers",
        "lead": (
            "Une matinée pour choisir ses premiers jeux de données, les publier "
            "selon les schémas communs et organiser leur mise à jour."
        ),
        "body": (
            heading("Programme"),
            paragraph(
                "<ul><li>les obligations de la loi pour une République "
                "numérique ;</li><li>choisir et préparer ses données ;</li>"
                "<li>publier et faire vivre un catalogue.</li></ul>"
            ),
            paragraph(
                "<p>Formation animée par l'équipe données de Grand Poitiers.</p>"
            ),
        ),
    },
    {
        "slug": "webinaire-strategie-numerique-responsable",
        "title": "Webinaire : écrire sa stratégie numérique responsable",
        "kind": EventKind.WEBINAR,
        "day": -20,
        "start": (11, 0),
        "end": (12, 0),
        "online": True,
        "venue": "",
        "city": "",
        "lead": (
            "Une heure pour comprendre ce que la loi REEN demande aux collectivités "
            "et découvrir la démarche du Grand Annecy."
        ),
        "body": (
            paragraph(
                "<p>Le webinaire alterne une présentation de vingt minutes et un "
                "temps d'échange avec les participants.</p>"
            ),
            callout(
                "Replay",
                "<p>L'enregistrement sera mis en ligne dans l'espace des membres.</p>",
            ),
        ),
    },
    {
        "slug": "table-ronde-elus-cybersecurite",
        "title": "Table ronde : les élus face à la cybersécurité",
        "kind": EventKind.ROUND_TABLE,
        "day": 5,
        "start": (14, 0),
        "end": (17, 0),
        "online": False,
        "venue": "Hôtel de ville de Mulhouse",
        "city": "Mulhouse",
        "lead": (
            "Élus et directeurs généraux témoignent : comment préparer sa "
            "collectivité, quelles décisions prendre le jour d'une attaque, comment "
            "communiquer avec les habitants."
        ),
        "body": (
            heading("Intervenants"),
            paragraph(
                "<p>Des élus et des directeurs de collectivités membres ayant "
                "traversé une attaque informatique, avec un représentant du "
                "centre de réponse aux incidents de la région.</p>"
            ),
            paragraph(
                "<p>La table ronde est suivie d'un temps d'échange informel.</p>"
            ),
        ),
    },
    {
        "slug": "webinaire-declaration-accessibilite",
        "title": "Webinaire : rédiger sa déclaration d'accessibilité",
        "kind": EventKind.WEBINAR,
        "day": 12,
        "start": (11, 0),
        "end": (12, 30),
        "online": True,
        "venue": "",
        "city": "",
        "lead": (
            "Ce que doit contenir une déclaration d'accessibilité, comment calculer "
            "son taux de conformité et bâtir son schéma pluriannuel."
        ),
        "body": (
            paragraph(
                "<p>Webinaire destiné aux responsables de sites internet et aux "
                "chargés de communication des collectivités membres.</p>"
            ),
        ),
    },
    {
        "slug": "formation-sensibiliser-agents-hameconnage",
        "title": "Formation : sensibiliser les agents au hameçonnage",
        "kind": EventKind.TRAINING,
        "day": 30,
        "start": (9, 30),
        "end": (12, 30),
        "online": False,
        "venue": "Hôtel de la Métropole de Lyon",
        "city": "Lyon",
        "lead": (
            "Concevoir une campagne de sensibilisation, organiser un faux "
            "hameçonnage et en tirer les leçons sans culpabiliser les agents."
        ),
        "body": (
            heading("Public"),
            paragraph(
                "<p>Responsables de la sécurité des systèmes d'information, "
                "directeurs des ressources humaines et chargés de formation.</p>"
            ),
            callout(
                "Places limitées",
                "<p>Vingt participants au maximum, deux par collectivité.</p>",
                kind="warning",
            ),
        ),
    },
    {
        "slug": "rencontre-bretagne-mediation-tiers-lieux",
        "title": "Rencontre régionale Bretagne : médiation numérique et tiers-lieux",
        "kind": EventKind.MEETING,
        "day": 45,
        "start": (9, 30),
        "end": (16, 30),
        "online": False,
        "venue": "Espace Sainte-Anne",
        "city": "Lannion",
        "lead": (
            "Une journée pour rencontrer les conseillers numériques, les "
            "animateurs de tiers-lieux et les élus bretons du réseau."
        ),
        "body": (
            heading("Au programme"),
            paragraph(
                "<ul><li>le matin : retours d'expérience de Lannion et de Brest "
                "métropole ;</li><li>l'après-midi : ateliers en petits "
                "groupes.</li></ul>"
            ),
            paragraph("<p>Le déjeuner est offert aux participants inscrits.</p>"),
        ),
    },
    {
        "slug": "webinaire-mutualiser-delegue-protection-donnees",
        "title": "Webinaire : mutualiser un délégué à la protection des données",
        "kind": EventKind.WEBINAR,
        "day": 75,
        "start": (14, 0),
        "end": (15, 30),
        "online": True,
        "venue": "",
        "city": "",
        "lead": (
            "Centre de gestion, intercommunalité, syndicat informatique : les "
            "formules pour partager un délégué à la protection des données entre "
            "petites communes."
        ),
        "body": (
            paragraph(
                "<p>Avec le témoignage de la communauté de communes du Pays de "
                "Mormal, qui met un délégué à disposition de ses communes.</p>"
            ),
        ),
    },
    {
        "slug": "congres-annuel-reseau-retex",
        "title": "Congrès annuel du Réseau Retex",
        "kind": EventKind.CONGRESS,
        "day": 120,
        "length_days": 2,
        "start": (9, 0),
        "end": (17, 0),
        "online": False,
        "venue": "Palais des congrès de Bordeaux",
        "city": "Bordeaux",
        "lead": (
            "Deux jours de conférences, d'ateliers et de rencontres entre les "
            "collectivités membres, et l'assemblée générale de l'association."
        ),
        "body": (
            heading("Premier jour"),
            paragraph(
                "<p>Séance plénière d'ouverture, puis ateliers thématiques : "
                "inclusion, cybersécurité, données, sobriété.</p>"
            ),
            heading("Second jour"),
            paragraph(
                "<p>Visites de projets, remise des prix de l'innovation publique "
                "locale et assemblée générale de l'association.</p>"
            ),
            quote(
                "Le congrès, c'est là qu'on trouve la collectivité qui a déjà "
                "résolu notre problème.",
                "Claire Dumontet",
                "vice-présidente du Réseau Retex",
            ),
        ),
    },
)


def event_day(days):
    """Today + days, moved to the following Monday when it falls on a weekend."""
    day = timezone.localdate() + timedelta(days=days)
    if day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    return day


def local_datetime(day, hour_minute):
    """A Paris wall-clock time on that day, whatever the DST offset that day."""
    return datetime.combine(
        day, time(*hour_minute), tzinfo=timezone.get_current_timezone()
    )


def seed_events(index, stats):
    for data in EVENTS:
        first_day = event_day(data["day"])
        last_day = first_day + timedelta(days=data.get("length_days", 1) - 1)
        values = {
            "title": data["title"],
            "kind": data["kind"],
            "lead": data["lead"],
            "start": local_datetime(first_day, data["start"]),
            "end": local_datetime(last_day, data["end"]),
            "online": data["online"],
            "venue": data["venue"],
            "city": data["city"],
            "body": data["body"],
        }
        upsert_page(index, EventPage, data["slug"], values, stats)
