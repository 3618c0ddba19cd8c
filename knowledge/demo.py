"""Demo knowledge pages for `seed_demo`: articles across the network's themes."""

from datetime import timedelta

from django.utils import timezone

from knowledge.models import ArticlePage
from retex.demo import callout, heading, paragraph, quote, upsert_page

# --- Articles ----------------------------------------------------------------------

ARTICLES = (
    {
        "slug": "conseillers-numeriques-lannion",
        "title": "Inclusion numérique : ce que les conseillers numériques ont changé "
        "à Lannion",
        "days_ago": 12,
        "lead": (
            "Permanences en mairie, ateliers en médiathèque, accompagnement des "
            "démarches en ligne : retour sur trois ans de médiation numérique dans "
            "une ville moyenne des Côtes-d'Armor."
        ),
        "body": (
            paragraph(
                "<p>Lancé en 2021 dans le cadre de France Relance, le dispositif "
                "Conseillers numériques a permis à de nombreuses collectivités de "
                "recruter des médiateurs chargés d'accompagner les habitants "
                "éloignés du numérique. À Lannion, deux conseillers se partagent "
                "les permanences entre la mairie, la médiathèque et les "
                "quartiers.</p>"
            ),
            heading("Aller vers les habitants"),
            paragraph(
                "<p>Plutôt que d'attendre le public, l'équipe a choisi de se "
                "déplacer : ateliers dans les résidences pour personnes âgées, "
                "présence au marché, permanences communes avec le centre communal "
                "d'action sociale.</p>"
            ),
            quote(
                "Les gens ne viennent pas pour apprendre l'informatique : ils "
                "viennent parce qu'ils doivent déclarer leurs revenus ou prendre un "
                "rendez-vous médical. C'est de là qu'il faut partir.",
                "Gwenaëlle Tanguy",
                "conseillère numérique",
            ),
            heading("Ce qui a marché, ce qui reste à faire"),
            paragraph(
                "<ul><li>des créneaux courts et sans rendez-vous ;</li>"
                "<li>un annuaire commun des lieux de médiation du territoire ;</li>"
                "<li>reste à pérenniser le financement des postes.</li></ul>"
            ),
            callout(
                "À retenir",
                "<p>Associer dès le départ le CCAS et les travailleurs sociaux "
                "permet d'orienter les habitants vers le bon interlocuteur.</p>",
                kind="tip",
            ),
        ),
    },
    {
        "slug": "cybersecurite-rancongiciel",
        "title": "Cybersécurité : préparer sa collectivité à une attaque par "
        "rançongiciel",
        "days_ago": 45,
        "lead": (
            "Les collectivités sont devenues des cibles régulières des "
            "rançongiciels. Sauvegardes, exercices de crise, sensibilisation des "
            "agents : les mesures qui font la différence le jour de l'attaque."
        ),
        "body": (
            paragraph(
                "<p>Un lundi matin, plus aucun poste ne démarre et un message "
                "réclame une rançon. Ce scénario, plusieurs collectivités membres "
                "l'ont vécu. Toutes disent la même chose : la préparation compte "
                "plus que les outils.</p>"
            ),
            heading("Des sauvegardes déconnectées et testées"),
            paragraph(
                "<p>Une sauvegarde accessible depuis le réseau sera chiffrée avec "
                "le reste. Gardez au moins une copie hors ligne et vérifiez "
                "régulièrement que la restauration fonctionne.</p>"
            ),
            heading("Un plan de continuité écrit à l'avance"),
            paragraph(
                "<p>Paie des agents, état civil, cantine : listez les services "
                "essentiels et la manière de les assurer sans informatique pendant "
                "plusieurs semaines.</p>"
            ),
            callout(
                "Ressources utiles",
                "<p>L'ANSSI publie des guides destinés aux collectivités et le "
                "dispositif Cybermalveillance.gouv.fr oriente les victimes vers des "
                "prestataires de proximité.</p>",
            ),
            quote(
                "Le plus dur n'a pas été technique : il a fallu expliquer aux "
                "habitants pourquoi la mairie ne pouvait plus délivrer un acte de "
                "naissance.",
                "Thierry Ménard",
                "directeur général des services",
            ),
        ),
    },
    {
        "slug": "sobriete-numerique-parc-informatique",
        "title": "Sobriété numérique : allonger la durée de vie du parc informatique",
        "days_ago": 90,
        "lead": (
            "La fabrication des équipements concentre l'essentiel de l'empreinte "
            "environnementale du numérique. Garder ses ordinateurs plus longtemps "
            "est le premier levier d'une stratégie numérique responsable."
        ),
        "body": (
            paragraph(
                "<p>La loi du 15 novembre 2021 visant à réduire l'empreinte "
                "environnementale du numérique (dite loi REEN) demande aux "
                "communes et intercommunalités de plus de 50 000 habitants de "
                "définir une stratégie numérique responsable.</p>"
            ),
            heading("Passer de quatre à sept ans"),
            paragraph(
                "<p>Plusieurs membres ont allongé le cycle de renouvellement de "
                "leurs postes de travail en remplaçant les disques par des SSD et "
                "en ajoutant de la mémoire, pour un coût bien inférieur à un "
                "ordinateur neuf.</p>"
            ),
            heading("Donner une seconde vie aux équipements"),
            paragraph(
                "<p>Les ordinateurs retirés du parc peuvent être reconditionnés "
                "et donnés à des associations ou à des familles accompagnées par "
                "les conseillers numériques.</p>"
            ),
            callout(
                "Attention",
                "<p>Avant tout don, les disques doivent être effacés de manière "
                "sûre : ils contiennent des données personnelles.</p>",
                kind="warning",
            ),
        ),
    },
    {
        "slug": "ouvrir-ses-donnees-petite-collectivite",
        "title": "Ouvrir ses données : par où commencer quand on est une petite "
        "collectivité",
        "days_ago": 150,
        "lead": (
            "Budget, délibérations, équipements publics : publier ses premiers jeux "
            "de données ne demande ni data scientist ni plateforme coûteuse."
        ),
        "body": (
            paragraph(
                "<p>Depuis la loi pour une République numérique de 2016, les "
                "collectivités de plus de 3 500 habitants et de plus de 50 agents "
                "doivent publier en ligne leurs principaux documents et données. "
                "Beaucoup ne savent pas par où commencer.</p>"
            ),
            heading("Commencer par trois jeux de données"),
            paragraph(
                "<ol><li>le budget primitif et le compte administratif ;</li>"
                "<li>la liste des délibérations ;</li><li>la localisation des "
                "équipements publics.</li></ol>"
            ),
            heading("S'appuyer sur les schémas communs"),
            paragraph(
                "<p>Utiliser les schémas de données partagés sur schema.data.gouv.fr "
                "rend vos fichiers comparables avec ceux des autres collectivités "
                "et réutilisables par les services de l'État.</p>"
            ),
            quote(
                "Notre premier jeu de données, c'était un simple tableur des "
                "horaires d'ouverture. Il est aujourd'hui repris par trois "
                "applications.",
                "Sophie Arnaud",
                "chargée de mission données",
            ),
        ),
    },
    {
        "slug": "france-services-accompagner-sans-faire-a-la-place",
        "title": "France services : accompagner sans faire à la place",
        "days_ago": 210,
        "lead": (
            "Dans les espaces France services, les agents aident chaque jour des "
            "usagers à réaliser leurs démarches en ligne. Où s'arrête "
            "l'accompagnement, où commence le « faire pour » ?"
        ),
        "body": (
            paragraph(
                "<p>Le réseau France services rassemble en un même lieu plusieurs "
                "services publics nationaux et locaux. Les intercommunalités "
                "rurales membres du réseau en portent une grande partie.</p>"
            ),
            heading("Trois niveaux d'accompagnement"),
            paragraph(
                "<ul><li>informer et orienter ;</li><li>faire avec l'usager, à son "
                "rythme ;</li><li>faire pour l'usager, avec son accord, quand il "
                "ne peut pas faire seul.</li></ul>"
            ),
            heading("Le mandat Aidants Connect"),
            paragraph(
                "<p>Le service public Aidants Connect permet à un aidant habilité "
                "de réaliser une démarche au nom d'un usager, dans un cadre "
                "sécurisé, sans que celui-ci ait à lui confier ses identifiants.</p>"
            ),
            callout(
                "Conseil",
                "<p>Formez tous les agents d'accueil, pas seulement les conseillers "
                "France services : l'usager pose souvent sa question au premier "
                "guichet venu.</p>",
                kind="tip",
            ),
        ),
    },
    {
        "slug": "feuille-de-route-numerique-en-six-mois",
        "title": "Écrire sa feuille de route numérique en six mois",
        "days_ago": 300,
        "lead": (
            "Diagnostic, priorités, calendrier, budget : la méthode suivie par une "
            "communauté de communes du Nord pour bâtir sa feuille de route "
            "numérique avec les élus et les agents."
        ),
        "body": (
            heading("Un diagnostic partagé"),
            paragraph(
                "<p>Le projet a commencé par un questionnaire adressé à tous les "
                "services et par des entretiens avec les maires des communes "
                "membres, pour recenser les outils, les besoins et les "
                "irritants.</p>"
            ),
            heading("Peu de priorités, bien financées"),
            paragraph(
                "<p>Plutôt qu'une liste de trente projets, la feuille de route "
                "retient cinq chantiers sur trois ans, chacun avec un élu référent, "
                "un chef de projet et un budget voté.</p>"
            ),
            quote(
                "La feuille de route a surtout servi à dire non : non aux projets "
                "qui ne servaient ni les habitants ni les agents.",
                "Hervé Delattre",
                "vice-président chargé du numérique",
            ),
            heading("Le calendrier type"),
            paragraph(
                "<ol><li>mois 1 et 2 : diagnostic ;</li><li>mois 3 et 4 : ateliers "
                "et choix des priorités ;</li><li>mois 5 : chiffrage ;</li><li>mois "
                "6 : délibération.</li></ol>"
            ),
        ),
    },
    {
        "slug": "tiers-lieux-mediation-numerique-rurale",
        "title": "Tiers-lieux : des lieux ressources pour la médiation numérique en "
        "milieu rural",
        "days_ago": 420,
        "lead": (
            "Espaces de travail partagé, fablabs, cafés associatifs : dans les "
            "territoires ruraux, les tiers-lieux deviennent des points d'appui pour "
            "l'inclusion numérique."
        ),
        "body": (
            paragraph(
                "<p>Un tiers-lieu n'est ni un service public ni un commerce : c'est "
                "un lieu ouvert, souvent associatif, où l'on vient travailler, "
                "apprendre ou fabriquer. Plusieurs collectivités membres ont choisi "
                "d'y installer des permanences de médiation numérique.</p>"
            ),
            heading("Un partenariat plutôt qu'une régie"),
            paragraph(
                "<p>La collectivité finance une partie des postes et met à "
                "disposition des locaux ; l'association qui anime le lieu garde "
                "son autonomie et son réseau de bénévoles.</p>"
            ),
            callout(
                "À savoir",
                "<p>Une convention d'objectifs pluriannuelle sécurise le "
                "partenariat et évite de renégocier chaque année.</p>",
            ),
        ),
    },
    {
        "slug": "accessibilite-numerique-schema-pluriannuel",
        "title": "Accessibilité numérique : publier son schéma pluriannuel",
        "days_ago": 530,
        "lead": (
            "Déclaration d'accessibilité, schéma pluriannuel, plan d'action annuel : "
            "les obligations des collectivités et une méthode pour les tenir sans y "
            "passer l'année."
        ),
        "body": (
            paragraph(
                "<p>Les collectivités doivent rendre leurs sites internet "
                "accessibles et publier une déclaration d'accessibilité ainsi "
                "qu'un schéma pluriannuel de mise en accessibilité. Le référentiel "
                "de référence est le RGAA.</p>"
            ),
            heading("Commencer par un audit"),
            paragraph(
                "<p>Un audit sur un échantillon représentatif de pages donne le "
                "taux de conformité et la liste des corrections à mener.</p>"
            ),
            heading("Former les contributeurs"),
            paragraph(
                "<p>La plupart des défauts viennent des contenus : titres mal "
                "hiérarchisés, images sans alternative, documents non balisés. "
                "Une demi-journée de formation des rédacteurs corrige une grande "
                "partie du problème.</p>"
            ),
            quote(
                "Depuis que nos rédacteurs choisissent le niveau de chaque titre, "
                "les lecteurs d'écran retrouvent enfin le plan de nos pages.",
                "Nadia Bensalem",
                "responsable du site internet",
            ),
        ),
    },
)


def seed_articles(index, stats):
    today = timezone.localdate()
    for data in ARTICLES:
        values = {
            "title": data["title"],
            "lead": data["lead"],
            "publication_date": today - timedelta(days=data["days_ago"]),
            "body": data["body"],
        }
        upsert_page(index, ArticlePage, data["slug"], values, stats)
