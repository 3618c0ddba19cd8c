"""Background work of the members app."""

from django_tasks import task


@task()
def refresh_comparables(*, changed: list[int]) -> int:
    """Keep the stored comparable collectivities right after collectivities
    `changed` were written (`members.comparables.refresh`); returns how many
    lists changed."""
    from members.comparables import refresh

    return refresh(changed=changed)


@task()
def rebuild_comparables() -> int:
    """Choose every collectivity's comparables again
    (`members.comparables.rebuild`)."""
    from members.comparables import rebuild

    return rebuild()
