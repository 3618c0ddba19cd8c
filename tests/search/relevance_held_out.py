"""Held-out queries of the relevance suite: written as members type them by
someone who had read the corpus (`relevance_corpus`) but not the suite's own
queries, so that the engine is not tuned to the queries it is judged on.

Each query names the pages a member would want (any of them counts; title
prefixes), like `test_relevance_suite.JUDGED`. Kinds: typos, questions,
places, abbreviations, names, compounds, long sentences, capitals, missing
accents, English words of the trade.
"""

ACCUEIL = "Comment avez-vous organisé l'accueil des usagers"
ACCESSIBILITE = "Accessibilité numérique : publier son schéma"
ACHATS = "Cycle de webinaires : acheter du numérique responsable"
ATTAQUE = "Après l'attaque : reconstruire"
BRUNET = "Olivier Brunet"
CONSEILLERS_LANNION = "Inclusion numérique : ce que les conseillers numériques"
CYBER = "Cybersécurité : préparer sa collectivité"
DONNEES_COMMUNE = "Ouvrir les données de la commune"
DONNEES_PETITE = "Ouvrir ses données : par où commencer"
DPO = "Désigner un délégué à la protection des données"
ELUS_CYBER = "Les élus face à la cybersécurité"
EXERCICE_CRISE = "Un exercice de crise rançongiciel"
FEUILLE = "Écrire sa feuille de route numérique"
FORMATION_HAMECONNAGE = "Formation : sensibiliser les agents au hameçonnage"
FORMATION_RGPD = "Formation : le RGPD au quotidien"
FRANCE_SERVICES = "France services : accompagner sans faire à la place"
GIRONDE_ENTRETIEN = "Inclusion numérique en milieu rural : le Département"
IA = "L'intelligence artificielle au service de l'accueil"
LE_DU = "« Aller vers ceux qui ne poussent plus la porte »"
LE_FLOCH = "Gaëlle Le Floch"
MEDIATION_LANNION = "Médiation numérique : la ville ouvre trois lieux"
METROPOLE = "Entretien : une métropole qui mise sur les services numériques"
MORMAL_TIERS_LIEU = "Un tiers-lieu numérique dans une ancienne école"
PORTAIL = "Refondre son portail de données ouvertes"
QUEMENER = "Anne-Laure Quéméner"
SOBRIETE = "Sobriété numérique : allonger la durée de vie"
SOBRIETE_GIRONDE = "Un plan de sobriété numérique pour les services du Département"
SOBRIETE_PLAN = "Sobriété numérique : le plan d'action"
TABLE_IA = "Table ronde : l'intelligence artificielle"
TIERS_LIEU_RURAL = "Ouvrir un tiers-lieu numérique en milieu rural"
TIERS_LIEUX = "Tiers-lieux : des lieux ressources"
VISIO_ARTICLE = "Un visio-guichet dans les mairies rurales"
VISIO_PRATIQUE = "Des bornes de visio-guichet France services"
WEBINAIRE_ACCESSIBILITE = "Webinaire : rédiger sa déclaration d'accessibilité"
WEBINAIRE_DPO = "Webinaire : mutualiser un délégué"
WEBINAIRE_NR = "Webinaire : écrire sa stratégie numérique responsable"

HELD_OUT = [
    # Typos and missing accents.
    (
        "reconditionement ordinateurs",
        (SOBRIETE, SOBRIETE_PLAN, "Communauté d'agglomération du Grand Annecy"),
    ),
    ("videoprotection rgpd", (DPO, FORMATION_RGPD)),
    ("taux de conformite accessibilite", (WEBINAIRE_ACCESSIBILITE, ACCESSIBILITE)),
    ("gaz a effet de serre", (SOBRIETE_GIRONDE,)),
    ("quemener brest", (QUEMENER,)),
    # Capitals.
    ("SOBRIETE NUMERIQUE COLLECTIVITE", (SOBRIETE, SOBRIETE_GIRONDE, SOBRIETE_PLAN)),
    ("ECOLES MATERIEL RECONDITIONNE", ("Ville de Loos-en-Gohelle",)),
    # Abbreviations and acronyms.
    ("loi REEN", (SOBRIETE, WEBINAIRE_NR, SOBRIETE_GIRONDE)),
    ("PCA informatique", (CYBER, EXERCICE_CRISE)),
    ("DPD mutualisé", (DPO, WEBINAIRE_DPO)),
    ("audit RGAA", (ACCESSIBILITE, WEBINAIRE_ACCESSIBILITE)),
    ("MSAP", (FRANCE_SERVICES, VISIO_PRATIQUE, ACCUEIL)),
    ("DSI mutualisée", (BRUNET,)),
    # English words of the trade.
    ("datacenter consommation", (SOBRIETE_PLAN, SOBRIETE_GIRONDE)),
    ("opendata lyon", (PORTAIL, "Métropole de Lyon")),
    ("phishing", (FORMATION_HAMECONNAGE,)),
    ("chatbot", (IA, TABLE_IA)),
    ("webinar sobriété", (WEBINAIRE_NR, ACHATS)),
    ("hébergement cloud des applications métiers", ("Lannion-Trégor Communauté",)),
    ("capteurs smart city", ("Métropole Nice Côte d'Azur", "Angers Loire Métropole")),
    ("fablab", (MORMAL_TIERS_LIEU, TIERS_LIEUX)),
    # Compounds and phrases.
    ("coworking dans une école", (MORMAL_TIERS_LIEU, TIERS_LIEU_RURAL)),
    ("publier nos données sur data.gouv.fr", (DONNEES_COMMUNE, DONNEES_PETITE)),
    ("API temps reel velos", (PORTAIL,)),
    ("IA generative charte", (IA,)),
    ("aidants connect", (FRANCE_SERVICES,)),
    ("logiciel libre", ("Ville de Grenoble",)),
    ("fibre optique", ("Mégalis Bretagne", "Région Guadeloupe")),
    ("lycéens ordinateurs portables", ("Région Normandie",)),
    ("schéma directeur numérique", (FEUILLE,)),
    # Places.
    ("Landrecies", (MORMAL_TIERS_LIEU, "Communauté de communes du Pays de Mormal")),
    ("numérique dans le 29", ("Brest métropole", LE_DU, QUEMENER)),
    (
        "Cotes d Armor",
        (
            "Ville de Lannion",
            "Lannion-Trégor Communauté",
            CONSEILLERS_LANNION,
            "Rencontre régionale Bretagne",
            LE_FLOCH,
        ),
    ),
    (
        "33000",
        ("Congrès annuel du Réseau Retex à Bordeaux", "Département de la Gironde"),
    ),
    (
        "la reunion",
        (
            "Communauté intercommunale du Nord de La Réunion",
            "Ville de Saint-Denis (La Réunion)",
        ),
    ),
    ("formation rgpd nantes", (FORMATION_RGPD,)),
    # Names.
    ("Karine Dognin Sauze", (METROPOLE,)),
    # Questions and long sentences.
    ("ransomware que faire", (ATTAQUE, CYBER, EXERCICE_CRISE, ELUS_CYBER)),
    ("mot de passe messagerie piraté", (ATTAQUE, ELUS_CYBER)),
    ("notifier une violation de données à la CNIL", (FORMATION_RGPD, ATTAQUE)),
    ("rendez-vous à distance avec la CAF", (VISIO_PRATIQUE, VISIO_ARTICLE)),
    ("pourquoi le visioguichet a été abandonné", (VISIO_PRATIQUE,)),
    (
        "comment pérenniser les postes de conseillers numériques quand le "
        "financement s'arrête",
        (LE_FLOCH, CONSEILLERS_LANNION),
    ),
    (
        "nos permanences numériques débordent, faut-il passer sur rendez-vous ?",
        (ACCUEIL, LE_FLOCH),
    ),
    (
        "illectronisme",
        (
            CONSEILLERS_LANNION,
            MEDIATION_LANNION,
            FRANCE_SERVICES,
            GIRONDE_ENTRETIEN,
            LE_FLOCH,
            ACCUEIL,
            TIERS_LIEUX,
            LE_DU,
        ),
    ),
]
