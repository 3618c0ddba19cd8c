from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.models import PageViewRestriction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from retex import page_cache
from retex.models import Theme
from retex.visibility import page_restrictions_failed

# Around the next one (registered first): pages signed-in people share may hold
# personal parts (the follow button), filled into their stored shell.
hooks.register("on_serve_page", page_cache.serve_pages_with_personal_parts)
# Public pages of the types that opt in are kept for anonymous visitors.
hooks.register("on_serve_page", page_cache.serve_public_pages)


@hooks.register("before_serve_page")
def show_a_teaser_instead_of_restricted_pages(page, request, serve_args, serve_kwargs):
    """Members-only pages show their title, lead and a login prompt to others.

    Registered before Wagtail's own check (our apps come first in INSTALLED_APPS),
    which would otherwise redirect straight to the login page. Password-protected
    pages are left to Wagtail's password form.
    """
    failed = page_restrictions_failed(page, request.user)
    if not failed or any(
        r.restriction_type == PageViewRestriction.PASSWORD for r in failed
    ):
        return None
    response = TemplateResponse(
        request,
        "retex/restricted_page.html",
        {"page": page.specific, "self": page.specific},
        status=403,
    )
    response["Cache-Control"] = "private, no-store"
    return response


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Thèmes")
    menu_order = 200
    add_to_admin_menu = True
    list_display = [
        "name",
        "slug",
        Column("colour", label=_("Couleur"), accessor="get_colour_display"),
    ]
    search_fields = ["name", "description"]
    ordering = ["name"]


register_snippet(ThemeViewSet)
