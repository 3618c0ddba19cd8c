"""The association's editors and moderators moderate the mutual-aid space."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Modérateurs", "Éditeurs"]
CODENAMES = [
    "view_question",
    "change_question",
    "view_answer",
    "change_answer",
    "view_report",
    "change_report",
]


def forwards(apps, schema_editor):
    # Permissions are created after `migrate` by a signal: create them now.
    app_config = apps.get_app_config("aid")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="aid", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0001_initial"),
        ("members", "0005_membership_permission"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
