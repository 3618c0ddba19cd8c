"""Invalidation: which writes make stored pages out of date."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from wagtail.models import COMMENTS_RELATION_NAME, Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from retex.page_cache.storage import invalidate

# Models whose rows no cached page shows: saving them must not empty the cache
# (some are written while pages render or during every login).
IGNORED_APPS = {
    "account",
    "mfa",
    "sessions",
    "contenttypes",
    "django_tasks_database",
    "search",  # search documents and statistics: search is never page-cached
    "wagtailsearch",
}
IGNORED_MODELS = {
    "events.calendartoken",
    "knowledge.documenttext",
    "members.user",
    "members.user_groups",
    "members.user_user_permissions",
    "wagtailadmin.admin",
    "wagtailadmin.editingsession",
    "wagtailadmin.formstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.referenceindex",
    "wagtailcore.revision",
    "wagtailcore.taskstate",
    "wagtailcore.uploadedfile",
    "wagtailcore.workflowstate",
    "wagtailembeds.embed",
    "wagtailforms.formsubmission",
    "wagtailimages.rendition",
    "wagtailusers.userprofile",
}
# Saves limited to these fields change nothing a visitor sees (drafts, locks,
# reminders sent).
PAGE_BOOKKEEPING_FIELDS = {
    COMMENTS_RELATION_NAME,
    "draft_title",
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
}
BOOKKEEPING_FIELDS = {
    "events.registration": {
        "attended",
        "certificate_code",
        "reminder_sent_at",
        "waitlist_notice_sent_at",
    },
}


# --- Invalidation --------------------------------------------------------------------


def change_is_visible(sender, update_fields=None) -> bool:
    """Whether saving or deleting a `sender` row may change a page."""
    meta = sender._meta
    if meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return False
    if update_fields:
        if issubclass(sender, Page):
            bookkeeping = PAGE_BOOKKEEPING_FIELDS
        else:
            bookkeeping = BOOKKEEPING_FIELDS.get(meta.label_lower, set())
        if set(update_fields) <= bookkeeping:
            return False
    return True


def _row_saved(sender, update_fields=None, using=None, **kwargs):
    if change_is_visible(sender, update_fields):
        invalidate(using)


def _row_deleted(sender, using=None, **kwargs):
    if change_is_visible(sender):
        invalidate(using)


def _relation_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_") and change_is_visible(sender):
        invalidate(using)


def _page_event(sender, **kwargs):
    invalidate()


def _migrated(sender, using=None, **kwargs):
    # Every deployment runs `migrate`: pages rendered by the previous release
    # (older templates, static files that no longer exist) are dropped.
    invalidate(using)


def connect_signals() -> None:
    """Called once from `RetexConfig.ready`."""
    uid = "retex.page_cache"
    post_save.connect(_row_saved, dispatch_uid=f"{uid}.save", weak=False)
    post_delete.connect(_row_deleted, dispatch_uid=f"{uid}.delete", weak=False)
    m2m_changed.connect(_relation_changed, dispatch_uid=f"{uid}.m2m", weak=False)
    # Publication and moves also write rows, but not always through `save`
    # (treebeard moves descendants with UPDATE statements).
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_event, dispatch_uid=f"{uid}.{id(signal)}", weak=False)
    post_migrate.connect(_migrated, dispatch_uid=f"{uid}.migrate", weak=False)
