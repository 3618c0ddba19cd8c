"""The "Membres" group: members-only pages are restricted to it.

The members app keeps it in step with membership (a person attached to an active
member collectivity); view restrictions then work everywhere Wagtail checks them.
The editors' groups Wagtail creates get French names.
"""

from django.db import migrations

RENAMES = {"Editors": "Éditeurs", "Moderators": "Modérateurs"}


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="Membres")
    for old, new in RENAMES.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for old, new in RENAMES.items():
        Group.objects.filter(name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_pages"),
        ("wagtailcore", "0098_apitoken"),
        # The data migrations that look Wagtail's groups up by their English names.
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0002_initial_data"),
        ("wagtailimages", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
