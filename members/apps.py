from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membres")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app shows on shared pages (`retex.declarations`).
    home_sections = {
        "member_stats": "members.selectors.member_stats",
        "members_map": "members.map.members_map",
    }
    home_cache_dependencies = {
        "member_stats": "members.selectors.home_dependencies",
        "members_map": "members.selectors.home_dependencies",
    }

    def ready(self):
        from members import signals  # noqa: F401

        declare_cache_dependencies()


def declare_cache_dependencies() -> None:
    """What a write of this app's rows changes on cached pages
    (`retex.page_cache.invalidation`)."""
    from retex.page_cache import declare, declare_invisible

    declare(
        "members.collectivitycontact",
        lambda contact: (f"page:{contact.page_id}", "kind:members.collectivitypage"),
    )
    declare(
        "members.collectivitypage_themes",
        lambda row: (
            f"page:{row.collectivitypage_id}",
            "kind:members.collectivitypage",
        ),
    )
    # Accounts (written at every login): what a person may see is part of the
    # signed-in key, never of a page.
    declare_invisible("members.user", "members.user_groups")
    declare_invisible("members.user_user_permissions")
    # Who belongs to which collectivity: shown in Mon espace and the admin only;
    # whether a person is a member is read on each request (the signed-in key),
    # never stored in a page. Undeclared, every request to join (and every
    # attachment at sign-in) started a new generation.
    declare_invisible("members.affiliation")
    # Stored comparable collectivities: whoever writes them bumps the
    # `comparables:<id>` of the profiles whose list changed
    # (`members.comparables`); undeclared, every write would start a new
    # generation.
    declare_invisible("members.storedcomparables")
