"""The other side of an event's synthesis: a knowledge page names the events it
is the synthesis of (`EventPage.synthesis`, chosen on the event).

`{% load event_synthesis %}{% synthesis_of_events page as events %}` on a knowledge
page: the live events, visible to the person, whose synthesis it is.
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def synthesis_of_events(context, page):
    from events.models import EventPage
    from retex.page_cache import depends_on
    from retex.visibility import pages_visible_to

    request = context.get("request")
    user = getattr(request, "user", None)
    if request is not None:
        # Which events chose this page (`EventPage.cache_selection_fields`).
        depends_on(request, "selection:events.eventpage")
    events = EventPage.objects.live().filter(synthesis_id=page.pk).order_by("start")
    events = list(pages_visible_to(events, user=user))
    if request is not None:
        depends_on(request, *(f"page:{event.pk}" for event in events))
    return events
