"""`/mon-espace/abonnements/` (what I follow, how often I hear about it), the
follow button's POST, and `/desabonnement/<token>/` (no session needed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from following.follows import FollowError, follow, unfollow, unfollow_by_id
from following.forms import FollowForm, PreferencesForm
from following.kinds import describe_follows, theme_model
from following.models import Follow, FollowKind
from following.preferences import CATEGORIES, preferences_of
from following.tokens import describe, read_token, unsubscribe


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = preferences_of(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos préférences de courriel sont enregistrées."))
        return redirect("following:preferences")
    follows = list(Follow.objects.filter(user=request.user))
    followed_themes = {f.object_id for f in follows if f.kind == FollowKind.THEME}
    return render(
        request,
        "following/preferences.html",
        {
            "form": form,
            "follows": describe_follows(follows, request.user),
            "themes": [
                (theme, theme.pk in followed_themes)
                for theme in theme_model().objects.all()
            ],
        },
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def follow_toggle(request):
    back = _back(request, "following:preferences")
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cette demande d'abonnement n'est pas valide."))
        return redirect(back)
    data = form.cleaned_data
    arguments = {
        "object_id": data["object_id"],
        "query": data["q"],
        "filters": form.search_filters(),
    }
    if data["action"] == "suivre":
        try:
            follow(request.user, data["kind"], **arguments)
        except FollowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "C'est noté : vous recevrez les nouveautés selon la fréquence choisie."
                ),
            )
    else:
        if data["kind"] != FollowKind.SEARCH and data["object_id"] is None:
            messages.error(request, _("Cette demande d'abonnement n'est pas valide."))
        elif unfollow(request.user, data["kind"], **arguments):
            messages.success(request, _("Vous ne suivez plus ce contenu."))
    return redirect(back)


@login_required
@require_POST
def follow_remove(request, follow_id: int):
    if unfollow_by_id(request.user, follow_id):
        messages.success(request, _("Vous ne suivez plus ce contenu."))
    return redirect("following:preferences")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token: str):
    """GET shows a confirmation with a button (mail scanners follow links: a GET
    never unsubscribes); POST unsubscribes, from that button or from a mail
    client's RFC 8058 one-click request (no session, no CSRF token: the signed
    token is the proof)."""
    data = read_token(token)
    if data is None or data["c"] not in CATEGORIES:
        return render(request, "following/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        address = unsubscribe(data)
        if address is None:
            return render(request, "following/unsubscribe_invalid.html", status=404)
        return render(
            request,
            "following/unsubscribe_done.html",
            {"address": address, "category": data["c"]},
        )
    address = describe(data)
    if address is None:
        return render(request, "following/unsubscribe_invalid.html", status=404)
    return render(
        request,
        "following/unsubscribe_confirm.html",
        {"address": address, "category": data["c"]},
    )
