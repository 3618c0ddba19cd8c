"""« Mes abonnements » on /mon-espace/: how many things the person follows."""

from following.models import Follow
from members.my_space import my_space_section


@my_space_section
def following_section(request):
    return {
        "template": "following/my_space_section.html",
        "context": {"follow_count": Follow.objects.filter(user=request.user).count()},
    }
