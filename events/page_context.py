"""What an event page shows everybody who may see it (the shared part, cached
as a whole for anonymous visitors and as a shell for signed-in people): past or
not, its synthesis once published, its « Ajouter à mon agenda » links.

The person's own part (the registration panel) is `events.views.event_page_context`.
"""

from events.calendar import external_calendar_links
from retex.page_cache import depends_on


def event_shared_context(request, event) -> dict:
    past = event.is_past()
    synthesis = event.visible_synthesis(request.user) if past else None
    if event.synthesis_id:
        # Re-rendered when the synthesis is published, changed or unpublished.
        depends_on(request, f"page:{event.synthesis_id}")
    host = event.host_collectivity
    if host is not None:
        # Its name and address on the page.
        depends_on(request, f"page:{host.pk}")
    return {
        "host": host if host is not None and host.live else None,
        "past": past,
        "synthesis": synthesis,
        "calendar_links": external_calendar_links(event),
    }
