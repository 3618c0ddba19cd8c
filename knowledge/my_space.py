"""« Mes propositions » on /mon-espace/: the practices the person proposed, each
with where its review stands, and the link to propose one."""

from knowledge.proposals import can_propose, own_proposals
from members.my_space import my_space_section


@my_space_section
def proposals_section(request):
    user = request.user
    if not user.is_authenticated:
        return None
    proposals = own_proposals(user)
    allowed = can_propose(user)
    if not proposals and not allowed:
        return None
    return {
        "template": "knowledge/my_space_proposals.html",
        "context": {"proposals": proposals, "can_propose": allowed},
    }
