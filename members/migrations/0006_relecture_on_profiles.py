"""Profiles go through "Relecture"; staff manage affiliations.

Representatives' edits to their collectivity's profile go through "Relecture".

They may change their profile but not publish it: the association's moderators
review the change first, as for practices.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    workflow = Workflow.objects.filter(name="Relecture").first()
    index = Page.objects.filter(
        content_type__app_label="members", content_type__model="memberindexpage"
    ).first()
    if workflow and index:
        WorkflowPage.objects.update_or_create(
            page=index, defaults={"workflow": workflow}
        )

    # The association's staff see and manage affiliations in the admin.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="members", model="affiliation"
    )
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_affiliation",
            defaults={"name": f"Can {action} rattachement"},
        )[0]
        for action in ("view", "change")
    ]
    for group in Group.objects.filter(name__in=["Modérateurs", "Éditeurs"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_membership_permission"),
        ("knowledge", "0003_relecture_workflow"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
