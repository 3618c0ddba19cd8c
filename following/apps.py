from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "following"
    verbose_name = _("Abonnements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from following import my_space, personal_data, signals  # noqa: F401
        from following.unsubscribe import register_user_unsubscriber
        from retex.page_cache import declare_invisible

        register_user_unsubscriber()
        signals.connect()
        # Follows and preferences are shown only on personal pages (never cached).
        declare_invisible("following")
