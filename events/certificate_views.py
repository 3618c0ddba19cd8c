"""Public and "Mon espace" views of attendance certificates: thin views over
`events.certificates`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from events.certificates import (
    certificate_pdf,
    certificate_registration_for,
    verify_certificate_code,
)


@login_required
@require_GET
@never_cache
def certificate_download(request, registration_id: int):
    """The person's own certificate, once the event is over and they were present;
    anything else (someone else's, absent, too early) is a 404."""
    registration = certificate_registration_for(request.user, registration_id)
    if registration is None:
        raise Http404
    response = HttpResponse(
        certificate_pdf(registration), content_type="application/pdf"
    )
    filename = f"attestation-{registration.event.slug}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def certificate_verify(request):
    """Whether a code printed on a certificate is genuine: initials, event, date."""
    raw = request.GET.get("code", "")
    context = {"code": raw[:40], "result": None, "error": None}
    if raw.strip():
        result = verify_certificate_code(raw)
        if not result.valid_format:
            context["error"] = _(
                "Ce code n'a pas le bon format : il compte 12 caractères, par exemple "
                "K7QM-2XRT-P9WD (sans 0, O, 1, I ni L)."
            )
        else:
            context["result"] = result
    response = render(request, "events/certificate_verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
