"""Wagtail permissions of representatives, derived from their affiliations.

Each collectivity with representatives has its own group, "Représentants :
<name>", holding exactly: change on its profile page (publishing stays with the
association's moderators, through the "Relecture" workflow), add under
`/ressources/` (so they can propose practices and edit the ones they created,
but nobody else's), admin access, and uploading images and documents. The
group's users are the collectivity's approved representatives, recomputed here
whenever an affiliation changes, so that a representative of A can never reach
B's profile.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from members.models import AffiliationRole, AffiliationStatus, CollectivityPage, User

GROUP_PREFIX = "Représentants : "
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def representatives_group_name(collectivity: CollectivityPage) -> str:
    # The id keeps the name unique and stable when the title changes.
    return f"{GROUP_PREFIX}{collectivity.title[:100]} (n° {collectivity.pk})"


def representatives_group(collectivity: CollectivityPage) -> Group | None:
    return Group.objects.filter(
        name__startswith=GROUP_PREFIX, name__endswith=f"(n° {collectivity.pk})"
    ).first()


@transaction.atomic
def sync_representative_permissions(collectivity: CollectivityPage) -> Group:
    group = representatives_group(collectivity)
    name = representatives_group_name(collectivity)
    if group is None:
        group = Group.objects.create(name=name)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])

    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    page_permissions = [("change_page", collectivity)]
    # Where practices are proposed (members never imports knowledge).
    (index_model,) = CollectivityPage.practice_model().allowed_parent_page_models()
    index = index_model.objects.first()
    if index is not None:
        page_permissions.append(("add_page", index))
    for codename, page in page_permissions:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    root = Collection.get_first_root_node()
    for app_label, codename in COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root,
            permission=Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            ),
        )

    representatives = User.objects.filter(
        affiliations__collectivity=collectivity,
        affiliations__status=AffiliationStatus.APPROVED,
        affiliations__role=AffiliationRole.REPRESENTATIVE,
    )
    group.user_set.set(representatives)
    return group
