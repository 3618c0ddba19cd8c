"""Organizers reach an event's registrations from its page in the admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from events import admin_views


@hooks.register("register_admin_urls")
def register_registration_urls():
    prefix = "evenements/<int:event_id>/inscriptions/"
    one = prefix + "<int:registration_id>/"
    return [
        path(prefix, admin_views.registrations_list, name="events_registrations"),
        path(
            prefix + "export.csv",
            admin_views.registrations_export_csv,
            name="events_registrations_csv",
        ),
        path(
            prefix + "export.xlsx",
            admin_views.registrations_export_xlsx,
            name="events_registrations_xlsx",
        ),
        path(
            prefix + "emargement/",
            admin_views.sign_in_sheet,
            name="events_sign_in_sheet",
        ),
        path(
            prefix + "ecrire/",
            admin_views.participants_email,
            name="events_participants_email",
        ),
        path(
            one + "presence/",
            admin_views.registration_attendance,
            name="events_registration_attendance",
        ),
        path(
            one + "annuler/",
            admin_views.registration_cancel_view,
            name="events_registration_cancel",
        ),
        path(
            one + "promouvoir/",
            admin_views.registration_promote_view,
            name="events_registration_promote",
        ),
    ]


class RegistrationsButton(PageMenuItem):
    label = _("Inscriptions")
    icon_name = "group"

    @property
    def url(self):
        return reverse("events_registrations", args=[self.page.pk])

    def is_shown(self, user):
        from events.models import EventPage
        from events.registration import can_manage

        return issubclass(self.page.specific_class or type(None), EventPage) and (
            can_manage(user, self.page)
        )


@hooks.register("register_page_header_buttons")
def event_registrations_header_button(page, user, view_name, next_url=None):
    yield RegistrationsButton(page=page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def event_registrations_listing_button(page, user, next_url=None):
    yield RegistrationsButton(page=page, priority=12)


@hooks.register("construct_homepage_panels")
def next_events_dashboard_panel(request, panels):
    from events.dashboard import next_events_panel

    panel = next_events_panel(request.user)
    if panel is not None:
        panels.append(panel)
