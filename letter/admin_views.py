"""The letter's sending page in the admin: a test to oneself, then everyone."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from letter.models import LetterPage
from letter.sending import SendingError, recipients, send_test, start_sending


def _letter_for(request, page_id: int) -> LetterPage:
    letter = get_object_or_404(LetterPage, pk=page_id)
    if not letter.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return letter


@require_http_methods(["GET", "POST"])
def send(request, page_id: int):
    letter = _letter_for(request, page_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test":
            send_test(letter, to=request.user)
            messages.success(
                request,
                _("Un test de la dernière version a été envoyé à %(email)s.")
                % {"email": request.user.email},
            )
        elif action == "send" and request.POST.get("confirm") == "oui":
            try:
                start_sending(letter, by=request.user)
            except SendingError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("L'envoi a commencé ; sa progression s'affiche ici.")
                )
        else:
            messages.error(request, _("Cochez la confirmation pour envoyer la lettre."))
        return redirect("letter_admin_send", page_id=letter.pk)
    letter.refresh_from_db()
    return TemplateResponse(
        request,
        "letter/admin/send.html",
        {
            "letter": letter,
            "recipient_estimate": None if letter.send_started_at else len(recipients()),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[letter.pk]),
            "preview_url": reverse("wagtailadmin_pages:view_draft", args=[letter.pk]),
        },
    )
