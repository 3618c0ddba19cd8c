"""French text for the benchmark corpus: titles, leads, bodies and names.

Search, snippets and page weight only mean something on text that looks like
the real thing: French sentences of realistic length about the network's
subjects, with its vocabulary (médiation numérique, rançongiciel, tiers-lieu…),
accents, elisions and quotes. Sentences are built from templates and
vocabulary lists once, into a pool per theme; pages then draw from the pool of
their themes, which keeps the generation of 20,000 pages of 400 to 1,500 words
down to seconds while giving each page a different text.

Everything is drawn from a `random.Random` passed in, so a seed gives the same
corpus every time.
"""

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    """What a theme talks about: singular subjects ("la médiation numérique"),
    what it achieves (infinitive phrases) and the words people search for."""

    subjects: tuple[str, ...]
    benefits: tuple[str, ...]
    keywords: tuple[str, ...]
    practices: tuple[str, ...] = field(default=())


TOPICS = {
    "inclusion-numerique": Topic(
        subjects=(
            "la médiation numérique",
            "l'accompagnement des habitants éloignés du numérique",
            "le réseau des conseillers numériques",
            "l'espace France services",
            "le Pass numérique",
            "la lutte contre l'illectronisme",
            "l'atelier d'initiation aux démarches en ligne",
        ),
        benefits=(
            "accompagner les personnes âgées dans leurs démarches en ligne",
            "réduire le non-recours aux droits sociaux",
            "toucher les habitants des quartiers prioritaires",
            "former les secrétaires de mairie à l'orientation du public",
            "proposer des permanences sans rendez-vous au plus près des habitants",
        ),
        keywords=("inclusion", "médiation", "illectronisme", "accompagnement"),
        practices=(
            "Un bus numérique itinérant dans les villages",
            "Des permanences de médiation numérique en mairie",
            "Un réseau de lieux de médiation à l'échelle intercommunale",
        ),
    ),
    "e-administration": Topic(
        subjects=(
            "la dématérialisation des démarches",
            "le guichet numérique des autorisations d'urbanisme",
            "la gestion de la relation citoyen",
            "le portail famille",
            "la signature électronique des actes",
            "la téléprocédure d'état civil",
        ),
        benefits=(
            "réduire les délais de traitement des demandes",
            "simplifier les démarches des habitants",
            "libérer du temps d'accueil pour les situations complexes",
            "suivre chaque demande de son dépôt à sa réponse",
        ),
        keywords=("dématérialisation", "démarches", "téléservice", "guichet"),
        practices=(
            "Un guichet unique pour les demandes d'urbanisme",
            "La dématérialisation des inscriptions scolaires",
            "Un portail citoyen mutualisé entre communes",
        ),
    ),
    "cybersecurite": Topic(
        subjects=(
            "la cybersécurité",
            "la sauvegarde hors ligne des données",
            "le plan de continuité d'activité",
            "la sensibilisation des agents au hameçonnage",
            "l'exercice de crise cyber",
            "la double authentification des comptes",
        ),
        benefits=(
            "se préparer à une attaque par rançongiciel",
            "restaurer les services essentiels en quelques jours",
            "réduire la surface d'attaque du système d'information",
            "respecter les recommandations de l'ANSSI",
        ),
        keywords=("cybersécurité", "rançongiciel", "sauvegarde", "ANSSI"),
        practices=(
            "Un exercice de crise cyber grandeur nature",
            "Des sauvegardes déconnectées pour toutes les communes",
            "Un parcours de sensibilisation des agents à la cybersécurité",
        ),
    ),
    "sobriete-numerique": Topic(
        subjects=(
            "la sobriété numérique",
            "le réemploi du matériel informatique",
            "l'allongement de la durée de vie des équipements",
            "l'écoconception des services numériques",
            "la mesure de l'empreinte environnementale du numérique",
        ),
        benefits=(
            "réduire l'empreinte carbone du parc informatique",
            "limiter les achats de matériel neuf",
            "donner une seconde vie aux ordinateurs des écoles",
            "alléger les pages du site internet de la ville",
        ),
        keywords=("sobriété", "réemploi", "empreinte", "écoconception"),
        practices=(
            "Une filière locale de reconditionnement des ordinateurs",
            "Un plan de sobriété numérique pour les services",
        ),
    ),
    "donnees": Topic(
        subjects=(
            "l'ouverture des données publiques",
            "la gouvernance de la donnée",
            "le portail open data",
            "la qualité des données de référence",
            "la protection des données personnelles",
            "le registre des traitements",
        ),
        benefits=(
            "publier les données en open data sous licence ouverte",
            "piloter les politiques publiques à partir d'indicateurs fiables",
            "se mettre en conformité avec le RGPD",
            "partager les données avec les communes membres",
        ),
        keywords=("données", "open data", "RGPD", "gouvernance"),
        practices=(
            "Un portail open data mutualisé",
            "Un délégué à la protection des données partagé entre communes",
        ),
    ),
    "smart-city": Topic(
        subjects=(
            "la gestion intelligente de l'éclairage public",
            "la télérelève des compteurs d'eau",
            "l'hyperviseur urbain",
            "le pilotage énergétique des bâtiments",
            "le jumeau numérique du territoire",
        ),
        benefits=(
            "réduire la facture énergétique des bâtiments communaux",
            "détecter les fuites sur le réseau d'eau",
            "mieux coordonner les interventions des services techniques",
        ),
        keywords=("smart city", "capteurs", "éclairage", "énergie"),
        practices=(
            "Un éclairage public piloté à distance",
            "La télérelève des compteurs d'eau de la régie",
        ),
    ),
    "education-numerique": Topic(
        subjects=(
            "l'équipement numérique des écoles",
            "l'environnement numérique de travail",
            "la formation des enseignants aux outils numériques",
            "l'éducation aux médias et à l'information",
        ),
        benefits=(
            "équiper toutes les classes de l'élémentaire",
            "accompagner les enseignants dans leurs usages",
            "sensibiliser les élèves aux risques des réseaux sociaux",
        ),
        keywords=("école", "élèves", "enseignants", "ENT"),
        practices=(
            "Des classes mobiles dans les écoles rurales",
            "Un plan numérique pour les écoles de la commune",
        ),
    ),
    "attractivite": Topic(
        subjects=(
            "l'attractivité du territoire",
            "le tiers-lieu numérique",
            "l'espace de coworking intercommunal",
            "le marketing territorial",
            "l'accueil des télétravailleurs",
        ),
        benefits=(
            "attirer de nouveaux actifs en zone rurale",
            "soutenir les commerces de centre-bourg",
            "créer un lieu de rencontre entre entrepreneurs",
        ),
        keywords=("tiers-lieu", "coworking", "attractivité", "télétravail"),
        practices=(
            "Un tiers-lieu dans une ancienne gare",
            "Un espace de coworking en centre-bourg",
        ),
    ),
    "mobilite": Topic(
        subjects=(
            "l'information voyageurs en temps réel",
            "le covoiturage du quotidien",
            "la billettique sans contact",
            "le transport à la demande",
        ),
        benefits=(
            "désenclaver les communes rurales",
            "simplifier l'achat des titres de transport",
            "réduire l'usage de la voiture individuelle",
        ),
        keywords=("mobilité", "transport", "covoiturage", "billettique"),
        practices=("Un service de transport à la demande réservable en ligne",),
    ),
    "sante": Topic(
        subjects=(
            "la télémédecine",
            "le centre de santé connecté",
            "la téléconsultation en pharmacie",
            "le maintien à domicile des personnes âgées",
        ),
        benefits=(
            "lutter contre les déserts médicaux",
            "faciliter l'accès aux spécialistes",
            "rompre l'isolement des personnes âgées",
        ),
        keywords=("santé", "télémédecine", "téléconsultation", "médecins"),
        practices=("Une cabine de téléconsultation en mairie",),
    ),
    "tourisme": Topic(
        subjects=(
            "la promotion touristique en ligne",
            "la billetterie des équipements culturels",
            "la valorisation numérique du patrimoine",
        ),
        benefits=(
            "allonger la saison touristique",
            "faire découvrir le patrimoine autrement",
            "mieux connaître la fréquentation des sites",
        ),
        keywords=("tourisme", "patrimoine", "visiteurs", "billetterie"),
        practices=("Un parcours patrimonial en réalité augmentée",),
    ),
    "infrastructures": Topic(
        subjects=(
            "le déploiement de la fibre optique",
            "la couverture mobile des zones blanches",
            "le réseau d'initiative publique",
            "l'hébergement mutualisé des serveurs",
        ),
        benefits=(
            "raccorder les zones d'activité au très haut débit",
            "résorber les zones blanches de téléphonie mobile",
            "mutualiser l'hébergement des applications métiers",
        ),
        keywords=("fibre", "très haut débit", "réseau", "couverture"),
        practices=("Un réseau d'initiative publique pour les zones rurales",),
    ),
}

PLACES = (
    "Dans notre commune",
    "Sur le territoire intercommunal",
    "À l'échelle du département",
    "Dans les petites communes rurales",
    "Dans les quartiers prioritaires de la ville",
    "Au sein de la métropole",
    "Dans la communauté d'agglomération",
)
ACTORS = (
    "les agents d'accueil",
    "les élus",
    "la direction des systèmes d'information",
    "le service informatique mutualisé",
    "les habitants",
    "les associations locales",
    "les secrétaires de mairie",
    "le centre communal d'action sociale",
    "les communes membres",
    "la médiathèque",
    "le centre de gestion",
    "les partenaires de l'État",
)
# Plural groups, for sentences whose verb agrees with them.
GROUPS = (
    "les agents d'accueil",
    "les élus",
    "les habitants",
    "les secrétaires de mairie",
    "les communes membres",
    "les associations locales",
    "les conseillers numériques",
)
FUNDERS = (
    "France Relance",
    "la dotation de soutien à l'investissement local",
    "la région",
    "le département",
    "des fonds européens",
    "la Banque des territoires",
)
DIFFICULTIES = (
    "le manque de temps des équipes",
    "la résistance au changement",
    "la faible couverture réseau de certaines communes",
    "le coût des licences logicielles",
    "la difficulté à recruter des profils techniques",
    "la coordination entre services",
)
SOLUTIONS = (
    "un accompagnement au plus près des services",
    "la mutualisation avec les communes voisines",
    "un calendrier de déploiement par étapes",
    "une formation courte et répétée des agents",
    "le soutien d'un prestataire local",
    "un groupe de travail ouvert aux habitants",
)
INDICATORS = (
    "le nombre de démarches traitées",
    "le délai moyen de réponse",
    "le taux de satisfaction des usagers",
    "le nombre de personnes accompagnées",
    "le coût par habitant",
    "la consommation d'énergie",
)
BENEFICIARIES = ("habitants", "agents", "usagers", "familles", "élèves", "entreprises")
ROLES = (
    "la maire",
    "le maire",
    "l'adjointe au numérique",
    "le vice-président délégué au numérique",
    "la directrice générale des services",
    "le directeur des systèmes d'information",
    "la cheffe de projet",
    "le chargé de mission numérique",
    "la responsable de la sécurité des systèmes d'information",
)
QUOTES = (
    "le numérique doit rester un moyen au service des habitants, jamais une fin",
    "nous avons commencé petit, avec les services volontaires, et cela a tout changé",
    "sans les agents de terrain, rien n'aurait été possible",
    "il faut accepter de se tromper et de corriger vite",
    "mutualiser, c'est la seule façon pour une petite commune d'avancer",
    "les habitants nous ont appris plus que n'importe quelle étude",
    "la sécurité n'est pas un sujet technique, c'est un sujet d'organisation",
    "nous avons gagné des mois en reprenant la démarche d'une collectivité voisine",
)

SENTENCES = (
    "{place}, {subject} a permis de {benefit} en moins de {months} mois.",
    "Le projet a d'abord associé {actor} et {actor2}, avant d'être étendu à "
    "l'ensemble des services.",
    "Pour financer {subject}, la collectivité a mobilisé {amount} euros, dont une "
    "partie apportée par {funder}.",
    "{Group} insistent sur l'importance de {subject} dès le lancement du projet.",
    "Le principal écueil a été {difficulty}, surmonté grâce à {solution}.",
    "Aujourd'hui, plus de {number} {beneficiaries} bénéficient de {subject}.",
    "La question de {subject} s'est imposée lors de l'élaboration de la feuille de "
    "route numérique adoptée en {year}.",
    "Selon {role}, « {quote} ».",
    "Un comité de pilotage réunit chaque trimestre {actor}, {actor2} et les "
    "partenaires du projet.",
    "Les résultats sont suivis à l'aide de trois indicateurs : {indicator}, "
    "{indicator2} et {indicator3}.",
    "L'objectif affiché est clair : {benefit}, sans laisser personne de côté.",
    "{place}, la démarche a commencé par un diagnostic partagé avec {actor}.",
    "En {year}, la collectivité a choisi de {benefit}, en s'appuyant sur {subject}.",
    "Plusieurs collectivités du réseau ont déjà mené des projets comparables, ce qui "
    "a permis d'éviter bien des erreurs.",
    "Le cahier des charges a été rédigé avec {actor}, puis soumis à l'avis de "
    "{actor2}.",
    "Il a fallu près de {months} mois pour que {subject} trouve sa place dans "
    "l'organisation des services.",
    "La mutualisation avec {actor2} a réduit les coûts d'environ {percent} %.",
    "Chaque étape a donné lieu à un bilan, publié sur le site de la collectivité.",
    "{Group} ont été formés en petits groupes, sur des créneaux courts.",
    "Le retour d'expérience montre que {subject} demande un portage politique fort.",
)
CONCLUSIONS = (
    "La collectivité prévoit d'étendre le dispositif aux communes voisines.",
    "Une évaluation complète est prévue à la fin de l'année.",
    "L'équipe se tient à la disposition des membres du réseau pour partager ses "
    "documents.",
    "Le projet sera présenté lors du prochain congrès du réseau.",
)
HEADINGS = (
    "Le contexte",
    "Les objectifs",
    "Ce qui a été fait",
    "Les résultats",
    "Les enseignements",
    "Les difficultés rencontrées",
    "Le financement",
    "Les partenaires",
    "Et maintenant ?",
    "Pour aller plus loin",
)
ARTICLE_TITLES = (
    "{Subject} : ce que les collectivités en retiennent",
    "{Subject} : les clés pour réussir",
    "{Subject} : {number} enseignements du terrain",
    "Comment les collectivités font de {subject} une priorité",
    "{Subject} : où en sont les collectivités en {year} ?",
    "{Subject}, mode d'emploi pour les petites communes",
    "Pourquoi {subject} change la relation aux habitants",
)
INTERVIEW_TITLES = (
    "« {Quote} »",
    "{Name} : « {Quote} »",
)
QUESTIONS = (
    "Pourquoi avoir fait de {subject} une priorité ?",
    "Quels ont été les principaux obstacles ?",
    "Comment avez-vous associé les habitants et les agents ?",
    "Quel budget avez-vous consacré à ce projet ?",
    "Quels conseils donneriez-vous à une collectivité qui se lance ?",
    "Comment mesurez-vous les résultats ?",
    "Qu'auriez-vous fait différemment ?",
    "Et la suite ?",
)
EVENT_TITLES = {
    "formation": (
        "Formation : {subject}",
        "Se former à {subject}",
        "Formation des élus : {subject}",
    ),
    "table-ronde": (
        "Table ronde : {subject}, quels retours d'expérience ?",
        "Table ronde : {subject} dans les territoires",
    ),
    "rencontre": (
        "Rencontre régionale : {subject}",
        "Rencontre des membres : {subject}",
    ),
    "webinaire": ("Webinaire : {subject} en pratique", "Webinaire : {subject}"),
    "congres": ("Congrès du réseau : {subject}",),
}

FIRST_NAMES = (
    "Camille",
    "Claire",
    "Sophie",
    "Nathalie",
    "Isabelle",
    "Martine",
    "Catherine",
    "Anne",
    "Julie",
    "Sandrine",
    "Céline",
    "Émilie",
    "Aurélie",
    "Hélène",
    "Valérie",
    "Gwenaëlle",
    "Maëlle",
    "Chloé",
    "Léa",
    "Manon",
    "Inès",
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Nicolas",
    "Christophe",
    "Laurent",
    "Stéphane",
    "Frédéric",
    "Olivier",
    "Thierry",
    "Éric",
    "David",
    "Julien",
    "Sébastien",
    "Yann",
    "Mathieu",
    "Hugo",
    "Lucas",
    "Karim",
    "Mehdi",
    "Youssef",
    "Thomas",
    "Antoine",
    "Benoît",
    "Gaël",
    "François",
    "Loïc",
    "Jérôme",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefèvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Le Goff",
    "Le Gall",
    "Tanguy",
    "Guillou",
    "Kerbrat",
    "Castagné",
    "Lefeuvre",
    "Moulin",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
)
FUNCTIONS = (
    "maire",
    "adjointe au numérique",
    "adjoint chargé de la transformation numérique",
    "vice-présidente déléguée au numérique",
    "conseiller municipal délégué à l'inclusion numérique",
    "directrice générale des services",
    "directeur des systèmes d'information",
    "cheffe de projet numérique",
    "chargé de mission données",
    "responsable de la sécurité des systèmes d'information",
    "conseillère numérique",
    "secrétaire de mairie",
)
VENUES = (
    "Salle du conseil",
    "Maison des associations",
    "Centre de congrès",
    "Hôtel de région",
    "Médiathèque",
    "Tiers-lieu La Fabrique",
)


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


class TextPool:
    """Sentences per theme, built once and drawn from for every page."""

    def __init__(self, rng: random.Random, *, per_theme: int = 400):
        self.rng = rng
        self.sentences = {
            slug: [self._sentence(topic) for _ in range(per_theme)]
            for slug, topic in TOPICS.items()
        }

    def _values(self, topic: Topic) -> dict:
        rng = self.rng
        actor, actor2 = rng.sample(ACTORS, 2)
        indicators = rng.sample(INDICATORS, 3)
        return {
            "place": rng.choice(PLACES),
            "subject": rng.choice(topic.subjects),
            "benefit": rng.choice(topic.benefits),
            "months": rng.randint(3, 36),
            "actor": actor,
            "Group": capitalize(rng.choice(GROUPS)),
            "actor2": actor2,
            "amount": f"{rng.randint(5, 900) * 1000:,}".replace(",", "\u202f"),
            "funder": rng.choice(FUNDERS),
            "difficulty": rng.choice(DIFFICULTIES),
            "solution": rng.choice(SOLUTIONS),
            "number": rng.choice((150, 300, 500, 1200, 2500, 8000)),
            "beneficiaries": rng.choice(BENEFICIARIES),
            "year": rng.randint(2016, 2025),
            "role": rng.choice(ROLES),
            "quote": rng.choice(QUOTES),
            "indicator": indicators[0],
            "indicator2": indicators[1],
            "indicator3": indicators[2],
            "percent": rng.randint(10, 45),
        }

    def _sentence(self, topic: Topic) -> str:
        return self.rng.choice(SENTENCES).format(**self._values(topic))

    def paragraph(self, themes: list[str], sentences: int) -> str:
        pools = [self.sentences[slug] for slug in themes if slug in self.sentences]
        pools = pools or list(self.sentences.values())
        return " ".join(
            self.rng.choice(self.rng.choice(pools)) for _ in range(sentences)
        )

    def paragraphs(self, themes: list[str], words: int) -> list[str]:
        """Paragraphs of 3 to 7 sentences until about `words` words."""
        result, count = [], 0
        while count < words:
            text = self.paragraph(themes, self.rng.randint(3, 7))
            result.append(text)
            count += text.count(" ") + 1
        result.append(self.rng.choice(CONCLUSIONS))
        return result

    # --- Titles and leads ----------------------------------------------------------

    def topic(self, theme: str) -> Topic:
        return TOPICS.get(theme) or self.rng.choice(list(TOPICS.values()))

    def article_title(self, theme: str) -> str:
        subject = self.rng.choice(self.topic(theme).subjects)
        return capitalize(
            self.rng.choice(ARTICLE_TITLES).format(
                subject=subject,
                Subject=capitalize(subject),
                number=self.rng.randint(3, 10),
                year=self.rng.randint(2019, 2026),
            )
        )

    def interview_title(self, name: str) -> str:
        quote = capitalize(self.rng.choice(QUOTES))
        return self.rng.choice(INTERVIEW_TITLES).format(Quote=quote, Name=name)

    def practice_title(self, theme: str, place: str) -> str:
        topic = self.topic(theme)
        base = self.rng.choice(topic.practices or topic.subjects)
        return f"{capitalize(base)} à {place}"

    def event_title(self, kind: str, theme: str) -> str:
        subject = self.rng.choice(self.topic(theme).subjects)
        return self.rng.choice(EVENT_TITLES[kind]).format(subject=subject)

    def lead(self, theme: str) -> str:
        topic = self.topic(theme)
        return capitalize(
            f"{self.rng.choice(PLACES).lower()}, {self.rng.choice(topic.subjects)} "
            f"aide à {self.rng.choice(topic.benefits)}. Retour sur la démarche, ses "
            f"résultats et ses limites, avec {self.rng.choice(ACTORS)}."
        )

    def question(self, theme: str) -> str:
        subject = self.rng.choice(self.topic(theme).subjects)
        return self.rng.choice(QUESTIONS).format(subject=subject)

    def quote(self) -> str:
        return capitalize(self.rng.choice(QUOTES)) + "."
