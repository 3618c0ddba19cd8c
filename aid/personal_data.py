"""Questions, answers, marks and reports in a person's data export.

When the account is deleted, what the person wrote stays in its threads
without their name (`author` is set to NULL: « ancien membre »), as the answers
others gave them would make no sense alone; their « utile » marks go with the
account, their reports stay without the reporter, their solicitations without who
solicited (the collectivity's representatives were told already).
"""

from aid.models import Answer, Question, Report, Solicitation, UsefulMark
from members.personal_data import export_provider


def _iso(value):
    return value.isoformat() if value else None


@export_provider("entraide")
def aid_data_of(user) -> dict:
    return {
        "questions": [
            {
                "titre": q.title,
                "precisions": q.details,
                "etat": q.get_status_display(),
                "posee_le": _iso(q.created_at),
                "collectivite": q.collectivity.title if q.collectivity else None,
                "reprise_acceptee": q.consent,
            }
            for q in Question.objects.filter(author=user).select_related("collectivity")
        ],
        "reponses": [
            {
                "question": a.question.title,
                "reponse": a.body,
                "publiee_le": _iso(a.created_at),
                "modifiee_le": _iso(a.edited_at),
                "solution": a.is_solution,
                "reprise_acceptee": a.consent,
            }
            for a in Answer.objects.filter(author=user).select_related("question")
        ],
        "reponses_utiles": UsefulMark.objects.filter(user=user).count(),
        "sollicitations": [
            {
                "question": s.question.title,
                "collectivite": s.collectivity.title,
                "sollicitee_le": _iso(s.created_at),
            }
            for s in Solicitation.objects.filter(by=user).select_related(
                "question", "collectivity"
            )
        ],
        "signalements": [
            {"motif": r.reason, "signale_le": _iso(r.created_at)}
            for r in Report.objects.filter(reporter=user)
        ],
    }
