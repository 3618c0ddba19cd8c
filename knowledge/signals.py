from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model

from retex.tasks import enqueue_after_commit


@receiver(post_save, sender=get_document_model())
def extract_text_after_upload(sender, instance, **kwargs):
    from knowledge.tasks import extract_document_text

    enqueue_after_commit(extract_document_text, document_id=instance.pk)
