"""The association's moderators and editors manage collectivities' membership."""

from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="members", model="collectivitypage"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="manage_membership",
        defaults={"name": "Peut gérer l'adhésion des collectivités"},
    )
    for group in Group.objects.filter(name__in=["Modérateurs", "Éditeurs"]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_collectivity_profile_affiliations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
