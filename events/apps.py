from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Événements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # "Mes inscriptions" in Mon espace.
        # Updates and cancellations emailed to participants (signals).
        # The event page's routes and personal parts, declared with their views.
        from events import my_space, personal_data, signals, views  # noqa: F401

        # "Mon agenda" (the private calendar feed), after "Mes inscriptions".
        from events.feeds import calendar_section
        from members.my_space import my_space_section

        my_space_section(calendar_section)
