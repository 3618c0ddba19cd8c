"""Who may read, write and moderate the mutual-aid space.

- Reading: whoever sees members-only content (`sees_members_content`: members
  of the network and the association's staff) and the editors who moderate
  it (`can_moderate`).
- Writing (asking, answering, marking, reporting): members of the network
  only (`is_network_member`): staff moderate without speaking for a
  collectivity.
- Moderating (hiding, restoring, closing any question, handling reports):
  people with the `aid.change_question` permission (the "Éditeurs" and
  "Modérateurs" groups, by migration; superusers).
"""

from members.affiliation import is_network_member
from retex.visibility import sees_members_content


def can_moderate(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm("aid.change_question")
    )


def can_read(user) -> bool:
    return sees_members_content(user) or can_moderate(user)


def can_write(user) -> bool:
    return user.is_authenticated and user.is_active and is_network_member(user)
