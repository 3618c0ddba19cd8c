"""More synonyms of the field: English words and acronyms members type for
what the pages say in French (chatbot, datacenter, PCA…), and words of the
trade for the same thing (illectronisme, schéma directeur). New groups only;
an existing group is never changed. Reversing keeps them, as 0003 does."""

from django.db import migrations

NEW = [
    "chatbot, agent conversationnel, assistant conversationnel",
    "datacenter, data center, centre de données, salle serveurs, salle informatique",
    "cloud, informatique en nuage, hébergement",
    "PCA, plan de continuité d'activité, plan de continuité",
    "PRA, plan de reprise d'activité, plan de reprise",
    "illectronisme, fracture numérique, exclusion numérique, éloignés du numérique",
    "schéma directeur, feuille de route",
    "smart city, ville intelligente, territoire intelligent",
    "fablab, fab lab",
    "logiciel libre, open source",
]


def forwards(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms in NEW:
        Synonym.objects.get_or_create(terms=terms)


class Migration(migrations.Migration):
    dependencies = [("search", "0012_rank_body")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
