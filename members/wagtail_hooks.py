"""The admin as representatives and the association's staff see it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet

from members.admin_views import new_collectivity_from_territory
from members.affiliation import affiliation_set_role
from members.models import Affiliation, AffiliationRole, AffiliationStatus


def _is_association_staff(user) -> bool:
    return user.is_superuser or user.has_perm("members.manage_membership")


@hooks.register("before_create_page")
def representatives_only_propose_practices(request, parent_page, page_class):
    """Representatives may add under `/ressources/` to propose practices; articles
    and interviews are the association's editorial work."""
    from members.models import CollectivityPage

    if (
        _is_association_staff(request.user)
        or request.user.groups.filter(name__in=["Éditeurs", "Modérateurs"]).exists()
    ):
        return None
    practice_model = CollectivityPage.practice_model()
    if page_class is not practice_model and parent_page.specific_class in (
        practice_model.allowed_parent_page_models()
    ):
        messages.error(
            request,
            _(
                "En tant que représentant·e, vous pouvez proposer des retours "
                "d'expérience."
            ),
        )
        return redirect("wagtailadmin_explore", parent_page.pk)
    return None


class AffiliationForm(WagtailAdminModelForm):
    class Meta:
        model = Affiliation
        fields = ["role"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("role") == AffiliationRole.REPRESENTATIVE
            and self.instance.status != AffiliationStatus.APPROVED
        ):
            raise ValidationError(
                _("Seule une personne rattachée peut être représentante.")
            )
        return cleaned


class AffiliationEditView(EditView):
    def save_instance(self):
        # Through the rule, which also updates the representatives' permissions.
        return affiliation_set_role(
            affiliation_id=self.object.pk,
            role=self.form.cleaned_data["role"],
            by=self.request.user,
        )


class AffiliationViewSet(ModelViewSet):
    """Staff see every request and name representatives; deciding on a request
    is done in "Mon espace", through the same rules as representatives."""

    model = Affiliation
    icon = "group"
    menu_label = gettext_lazy("Rattachements")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["user", "collectivity", "status", "role", "requested_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__email", "user__last_name", "collectivity__title"]
    form_fields = ["role"]
    edit_view_class = AffiliationEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_view_enabled = False

    def get_form_class(self, for_update=False):
        return AffiliationForm


@hooks.register("register_admin_viewset")
def register_affiliation_viewset():
    return AffiliationViewSet("affiliations")


@hooks.register("register_admin_urls")
def register_new_collectivity_url():
    return [
        path(
            "membres/nouvelle-collectivite/",
            new_collectivity_from_territory,
            name="members_new_from_territory",
        )
    ]


class NewCollectivityMenuItem(MenuItem):
    def is_shown(self, request):
        from members.models import MemberIndexPage

        index = MemberIndexPage.objects.first()
        return bool(
            index and index.permissions_for_user(request.user).can_add_subpage()
        )


@hooks.register("register_admin_menu_item")
def register_new_collectivity_menu_item():
    return NewCollectivityMenuItem(
        gettext_lazy("Nouvelle collectivité"),
        reverse("members_new_from_territory"),
        icon_name="site",
        order=205,
    )
