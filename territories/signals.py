"""What the referential tells the apps that depend on it.

`referential_changed` is sent (after the load's transaction commits, or at once
outside one) when `load_territories` created, updated or retired rows: the
apps whose data carry places (search entries: department names, postcodes…)
listen to it. The territories app imports none of them."""

from django.dispatch import Signal

referential_changed = Signal()
