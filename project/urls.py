from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from aid.sitemaps import PublicThreadSitemap
from events import feeds as event_feeds
from following.views import unsubscribe_view
from knowledge.feeds import KnowledgeAtomFeed, KnowledgeRssFeed
from knowledge.practice_pdf import practice_pdf_view
from letter.subscriptions import confirm_view as letter_confirm_view
from members.directory import directory_export_csv, directory_export_json
from retex.health import healthz
from retex.links import Sitemap
from retex.serving import serve_page
from retex.views import robots_txt
from search import views as search_views

# A database outage is a 503 with Retry-After, not a 500 (retex/views.py).
handler500 = "retex.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": Sitemap, "entraide": PublicThreadSitemap}},
        name="sitemap",
    ),
    # The admin has no login form of its own: allauth's has the rate limits and MFA.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    # Nor does the site: Wagtail's front-end login (`include(wagtail_urls)` below
    # mounts a bare Django LoginView there) would open sessions without them.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    # Calendar feeds: the public agenda, each person's secret "my registrations".
    path("evenements/agenda.ics", event_feeds.agenda_feed, name="events_agenda_ics"),
    # `<event URL>evenement.ics`: Wagtail's pattern allows no dot, so route it here
    # to the page (its `evenement.ics/` route, with the page's view restrictions).
    re_path(r"^((?:[\w\-]+/)+evenement\.ics)$", serve_page, name="event_ics"),
    path(
        "mon-espace/agenda/<str:token>.ics",
        event_feeds.private_feed,
        name="private_calendar_feed",
    ),
    path(
        "mon-espace/agenda/nouvelle-adresse/",
        event_feeds.calendar_token_reset,
        name="calendar_token_reset",
    ),
    path("mon-espace/abonnements/", include("following.urls")),
    path("desabonnement/<str:token>/", unsubscribe_view, name="unsubscribe"),
    path("lettre/confirmer/<str:token>/", letter_confirm_view, name="letter_confirm"),
    path("mon-espace/pratiques/", include("knowledge.urls")),
    path("mon-espace/", include("members.urls")),
    path("entraide/", include("aid.urls")),
    # Dots cannot appear in page slugs, so these never hide a page.
    path("ressources/flux.xml", KnowledgeRssFeed(), name="knowledge_feed_rss"),
    path("membres/export.csv", directory_export_csv, name="directory_export_csv"),
    path("membres/export.json", directory_export_json, name="directory_export_json"),
    path("ressources/atom.xml", KnowledgeAtomFeed(), name="knowledge_feed_atom"),
    path(
        "ressources/fiche/<int:practice_id>.pdf", practice_pdf_view, name="practice_pdf"
    ),
    path("recherche/", search_views.search_page, name="search"),
    path("api/search/", search_views.search_api, name="search_api"),
    path("api/search/suggest/", search_views.suggest_api, name="search_suggest"),
    # Attendance certificates: `attestations/verifier/`, `mon-espace/attestations/…`.
    path("", include("events.urls")),
]

if settings.DEBUG:
    from django.views.static import serve as serve_media

    # Uploads, on a laptop only; never documents/: documents are served by
    # /documents/<id>/<name>, which checks who may read them (as in production,
    # where the web server must not expose MEDIA_ROOT/documents/ either).
    urlpatterns += [
        re_path(
            r"^media/(?!documents/)(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail's URLs, its page view replaced by `retex.serving.serve_page` (same
# pattern and name, routed in fewer queries).
urlpatterns += [
    path(
        "",
        include(
            [
                *(p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"),
                re_path(wagtail_urls.serve_pattern, serve_page, name="wagtail_serve"),
            ]
        ),
    )
]
