"""Practices a person proposed, in their data export (`members.personal_data`).

When the account is deleted, `PracticeProposal.author` and the page's owner
become NULL (on_delete): a published practice is the collectivity's and stays;
a proposal still in review stays for the editors, without its author.
"""

from knowledge.models import PracticeProposal
from knowledge.proposals import proposal_status
from members.personal_data import export_provider


@export_provider("propositions")
def proposals_of(user) -> list:
    return [
        {
            "titre": proposal.page.draft_title,
            "collectivite": proposal.page.collectivity.title
            if proposal.page.collectivity
            else None,
            "proposee_le": proposal.created_at.isoformat(),
            "etat": str(proposal_status(proposal.page)["label"]),
        }
        for proposal in PracticeProposal.objects.filter(author=user).select_related(
            "page", "page__collectivity"
        )
    ]
