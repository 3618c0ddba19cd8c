"""Demo events and registrations for `seed_demo`, dated from today.

Every kind of event is there, upcoming and past, whatever the day the command runs:
dates are offsets from today (a weekend moves to the next Monday), at Paris
wall-clock times. The registrations use the demo people of `members/demo.py`
(looked up by email) and show each rule at work: a full training with its
waitlist, a members-only round table, a training limited to two people per
collectivity, a congress whose registration is not open yet, and a past training
whose attendance is marked, so that certificates can be downloaded from
"Mon espace" (log in as `members.demo.EXAMPLE_LOGIN`).

Idempotent like the rest of `seed_demo` (see `retex/demo.py`): pages are looked up
by slug, their sessions compared field by field; registrations are looked up by
(event, person) and only written when a value differs; a certificate code, once
given, is kept. Registrations are written directly, not through
`events.registration`, which emails people and refuses past events; the demo data
is checked against the same rules instead (`check_registrations`). Moving the demo
dates to follow today emails nobody either (`participants_not_notified`).
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.core.management.base import CommandError
from django.db.models.signals import post_save
from django.utils import timezone

from events.models import (
    ACTIVE_REGISTRATION_STATUSES,
    Audience,
    EventKind,
    EventPage,
    Registration,
    RegistrationStatus,
)
from events.registration import cancellation_deadline, registration_closes_at
from members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    MembershipStatus,
    User,
)
from members.territories import Region
from retex.demo import callout, heading, paragraph, quote, upsert_page
from retex.models import Theme

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED

VISIO = "https://visio.reseau-retex.example/"


def session(start, end, label="", day=0):
    """A session `day` days after the event's first day, from `start` to `end`
    ((hour, minute), Paris time)."""
    return {"day": day, "start": start, "end": end, "label": label}


def confirmed(email, *, by=None, attended=None):
    """A confirmed registration; `by`: the colleague (a representative of the same
    collectivity) who registered the person; `attended`: marked present (True) or
    absent (False) after the event, None when not marked."""
    return {"email": email, "status": CONFIRMED, "by": by, "attended": attended}


def waitlisted(email):
    return {"email": email, "status": WAITLISTED, "by": None, "attended": None}


def cancelled(email):
    return {"email": email, "status": CANCELLED, "by": None, "attended": None}


# --- Events ------------------------------------------------------------------------
# "day": the first day, as an offset from today (a weekend moves to the following
# Monday, and an event over several days moves until none of its days is a
# weekend day). "sessions": 1 to 3 sessions, each "day" days after the first.
# "opens", "closes" and "cancellation": registration opens, closes and people may
# unregister until so many days before the first day ((days, (hour, minute))).
# "registrations": in the order people registered, over the "span" days before
# today (upcoming events) or before registration closed (past events).

EVENTS = (
    {
        "slug": "congres-reseau-retex-angers",
        "title": "Congrès annuel du Réseau Retex à Angers",
        "kind": EventKind.CONGRESS,
        "audience": Audience.EVERYONE,
        "themes": (
            "inclusion-numerique",
            "cybersecurite",
            "donnees",
            "sobriete-numerique",
        ),
        "day": -245,
        "sessions": (
            session((9, 0), (18, 0), "Premier jour : plénière et ateliers"),
            session((9, 0), (16, 30), "Second jour : visites et assemblée générale", 1),
        ),
        "online": False,
        "venue": "Centre de congrès d'Angers",
        "address": "33 boulevard Carnot",
        "postcode": "49100",
        "city": "Angers",
        "region": Region.PAYS_DE_LA_LOIRE,
        "lead": (
            "Deux jours de conférences et d'ateliers à Angers : le territoire "
            "intelligent, l'inclusion numérique et la cybersécurité vus par les "
            "collectivités membres."
        ),
        "body": (
            heading("Premier jour"),
            paragraph(
                "<p>Séance plénière sur le territoire intelligent d'Angers Loire "
                "Métropole, puis douze ateliers animés par des collectivités "
                "membres.</p>"
            ),
            heading("Second jour"),
            paragraph(
                "<p>Visites du centre de supervision urbaine et d'un espace France "
                "services, puis assemblée générale de l'association.</p>"
            ),
            callout(
                "Supports et comptes rendus",
                "<p>Les supports des ateliers sont en ligne dans l'espace des "
                "membres.</p>",
            ),
        ),
        "speakers": (
            "Bernard Castagné, président du Réseau Retex\n"
            "Florent Chauvin, directeur de projet territoire intelligent, Angers "
            "Loire Métropole\n"
            "Anne-Laure Quéméner, vice-présidente déléguée au numérique, Brest "
            "métropole"
        ),
        "partners": (
            "Angers Loire Métropole\nRégion Pays de la Loire\n"
            "Département de Maine-et-Loire"
        ),
        "price_info": (
            "Membres : 90 € par personne ; non-membres : 240 € (déjeuners compris)"
        ),
        "capacity": 350,
        "closes": (10, (12, 0)),
        "cancellation": (14, (12, 0)),
        "span": 60,
        "registrations": (
            cancelled("benoit.mugnier@grandannecy.fr"),
            confirmed("olivier.brunet@grandpoitiers.fr"),
            confirmed("karim.benali@grandlyon.com"),
            confirmed("gaelle.le-floch@lannion.bzh"),
            confirmed("laure.castan@laregion.fr"),
            confirmed("helene.morel@grandlyon.com"),
            confirmed("stephane.girard@thouars-communaute.fr"),
            confirmed("jean-marc.delattre@cc-paysdemormal.fr"),
            confirmed("claire.bouvet@angersloiremetropole.fr"),
            confirmed("julie.ferrero@nicecotedazur.org"),
            confirmed("gwenaelle.riviere@loire-atlantique.fr"),
            confirmed("loic.tanguy@megalis.bretagne.bzh"),
            confirmed("sandrine.jalton@regionguadeloupe.fr"),
            confirmed("marie-josee.grondin@cinor.fr"),
        ),
    },
    {
        "slug": "rencontre-hauts-de-france-france-services-tiers-lieux",
        "title": "Rencontre régionale Hauts-de-France : France services et tiers-lieux",
        "kind": EventKind.MEETING,
        "audience": Audience.EVERYONE,
        "themes": ("inclusion-numerique", "attractivite", "e-administration"),
        "day": -90,
        "sessions": (
            session((9, 30), (12, 30), "Matinée : retours d'expérience"),
            session((14, 0), (16, 30), "Après-midi : visite de la Base 11/19"),
        ),
        "online": False,
        "venue": "Base 11/19",
        "address": "Rue de Bourgogne",
        "postcode": "62750",
        "city": "Loos-en-Gohelle",
        "region": Region.HAUTS_DE_FRANCE,
        "lead": (
            "Une journée sur l'ancien carreau de mine de Loos-en-Gohelle pour "
            "comparer les espaces France services et les tiers-lieux numériques des "
            "intercommunalités rurales et du bassin minier."
        ),
        "body": (
            heading("Au programme"),
            paragraph(
                "<ul><li>le matin : le tiers-lieu du Pays de Mormal et la "
                "démarche de Loos-en-Gohelle ;</li><li>l'après-midi : visite de la "
                "Base 11/19 et de ses espaces partagés.</li></ul>"
            ),
        ),
        "speakers": (
            "Aurélie Desmarets, chargée de mission tiers-lieu et inclusion "
            "numérique, communauté de communes du Pays de Mormal\n"
            "Marion Lefebvre, directrice générale des services, Ville de "
            "Loos-en-Gohelle"
        ),
        "partners": (
            "Ville de Loos-en-Gohelle\nCommunauté de communes du Pays de Mormal"
        ),
        "price_info": "Gratuit, déjeuner offert aux participants inscrits",
        "capacity": 50,
        "closes": (3, (12, 0)),
        "span": 21,
        "registrations": (
            confirmed("jean-marc.delattre@cc-paysdemormal.fr"),
            confirmed("francis.vandewalle@lenord.fr"),
            confirmed(
                "patrick.delval@example.org", by="marion.lefebvre@loos-en-gohelle.fr"
            ),
            confirmed("antoine.lemarchand@metropole-rouen-normandie.fr"),
            confirmed("elodie.duval@metropole-rouen-normandie.fr"),
            confirmed("nathalie.besnard@grandchambord.fr"),
        ),
    },
    {
        "slug": "formation-ouverture-des-donnees",
        "title": "Formation : conduire un projet d'ouverture des données",
        "kind": EventKind.TRAINING,
        "audience": Audience.AGENTS,
        "themes": ("donnees", "e-administration"),
        "day": -60,
        "sessions": (
            session((9, 30), (17, 0), "Jour 1 : choisir et préparer ses données"),
            session(
                (9, 0), (12, 30), "Jour 2 : publier et faire vivre son catalogue", 1
            ),
        ),
        "online": False,
        "venue": "Hôtel de ville de Poitiers",
        "address": "15 place du Maréchal-Leclerc",
        "postcode": "86000",
        "city": "Poitiers",
        "region": Region.NOUVELLE_AQUITAINE,
        "lead": (
            "Une journée et demie pour choisir ses premiers jeux de données, les "
            "publier selon les schémas communs et organiser leur mise à jour."
        ),
        "body": (
            heading("Programme"),
            paragraph(
                "<ul><li>les obligations de la loi pour une République "
                "numérique ;</li><li>choisir et préparer ses données ;</li>"
                "<li>publier et faire vivre un catalogue.</li></ul>"
            ),
            paragraph(
                "<p>Formation animée par l'équipe données de Grand Poitiers, avec "
                "le retour d'expérience de la Métropole de Lyon.</p>"
            ),
            callout(
                "Attestation de présence",
                "<p>Les participants pointés présents téléchargent leur "
                "attestation dans Mon espace.</p>",
            ),
        ),
        "speakers": (
            "Olivier Brunet, directeur des systèmes d'information mutualisé, Grand "
            "Poitiers\n"
            "Karim Benali, chef de projet données ouvertes, Métropole de Lyon"
        ),
        "partners": "Grand Poitiers Communauté urbaine\nOpenDataFrance",
        "price_info": (
            "Gratuit pour les membres ; 350 € par personne pour les non-membres"
        ),
        "capacity": 16,
        "closes": (5, (12, 0)),
        "cancellation": (3, (12, 0)),
        "span": 40,
        "registrations": (
            cancelled("paul-antoine.santoni@ajaccio.fr"),
            confirmed(
                "emilie.rousseau@grandpoitiers.fr",
                by="olivier.brunet@grandpoitiers.fr",
                attended=True,
            ),
            confirmed("gaelle.le-floch@lannion.bzh", attended=True),
            confirmed("camille.fabre@grenoble.fr", attended=True),
            confirmed("marion.lefebvre@loos-en-gohelle.fr", attended=True),
            confirmed("stephane.girard@thouars-communaute.fr", attended=False),
            confirmed("florent.chauvin@angersloiremetropole.fr", attended=True),
            confirmed("jeanne.rouault@example.org", attended=True),
            confirmed("gwenaelle.riviere@loire-atlantique.fr", attended=True),
            confirmed("julie.ferrero@nicecotedazur.org", attended=True),
        ),
    },
    {
        "slug": "table-ronde-intelligence-artificielle-services-publics",
        "title": "Table ronde : l'intelligence artificielle dans les services publics "
        "locaux",
        "kind": EventKind.ROUND_TABLE,
        "audience": Audience.EVERYONE,
        "themes": ("e-administration", "donnees", "smart-city"),
        "day": -35,
        "sessions": (session((14, 0), (16, 30)),),
        "online": False,
        "venue": "Le 108, siège de la Métropole Rouen Normandie",
        "address": "108 allée François-Mitterrand",
        "postcode": "76000",
        "city": "Rouen",
        "region": Region.NORMANDIE,
        "lead": (
            "Agents conversationnels, aide à la rédaction, analyse des demandes "
            "des usagers : trois collectivités racontent ce qu'elles ont essayé, "
            "gardé ou abandonné."
        ),
        "body": (
            heading("Les questions débattues"),
            paragraph(
                "<ul><li>quels usages pour quels services ;</li><li>que deviennent "
                "les données des usagers ;</li><li>comment associer les agents et "
                "leurs représentants.</li></ul>"
            ),
            quote(
                "Nous avons arrêté l'agent conversationnel au bout de trois mois, "
                "mais le travail sur nos réponses types nous sert tous les jours.",
                "Mathieu Gautier",
                "chef de projet ville intelligente, Issy-les-Moulineaux",
            ),
        ),
        "speakers": (
            "Antoine Lemarchand, vice-président délégué au numérique, Métropole "
            "Rouen Normandie\n"
            "Mathieu Gautier, chef de projet ville intelligente, Ville "
            "d'Issy-les-Moulineaux\n"
            "François Lecoq, directeur du numérique éducatif, Région Normandie"
        ),
        "partners": "Métropole Rouen Normandie",
        "price_info": "Gratuit",
        "capacity": 80,
        "span": 18,
        "registrations": (
            confirmed("elodie.duval@metropole-rouen-normandie.fr"),
            confirmed("helene.morel@grandlyon.com"),
            confirmed("julie.ferrero@nicecotedazur.org"),
            confirmed("gaelle.le-floch@lannion.bzh"),
            confirmed("cecile.vasseur@issy.com"),
            confirmed("karim.benali@grandlyon.com"),
            confirmed("camille.fabre@grenoble.fr"),
            confirmed("loic.tanguy@megalis.bretagne.bzh"),
        ),
    },
    {
        "slug": "webinaire-strategie-numerique-responsable",
        "title": "Webinaire : écrire sa stratégie numérique responsable",
        "kind": EventKind.WEBINAR,
        "audience": Audience.EVERYONE,
        "themes": ("sobriete-numerique",),
        "day": -20,
        "sessions": (session((11, 0), (12, 0)),),
        "online": True,
        "online_link": VISIO + "strategie-numerique-responsable",
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
        "speakers": (
            "Benoît Mugnier, directeur des systèmes d'information, Grand Annecy\n"
            "Élodie Duval, chargée de mission sobriété numérique, Métropole Rouen "
            "Normandie"
        ),
        "price_info": "Gratuit",
        "span": 14,
        "registrations": (
            confirmed("thomas.lescure@gironde.fr"),
            confirmed("sandrine.lafargue@gironde.fr"),
            confirmed("francois.lecoq@normandie.fr"),
            confirmed("maelle.briand@saint-malo.fr"),
            confirmed("virginie.perrot@bourgognefranchecomte.fr"),
            confirmed("yann.kerherve@brest-metropole.fr"),
            confirmed("josiane.merine@capnordmartinique.fr"),
        ),
    },
    {
        "slug": "table-ronde-elus-cybersecurite",
        "title": "Table ronde : les élus face à la cybersécurité",
        "kind": EventKind.ROUND_TABLE,
        "audience": Audience.ELECTED,
        "themes": ("cybersecurite",),
        "day": 5,
        "sessions": (session((14, 0), (17, 0)),),
        "online": False,
        "venue": "Hôtel de ville de Mulhouse",
        "address": "2 rue Pierre-et-Marie-Curie",
        "postcode": "68100",
        "city": "Mulhouse",
        "region": Region.GRAND_EST,
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
            callout(
                "Réservée aux membres",
                "<p>Les témoignages portent sur des incidents réels : la table "
                "ronde est ouverte aux seules collectivités membres du réseau.</p>",
                kind="warning",
            ),
        ),
        "speakers": (
            "Sophie Koenig, directrice générale adjointe des services, Ville de "
            "Mulhouse\n"
            "Nicolas Riehl, responsable de la sécurité des systèmes d'information, "
            "Ville de Mulhouse\n"
            "Un représentant du centre régional de réponse aux incidents cyber du "
            "Grand Est"
        ),
        "partners": "Ville de Mulhouse",
        "price_info": "Gratuit, réservé aux collectivités membres",
        "capacity": 40,
        "members_only": True,
        "closes": (2, (12, 0)),
        "span": 20,
        "registrations": (
            confirmed("helene.morel@grandlyon.com"),
            confirmed("jean-marc.delattre@cc-paysdemormal.fr"),
            confirmed("anne-laure.quemener@brest-metropole.fr"),
            confirmed("antoine.lemarchand@metropole-rouen-normandie.fr"),
            confirmed("gaelle.le-floch@lannion.bzh"),
            confirmed("virginie.perrot@bourgognefranchecomte.fr"),
            confirmed("camille.fabre@grenoble.fr"),
            confirmed("jeanne.rouault@example.org"),
        ),
    },
    {
        "slug": "webinaire-declaration-accessibilite",
        "title": "Webinaire : rédiger sa déclaration d'accessibilité",
        "kind": EventKind.WEBINAR,
        "audience": Audience.AGENTS,
        "themes": ("e-administration", "inclusion-numerique"),
        "day": 12,
        "sessions": (session((11, 0), (12, 30)),),
        "online": True,
        "online_link": VISIO + "declaration-accessibilite",
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
        "speakers": (
            "Francis Vandewalle, référent accessibilité numérique, Département du Nord"
        ),
        "price_info": "Gratuit",
        "capacity": 100,
        "span": 15,
        "registrations": (
            confirmed("cecile.vasseur@issy.com"),
            confirmed("mathieu.gautier@issy.com", by="cecile.vasseur@issy.com"),
            confirmed("maelle.briand@saint-malo.fr"),
            confirmed("emilie.rousseau@grandpoitiers.fr"),
            confirmed("josiane.merine@capnordmartinique.fr"),
            confirmed("soazig.guillou@lannion-tregor.com"),
            confirmed("yannick.morvan@example.org"),
            confirmed("sandrine.jalton@regionguadeloupe.fr"),
        ),
    },
    {
        "slug": "formation-rgpd-registre-demandes-acces",
        "title": "Formation : le RGPD au quotidien, registre et demandes d'accès",
        "kind": EventKind.TRAINING,
        "audience": Audience.AGENTS,
        "themes": ("e-administration", "cybersecurite"),
        "day": 16,
        "sessions": (
            session((9, 30), (12, 30), "Matin : le registre des traitements"),
            session(
                (13, 45),
                (17, 0),
                "Après-midi : demandes d'accès et violations de données",
            ),
        ),
        "online": False,
        "venue": "Hôtel du Département de Loire-Atlantique",
        "address": "3 quai Ceineray",
        "postcode": "44000",
        "city": "Nantes",
        "region": Region.PAYS_DE_LA_LOIRE,
        "lead": (
            "Une journée pratique pour tenir à jour son registre des traitements, "
            "répondre dans les délais à une demande d'accès et réagir à une "
            "violation de données."
        ),
        "body": (
            heading("Programme"),
            paragraph(
                "<ul><li>le registre : quels traitements, quel niveau de "
                "détail ;</li><li>les demandes d'accès, de rectification et "
                "d'effacement ;</li><li>la notification d'une violation de données "
                "à la CNIL.</li></ul>"
            ),
            callout(
                "Complet",
                "<p>Douze participants au maximum pour travailler sur vos propres "
                "cas : inscrivez-vous en liste d'attente, les places libérées sont "
                "attribuées dans l'ordre.</p>",
                kind="warning",
            ),
        ),
        "speakers": (
            "Claire Bouvet, déléguée à la protection des données, Angers Loire "
            "Métropole\n"
            "Un juriste du centre de gestion de la fonction publique territoriale "
            "de Loire-Atlantique"
        ),
        "partners": "Département de Loire-Atlantique",
        "price_info": "Gratuit pour les membres, déjeuner compris",
        "capacity": 12,
        "opens": (45, (10, 0)),
        "closes": (7, (12, 0)),
        "cancellation": (3, (12, 0)),
        "span": 25,
        "registrations": (
            confirmed("gwenaelle.riviere@loire-atlantique.fr"),
            confirmed("olivier.brunet@grandpoitiers.fr"),
            confirmed("aurelie.desmarets@cc-paysdemormal.fr"),
            confirmed("nathalie.besnard@grandchambord.fr"),
            confirmed("marion.lefebvre@loos-en-gohelle.fr"),
            confirmed("jean-claude.payet@saintdenis.re"),
            confirmed("marie-josee.grondin@cinor.fr"),
            confirmed("laure.castan@laregion.fr"),
            confirmed("francois.lecoq@normandie.fr"),
            confirmed("emilie.rousseau@grandpoitiers.fr"),
            confirmed("cecile.vasseur@issy.com"),
            confirmed("benoit.mugnier@grandannecy.fr"),
            waitlisted("julie.ferrero@nicecotedazur.org"),
            waitlisted("gaelle.le-floch@lannion.bzh"),
            waitlisted("paul-antoine.santoni@ajaccio.fr"),
        ),
    },
    {
        "slug": "webinaires-achats-numeriques-responsables",
        "title": "Cycle de webinaires : acheter du numérique responsable",
        "kind": EventKind.WEBINAR,
        "audience": Audience.AGENTS,
        "themes": ("sobriete-numerique", "e-administration"),
        "day": 19,
        "sessions": (
            session((11, 0), (12, 30), "1. Définir son besoin"),
            session((11, 0), (12, 30), "2. Rédiger les clauses environnementales", 7),
            session((11, 0), (12, 30), "3. Suivre l'exécution du marché", 14),
        ),
        "online": True,
        "online_link": VISIO + "achats-numeriques-responsables",
        "lead": (
            "Trois webinaires d'une heure et demie pour intégrer la sobriété dans "
            "ses achats de matériel et de services numériques, du besoin au suivi "
            "du marché."
        ),
        "body": (
            paragraph(
                "<p>Chaque séance s'appuie sur les pièces de marché de collectivités "
                "membres, transmises aux participants.</p>"
            ),
            callout(
                "Une inscription pour les trois séances",
                "<p>Le lien de connexion est le même pour tout le cycle.</p>",
            ),
        ),
        "speakers": (
            "Élodie Duval, chargée de mission sobriété numérique, Métropole Rouen "
            "Normandie\n"
            "Thomas Lescure, chef de projet numérique responsable, Département de la "
            "Gironde"
        ),
        "price_info": "Gratuit ; inscription valable pour les trois séances",
        "capacity": 150,
        "span": 12,
        "registrations": (
            confirmed("sandrine.lafargue@gironde.fr"),
            confirmed("francis.vandewalle@lenord.fr"),
            confirmed("gaelle.le-floch@lannion.bzh"),
            confirmed("virginie.perrot@bourgognefranchecomte.fr"),
            confirmed("mathieu.gautier@issy.com"),
            confirmed("ronan.le-bihan@lannion-tregor.com"),
            confirmed("helene.morel@grandlyon.com"),
        ),
    },
    {
        "slug": "formation-sensibiliser-agents-hameconnage",
        "title": "Formation : sensibiliser les agents au hameçonnage",
        "kind": EventKind.TRAINING,
        "audience": Audience.AGENTS,
        "themes": ("cybersecurite",),
        "day": 30,
        "sessions": (session((9, 30), (12, 30)),),
        "online": False,
        "venue": "Hôtel de la Métropole de Lyon",
        "address": "20 rue du Lac",
        "postcode": "69003",
        "city": "Lyon",
        "region": Region.AUVERGNE_RHONE_ALPES,
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
        "speakers": (
            "Nicolas Riehl, responsable de la sécurité des systèmes d'information, "
            "Ville de Mulhouse"
        ),
        "partners": "Métropole de Lyon",
        "price_info": "Gratuit pour les membres ; 150 € pour les non-membres",
        "capacity": 20,
        "seats_per_collectivity": 2,
        "closes": (5, (12, 0)),
        "cancellation": (3, (12, 0)),
        "span": 21,
        "registrations": (
            confirmed("karim.benali@grandlyon.com"),
            confirmed("sophie.koenig@mulhouse.fr"),
            confirmed("ronan.le-bihan@lannion-tregor.com"),
            confirmed("helene.morel@grandlyon.com"),
            confirmed("loic.tanguy@megalis.bretagne.bzh"),
            confirmed("florent.chauvin@angersloiremetropole.fr"),
            confirmed(
                "claire.bouvet@angersloiremetropole.fr",
                by="florent.chauvin@angersloiremetropole.fr",
            ),
            confirmed("soazig.guillou@lannion-tregor.com"),
            confirmed("jean-claude.payet@saintdenis.re"),
            confirmed("paul-antoine.santoni@ajaccio.fr"),
            confirmed("sandrine.jalton@regionguadeloupe.fr"),
            confirmed("camille.fabre@grenoble.fr"),
        ),
    },
    {
        "slug": "rencontre-bretagne-mediation-tiers-lieux",
        "title": "Rencontre régionale Bretagne : médiation numérique et tiers-lieux",
        "kind": EventKind.MEETING,
        "audience": Audience.EVERYONE,
        "themes": ("inclusion-numerique", "attractivite"),
        "day": 45,
        "sessions": (
            session((9, 30), (12, 30), "Matinée : retours d'expérience"),
            session((14, 0), (16, 30), "Après-midi : ateliers"),
        ),
        "online": False,
        "venue": "Espace Sainte-Anne",
        "address": "2 rue de Kérampont",
        "postcode": "22300",
        "city": "Lannion",
        "region": Region.BRETAGNE,
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
        "speakers": (
            "Erwan Le Goff, conseiller numérique, Ville de Lannion\n"
            "Yann Kerhervé, chargé de mission appropriation sociale du numérique, "
            "Brest métropole"
        ),
        "partners": "Ville de Lannion\nLannion-Trégor Communauté\nMégalis Bretagne",
        "price_info": "Gratuit, déjeuner offert aux participants inscrits",
        "capacity": 60,
        "closes": (10, (12, 0)),
        "span": 20,
        "registrations": (
            confirmed("gaelle.le-floch@lannion.bzh"),
            confirmed("soazig.guillou@lannion-tregor.com"),
            confirmed("loic.tanguy@megalis.bretagne.bzh"),
            confirmed("jeanne.rouault@example.org"),
            confirmed("maelle.briand@saint-malo.fr"),
            confirmed("anne-laure.quemener@brest-metropole.fr"),
            confirmed("gwenaelle.riviere@loire-atlantique.fr"),
        ),
    },
    {
        "slug": "webinaire-mutualiser-delegue-protection-donnees",
        "title": "Webinaire : mutualiser un délégué à la protection des données",
        "kind": EventKind.WEBINAR,
        "audience": Audience.EVERYONE,
        "themes": ("e-administration", "cybersecurite"),
        "day": 75,
        "sessions": (session((14, 0), (15, 30)),),
        "online": True,
        "online_link": VISIO + "mutualiser-dpo",
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
        "speakers": (
            "Jean-Marc Delattre, vice-président délégué au numérique et aux France "
            "services, communauté de communes du Pays de Mormal\n"
            "Claire Bouvet, déléguée à la protection des données, Angers Loire "
            "Métropole"
        ),
        "price_info": "Gratuit",
        "span": 10,
        "registrations": (
            confirmed("nathalie.besnard@grandchambord.fr"),
            confirmed("marion.lefebvre@loos-en-gohelle.fr"),
            confirmed(
                "patrick.delval@example.org", by="marion.lefebvre@loos-en-gohelle.fr"
            ),
            confirmed("stephane.girard@thouars-communaute.fr"),
            confirmed("jeanne.rouault@example.org"),
        ),
    },
    {
        "slug": "congres-annuel-reseau-retex",
        "title": "Congrès annuel du Réseau Retex à Bordeaux",
        "kind": EventKind.CONGRESS,
        "audience": Audience.EVERYONE,
        "themes": (
            "inclusion-numerique",
            "cybersecurite",
            "donnees",
            "sobriete-numerique",
        ),
        "day": 120,
        "sessions": (
            session((9, 0), (18, 0), "Premier jour : plénière et ateliers"),
            session((9, 0), (16, 30), "Second jour : visites et assemblée générale", 1),
        ),
        "online": False,
        "venue": "Palais des congrès de Bordeaux",
        "address": "Avenue Jean-Gabriel-Domergue",
        "postcode": "33300",
        "city": "Bordeaux",
        "region": Region.NOUVELLE_AQUITAINE,
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
        "speakers": (
            "Bernard Castagné, président du Réseau Retex\n"
            "Claire Dumontet, vice-présidente du Réseau Retex\n"
            "Sandrine Lafargue, cheffe de projet inclusion numérique, Département de "
            "la Gironde"
        ),
        "partners": (
            "Département de la Gironde\nBordeaux Métropole\nRégion Nouvelle-Aquitaine"
        ),
        "price_info": (
            "Membres : 95 € par personne ; non-membres : 250 € (déjeuners et soirée "
            "du réseau compris)"
        ),
        "capacity": 400,
        "opens": (100, (10, 0)),
        "closes": (10, (12, 0)),
        "cancellation": (14, (12, 0)),
        "registrations": (),
    },
)

# Clock times of the 1st, 2nd... registration made on the same day.
REGISTRATION_TIMES = (
    (9, 12),
    (10, 41),
    (11, 57),
    (14, 8),
    (15, 36),
    (16, 52),
    (18, 5),
    (20, 47),
    (21, 30),
)


# --- Dates -------------------------------------------------------------------------


# Public holidays on a fixed date (month, day): no demo event on Christmas Day.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def day_off(day):
    return day.weekday() >= 5 or (day.month, day.day) in FIXED_HOLIDAYS


def next_weekday(day):
    """The day itself, or the following Monday when it falls on a weekend."""
    if day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    return day


def previous_weekday(day):
    """The day itself, or the Friday before when it falls on a weekend."""
    if day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4)
    return day


def event_day(days):
    """Today + days, moved to the following Monday when it falls on a weekend."""
    return next_weekday(timezone.localdate() + timedelta(days=days))


def local_datetime(day, hour_minute):
    """A Paris wall-clock time on that day, whatever the DST offset that day."""
    return datetime.combine(
        day, time(*hour_minute), tzinfo=timezone.get_current_timezone()
    )


def first_day(data):
    """The event's first day: no session of it may fall on a weekend or on a
    fixed public holiday; the whole event moves to a later day if one does."""
    day = event_day(data["day"])
    offsets = [s["day"] for s in data["sessions"]]
    while any(day_off(day + timedelta(days=o)) for o in offsets):
        day += timedelta(days=1)
    return day


def days_before(day, days_and_time):
    """`(days, (hour, minute))` before `day`, on a weekday, or None."""
    if days_and_time is None:
        return None
    days, hour_minute = days_and_time
    return local_datetime(previous_weekday(day - timedelta(days=days)), hour_minute)


def event_values(data, themes):
    day = first_day(data)
    sessions = [
        {
            "start": local_datetime(day + timedelta(days=s["day"]), s["start"]),
            "end": local_datetime(day + timedelta(days=s["day"]), s["end"]),
            "label": s["label"],
        }
        for s in data["sessions"]
    ]
    try:
        theme_pks = [themes[slug] for slug in data["themes"]]
    except KeyError as error:
        raise CommandError(
            f"No theme with the slug {error.args[0]!r}: run the migrations first."
        ) from None
    online = data["online"]
    opens = None
    if "opens" in data:
        # On a weekday: the following one, so never earlier than announced.
        days, hour_minute = data["opens"]
        opens = local_datetime(next_weekday(day - timedelta(days=days)), hour_minute)
    return {
        "title": data["title"],
        "kind": data["kind"],
        "audience": data["audience"],
        "lead": data["lead"],
        "themes": theme_pks,
        "sessions": sessions,
        # Also kept on the page (EventPage.save computes them from the sessions).
        "start": min(s["start"] for s in sessions),
        "end": max(s["end"] for s in sessions),
        "online": online,
        "online_link": data.get("online_link", ""),
        "venue": "" if online else data["venue"],
        "address": "" if online else data["address"],
        "postcode": "" if online else data["postcode"],
        "city": "" if online else data["city"],
        "region": "" if online else data["region"],
        "body": data["body"],
        "speakers": data.get("speakers", ""),
        "partners": data.get("partners", ""),
        "price_info": data.get("price_info", ""),
        "capacity": data.get("capacity"),
        "waitlist_enabled": data.get("waitlist_enabled", True),
        "seats_per_collectivity": data.get("seats_per_collectivity"),
        "registration_opens": opens,
        "registration_closes": days_before(day, data.get("closes")),
        "cancellation_deadline": days_before(day, data.get("cancellation")),
        "members_only": data.get("members_only", False),
        "registration_enabled": data.get("registration_enabled", True),
        "cancelled": False,
    }


# --- Pages -------------------------------------------------------------------------


@contextmanager
def participants_not_notified():
    """Publish event pages without emailing their participants.

    Demo dates follow today, so a rerun on a later day moves every demo event:
    no news for anybody. The `sequence` of a changed event still grows (in
    `pre_save`), so calendar feeds pick the new times up.
    """
    from events.signals import notify_participants_of_change

    disconnected = post_save.disconnect(notify_participants_of_change, sender=EventPage)
    try:
        yield
    finally:
        if disconnected:
            post_save.connect(notify_participants_of_change, sender=EventPage)


def seed_events(index, stats):
    """Create or update the demo events; return them by slug."""
    themes = dict(Theme.objects.values_list("slug", "pk"))
    pages = {}
    with participants_not_notified():
        for data in EVENTS:
            pages[data["slug"]] = upsert_page(
                index, EventPage, data["slug"], event_values(data, themes), stats
            )
    return pages


# --- Registrations -----------------------------------------------------------------


def registration_times(event, count, span):
    """When each of `count` people registered, in order: spread over the `span`
    days before today, or before registration closed when it has."""
    last = min(
        timezone.localdate(), timezone.localtime(registration_closes_at(event)).date()
    )
    times, first_of_day = [], {}
    for i in range(count):
        day = last - timedelta(days=span - (i * span) // count)
        # Later and later in the day, from a time that varies from day to day.
        first = first_of_day.setdefault(day, i)
        rank = first % 4 + i - first
        if rank >= len(REGISTRATION_TIMES):
            raise CommandError(f"{event.slug}: too many registrations a day.")
        times.append(local_datetime(day, REGISTRATION_TIMES[rank]))
    return times


def _wanted_registrations(data, event, people):
    """The wanted rows of one event, as dicts of Registration field values."""
    entries = data["registrations"]
    times = registration_times(event, len(entries), data.get("span", 14))
    wanted = []
    for entry, created_at in zip(entries, times, strict=True):
        person = people[entry["email"]]
        status = entry["status"]
        wanted.append(
            {
                "user": person["user"],
                "by": people[entry["by"]] if entry["by"] else None,
                "status": status,
                "collectivity_id": person["collectivity_id"],
                "registered_by_id": people[entry["by"]]["user"].pk
                if entry["by"]
                else None,
                "created_at": created_at,
                "confirmed_at": created_at if status != WAITLISTED else None,
                "waitlisted_at": created_at if status == WAITLISTED else None,
                "cancelled_at": created_at + timedelta(days=1)
                if status == CANCELLED
                else None,
                "attended": entry["attended"],
                "member": person["member"],
            }
        )
    return wanted


def check_registrations(event, wanted, *, now):
    """The rules `events.registration` enforces, applied to the demo data."""
    problems = []
    active = [w for w in wanted if w["status"] in ACTIVE_REGISTRATION_STATUSES]
    confirmed_count = sum(w["status"] == CONFIRMED for w in wanted)
    emails = [w["user"].email for w in wanted]
    if len(set(emails)) != len(emails):
        problems.append("a person is registered twice")
    if event.capacity is not None and confirmed_count > event.capacity:
        problems.append("more people confirmed than seats")
    if any(w["status"] == WAITLISTED for w in wanted) and (
        event.capacity is None
        or confirmed_count < event.capacity
        or not event.waitlist_enabled
    ):
        problems.append("people waiting while seats are free")
    if event.seats_per_collectivity:
        per_collectivity = {}
        for w in active:
            if w["collectivity_id"] is not None:
                key = w["collectivity_id"]
                per_collectivity[key] = per_collectivity.get(key, 0) + 1
        if any(n > event.seats_per_collectivity for n in per_collectivity.values()):
            problems.append("too many people of one collectivity")
    closes = registration_closes_at(event)
    deadline = cancellation_deadline(event)
    for w in wanted:
        who = w["user"].email
        if event.members_only and not w["member"]:
            problems.append(f"{who} is not a member")
        if not (w["created_at"] < min(now, closes)):
            problems.append(f"{who} registered after registration closed")
        if event.registration_opens and w["created_at"] < event.registration_opens:
            problems.append(f"{who} registered before registration opened")
        if w["cancelled_at"] and not w["cancelled_at"] < min(now, deadline):
            problems.append(f"{who} unregistered after the deadline")
        if w["attended"] is not None and (w["status"] != CONFIRMED or event.end > now):
            problems.append(f"{who}: attendance of a non-confirmed or future seat")
        by = w["by"]
        if by is not None and not (
            by["representative"] and by["collectivity_id"] == w["collectivity_id"]
        ):
            problems.append(f"{who} registered by someone not representing them")
    if problems:
        raise CommandError(f"Demo registrations of {event.slug}: {problems}")


def demo_people(emails):
    """By email: the user, the collectivity they would register with (their
    approved affiliation's), whether they are a member and represent it."""
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    missing = set(emails) - set(users)
    if missing:
        raise CommandError(
            f"No demo people {sorted(missing)}: seed the people first (members)."
        )
    affiliations = {
        a.user_id: a
        for a in Affiliation.objects.filter(
            user__in=users.values(), status=AffiliationStatus.APPROVED
        ).select_related("collectivity")
    }
    people = {}
    for email, user in users.items():
        affiliation = affiliations.get(user.pk)
        collectivity = affiliation.collectivity if affiliation else None
        people[email] = {
            "user": user,
            "collectivity_id": collectivity.pk if collectivity else None,
            "member": bool(
                collectivity
                and collectivity.live
                and collectivity.membership_status == MembershipStatus.ACTIVE
            ),
            "representative": bool(
                affiliation and affiliation.role == AffiliationRole.REPRESENTATIVE
            ),
        }
    return people


FIELDS = (
    "status",
    "collectivity_id",
    "registered_by_id",
    "created_at",
    "confirmed_at",
    "waitlisted_at",
    "cancelled_at",
    "attended",
)


def _existing_row(rows):
    """The row to update: the active one, else the latest cancelled one."""
    active = [r for r in rows if r.status in ACTIVE_REGISTRATION_STATUSES]
    return active[0] if active else max(rows, key=lambda r: r.pk, default=None)


def _seat_wanted(event, wanted, existing):
    """Confirm the wanted people while seats remain, counting the seats other
    people (registered on the demo site) hold; the others wait, in order."""
    if event.capacity is None:
        return wanted
    demo_users = {w["user"].pk for w in wanted}
    others = sum(
        1
        for rows in existing.values()
        for r in rows
        if r.status == CONFIRMED and r.user_id not in demo_users
    )
    left = event.capacity - others
    seated = []
    for w in wanted:
        if w["status"] == CONFIRMED:
            if left > 0:
                left -= 1
            else:
                w = {
                    **w,
                    "status": WAITLISTED,
                    "confirmed_at": None,
                    "waitlisted_at": w["created_at"],
                    "attended": None,
                }
        seated.append(w)
    return seated


def seed_registrations(events, stats):
    """Create or update the demo registrations of the events seeded by
    `seed_events` (by slug); return how many certificate codes were given."""
    from events.certificates import new_certificate_code

    now = timezone.now()
    emails = {
        e
        for data in EVENTS
        for r in data["registrations"]
        for e in (r["email"], r["by"])
    } - {None}
    people = demo_people(emails)
    codes = 0
    for data in EVENTS:
        event = events[data["slug"]]
        wanted = _wanted_registrations(data, event, people)
        check_registrations(event, wanted, now=now)
        existing = {}
        for row in Registration.objects.filter(event=event).order_by("pk"):
            existing.setdefault(row.user_id, []).append(row)
        for w in _seat_wanted(event, wanted, existing):
            row = _existing_row(existing.get(w["user"].pk, []))
            created = row is None
            if created:
                row = Registration(event=event, user=w["user"])
            changed = created
            for name in FIELDS:
                if getattr(row, name) != w[name]:
                    setattr(row, name, w[name])
                    changed = True
            if w["attended"] and not row.certificate_code:
                # Given once, like `registration_set_attendance`: never replaced.
                row.certificate_code = new_certificate_code()
                codes += 1
                changed = True
            if changed:
                row.save()
            stats.count(
                Registration,
                "created" if created else "updated" if changed else "unchanged",
            )
    return codes
