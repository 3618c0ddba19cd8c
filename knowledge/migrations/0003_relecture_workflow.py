"""The "Relecture" moderation workflow on `/ressources/`.

Practices proposed by member representatives (who may add pages but not publish)
must be approved by the association's moderators before they are public. Editors
who can publish may still publish their own articles directly. Created here so
that it exists on every new site, not only where `seed_demo` ran.
"""

from django.db import migrations

WORKFLOW = "Relecture"
TASK = "Relecture éditoriale"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Page = apps.get_model("wagtailcore.Page")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")

    index = Page.objects.filter(
        content_type__app_label="knowledge", content_type__model="knowledgeindexpage"
    ).first()
    if index is None or Workflow.objects.filter(name=WORKFLOW).exists():
        return
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name=TASK, content_type=task_type, active=True
    )
    task.groups.set(Group.objects.filter(name__in=["Modérateurs", "Moderators"]))
    workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore.Workflow")
    Workflow.objects.filter(name=WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_knowledge_pages"),
        ("members", "0003_members_group"),
        ("retex", "0002_page_tree"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
