"""Background work of the mutual-aid space (its emails: `aid.notifications`)."""

from django_tasks import task


@task()
def choose_solicitation_candidates(*, question_id: int) -> int:
    """Choose and store who already did what a question asks
    (`aid.solicitations.choose_candidates`); returns how many were stored."""
    from aid.solicitations import choose_candidates

    return choose_candidates(question_id)
