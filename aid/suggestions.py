"""What already answers a question being typed: the search engine, with the
asker's visibility (`search.service.search` through `retex.search_port`, so
members-only content only for those who may read it, never drafts or hidden
questions).

Similar questions, practices, interviews, articles and events; collectivities
and uploaded documents are left out (they answer nothing on their own). No
request leaves the site: the database (or the site's own Elasticsearch)
answers.
"""

from retex.search_port import search

SUGGESTED_KINDS = ("question", "pratique", "entretien", "article", "evenement")
MIN_LENGTH = 4
LIMIT = 6


def existing_answers(*, title: str, user, limit: int = LIMIT) -> list[dict]:
    """Up to `limit` search results for `title` that may answer it, best first
    (each as the search page shows one: title, url, kind_label, snippet)."""
    text = " ".join((title or "").split())[:200]
    if len(text) < MIN_LENGTH:
        return []
    page = search(text=text, user=user)
    return [r for r in page.results if r["kind"] in SUGGESTED_KINDS][:limit]
