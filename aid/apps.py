from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = "Entraide"
    default_auto_field = "django.db.models.BigAutoField"
