from django.db.models import Count, Sum

from members.models import CollectivityPage, MembershipStatus


def member_stats() -> dict:
    """Figures the home page shows about the network's active members."""
    return (
        CollectivityPage.objects.live()
        .filter(membership_status=MembershipStatus.ACTIVE)
        .aggregate(
            collectivities=Count("pk"),
            population=Sum("population"),
            regions=Count("region", distinct=True),
        )
    )
