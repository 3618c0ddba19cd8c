from knowledge.models import ArticlePage
from retex.visibility import pages_visible_to


def knowledge_latest(*, user, limit: int = 3):
    """The newest knowledge pages this person may read, newest first."""
    pages = pages_visible_to(ArticlePage.objects.all(), user=user)
    return list(pages.order_by("-publication_date", "-first_published_at")[:limit])
