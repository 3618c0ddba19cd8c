from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running `db_worker` process, seen alive at `seen_at` (updated every
    `TASKS_WORKER_HEARTBEAT_SECONDS` by a thread of the worker)."""

    worker_id = models.CharField(_("identifiant"), max_length=64, primary_key=True)
    started_at = models.DateTimeField(_("démarré le"))
    seen_at = models.DateTimeField(_("vu le"), db_index=True)

    class Meta:
        verbose_name = _("processus de tâches")
        verbose_name_plural = _("processus de tâches")

    def __str__(self):
        return self.worker_id


class SentEmail(models.Model):
    """An email a task run handed to the mail server: when the task runs again
    (its worker died), the email is not sent twice (`retex.tasks.send_once`)."""

    key = models.CharField(_("clé"), max_length=100, unique=True)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("courriel envoyé par une tâche")
        verbose_name_plural = _("courriels envoyés par des tâches")

    def __str__(self):
        return self.key
