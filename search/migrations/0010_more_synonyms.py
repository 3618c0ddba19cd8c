"""More synonyms of the field (issue 15): abbreviations and their words, and
groups of the first seed widened. A seeded group an editor has changed since is
left as it is (the new words then come as a group of their own, when none of
them is in another group). Reversing keeps them, as 0003 does."""

from django.db import migrations

WIDENED = {
    "EPCI, intercommunalité": "EPCI, intercommunalité, communauté de communes, "
    "communauté d'agglomération, communauté urbaine, métropole",
    "RGPD, règlement général sur la protection des données, "
    "protection des données personnelles": "RGPD, règlement général sur la "
    "protection des données, protection des données personnelles, "
    "protection des données",
    "open data, opendata, données ouvertes": "open data, opendata, données "
    "ouvertes, ouverture des données",
    "cybersécurité, sécurité informatique": "cybersécurité, sécurité "
    "informatique, cybersecurity",
}

NEW = [
    "IA, intelligence artificielle",
    "rançongiciel, ransomware, logiciel de rançon",
    "cyberattaque, attaque informatique",
    "hameçonnage, phishing",
    "e-administration, administration électronique, administration numérique",
    "DGS, directeur général des services, directrice générale des services",
    "RGAA, référentiel général d'amélioration de l'accessibilité",
    "télétravail, travail à distance",
    "ANCT, Agence nationale de la cohésion des territoires",
    "ANSSI, Agence nationale de la sécurité des systèmes d'information",
    "REEN, réduction de l'empreinte environnementale du numérique",
]


def forwards(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for old, new in WIDENED.items():
        if not Synonym.objects.filter(terms=new).exists():
            Synonym.objects.filter(terms=old).update(terms=new)
    for terms in NEW:
        Synonym.objects.get_or_create(terms=terms)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_vocabulary")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
