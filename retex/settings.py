"""Settings for Retex, read from the environment (see `retex/env.py` and README).

Local defaults are safe and need nothing: SQLite under `var/`, an in-memory cache,
emails written to files, a generated secret key. With `DEBUG=0` the site refuses to
start unless `SECRET_KEY` and `ALLOWED_HOSTS` are given, and turns on HTTPS-only
cookies, HSTS and the HTTPS redirect.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from retex.env import env_bool, env_int, env_list, env_str, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_DIR = BASE_DIR / "site"
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

# --- Secrets and hosts -----------------------------------------------------------

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG=0 (production). Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = local_secret_key(VAR_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when DEBUG=0 (production), "
            "e.g. ALLOWED_HOSTS=retex.example.org"
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public address of the site, used in emails, feeds and the Wagtail admin.
BASE_URL = env_str("BASE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL

# --- Applications ------------------------------------------------------------------

INSTALLED_APPS = [
    # Our apps first so that their templates override third-party ones.
    "retex",
    "territories",
    "members",
    "knowledge",
    "events",
    "search",
    "aid",
    "following",
    "letter",
    # The composition root (URLs, seed_demo): imports the apps above.
    "project",
    # Before django_tasks_db: its `db_worker` command replaces the library's.
    "retex.worker",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    # First: the request id covers everything logged by the others, and the access
    # line measures the whole request (retex/request_log.py).
    "retex.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and authentication: anonymous visitors' cached pages are
    # served without them (retex/page_cache/).
    "retex.page_cache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: signed-in people are served the pages
    # stored for those who may see the same (retex/page_cache/).
    "retex.page_cache.middleware.SignedInPageCacheMiddleware",
    # After allauth's and the messages middleware: sends staff without a second
    # factor from the admin to the MFA set-up page, with a message.
    "members.middleware.AdminRequiresMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "retex.middleware.PermissionsPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "project.urls"
# Django's form templates, with errors of radio and checkbox groups linked to
# each choice (retex/forms.py).
FORM_RENDERER = "retex.forms.FormRenderer"
WSGI_APPLICATION = "retex.wsgi.application"
ASGI_APPLICATION = "retex.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "retex.context_processors.site_navigation",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'retex.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web server and the task worker write to the same file: WAL lets readers
    # go on during a write, IMMEDIATE transactions queue writers instead of failing
    # with "database is locked" half-way through a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
# Every alias on Redis uses retex/cache_backend.py: short timeouts, no retries, a
# circuit breaker (Redis down or hung means uncached pages and rate limits not
# enforced, never errors) and epochs (nothing stored before an outage is read
# after it). How long a connection or an answer may take, in milliseconds:
REDIS_TIMEOUT_MS = env_int("REDIS_TIMEOUT_MS", 300)
_REDIS_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT_MS / 1000,
    "socket_timeout": REDIS_TIMEOUT_MS / 1000,
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "retex.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "retex"),
            "TIMEOUT": 300,
            "OPTIONS": _REDIS_OPTIONS,
        }
    }
    # Sessions read from Redis, written through to the database (a Redis
    # restart logs nobody out): one query less on every signed-in request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "retex",
        }
    }
# Whole pages for anonymous visitors (retex/page_cache.py), apart from the rest so
# that many pages never push out rate-limit counters: in Redis under their own
# prefix; otherwise in each process's memory, at most 500 pages.
if REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "retex.cache_backend.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "retex") + "-pages",
        "OPTIONS": _REDIS_OPTIONS,
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "retex-pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
# How long an anonymous visitor's page may be served from the cache, at most
# (seconds; 0 turns the page cache off). Any change that shows on a page empties
# it at once, in every process sharing the cache, so the limit only bounds what
# changes with time alone (upcoming events, registration windows). On by default
# with REDIS_URL only: without it each process has its own cache and a change
# made in one (an editor publishing) would reach the others only on expiry.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300 if REDIS_URL else 0)
# Rendered fragments (retex/fragments.py: resource cards) kept in the same cache
# under the same invalidation, at most this long. Unset: as long as pages (so off
# with the page cache, and without Redis); 0 turns fragments off alone, every
# fragment rendered each time (the benchmark's fully cold figure).
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", None)

# --- Background tasks --------------------------------------------------------------

# "database" (django-tasks-db; run `python manage.py db_worker`) or "immediate"
# (run in the web process; the test suite uses it).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# Each `db_worker` writes a heartbeat this often (seconds); the tasks of a worker
# not seen for TASKS_WORKER_DEAD_AFTER_SECONDS are put back in the queue by the
# others (retex/worker/worker.py). Longer than any pause of a live worker's
# heartbeat (a database outage counts: its tasks may then run twice, their emails
# still once).
TASKS_WORKER_HEARTBEAT_SECONDS = env_int("TASKS_WORKER_HEARTBEAT_SECONDS", 10)
TASKS_WORKER_DEAD_AFTER_SECONDS = env_int("TASKS_WORKER_DEAD_AFTER_SECONDS", 120)

# --- Search ------------------------------------------------------------------------

# Absent: the database search backend (SQLite FTS5 or PostgreSQL full-text search).
# Set (e.g. "http://localhost:9200", or "https://user:password@host:9200"): searches
# and suggestions go to Elasticsearch (search/backends/elasticsearch.py), with the
# database as fallback: on any Elasticsearch error the database answers and the
# error is logged; after a connection failure Elasticsearch is left alone for 30 s.
# The database index is always kept up to date too. Run `manage.py search_reindex`
# to create the Elasticsearch index and after an outage (changes made meanwhile
# reached only the database); synonym changes rebuild it in the background.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
# Indexes are "{prefix}-documents-{timestamp}" behind the alias "{prefix}-documents";
# a distinct prefix lets several sites (or the live tests) share one cluster.
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "retex")
# Search answers are cached (shared cache) until the index changes, at most this
# long; 0 turns the cache off (the benchmark measures both).
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 600)

# Wagtail's own search, used by the admin's page and image choosers.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french",
    }
}

# --- Accounts ----------------------------------------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_VALIDATORS}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/mon-espace/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# A link rather than a code: people often open the email on another device (their
# phone) than the one they signed up on. The link opens a confirmation page with a
# button (no confirmation on GET), so mail scanners that follow links confirm
# nothing.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# The password reset form answers the same whether the address has an account or
# not (enumeration prevented). An unknown address still gets a short "no account
# here, sign up with this link" email (allauth's "unknown account" email): élus and
# agents often have several addresses (town hall, intercommunality, personal) and
# this tells the mailbox owner, and only them, which one is not registered. Both
# cases sending an email also keeps their response times alike. Abuse (mailing
# strangers) is capped by the "reset_password" per-address rate limit below.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# Sensitive account changes (email, password, two-factor) ask again for the
# password or the authenticator app. Not for a code sent by email: whoever reads
# the mailbox of a shared town-hall address would get past the MFA that editors
# must use. (allauth 65.22 added and enables "code" by default; its two views
# then answer 403.)
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
# A logged-in member without admin access who opens /admin/ is sent by Wagtail to
# the login page ("no permission"); redirecting logged-in people away from it
# would send them back to /admin/, in a loop. They see the form and the message.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# Security notifications (password changed, email changed, MFA turned on or off).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Emails say "Retex" (templates in site/templates/account/email/); their links
# are moved onto BASE_URL by the adapter (retex.links.absolute_url), whatever host
# the request came on.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Retex] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Rate limits ("amount/period/per", per = ip, key or user), counted in the cache:
# shared by all web processes only with REDIS_URL (in-memory, each process counts
# alone). A town hall's agents often share one IP address, hence roomy per-IP
# limits and tight per-account ones. allauth answers 429 (site/templates/429.html)
# or, for failed logins, shows "Trop de tentatives…" on the login form.
ACCOUNT_RATE_LIMITS = {
    # Every login attempt, successful or not.
    "login": "30/m/ip",
    # Wrong passwords: per IP, and per account (5 in 5 minutes). Also caps wrong
    # two-factor codes, per account.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip,100/h/ip",
    # Reset emails: per IP, and per address (known or not: see above).
    "reset_password": "20/m/ip,5/h/key",
    # The page the reset email links to.
    "reset_password_from_key": "20/m/ip",
    # Resending the verification email: once every 3 minutes per address.
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Number of reverse proxies in front of the site that append to X-Forwarded-For.
# Leave 0 without a proxy; behind nginx or a load balancer set it, or everybody
# shares the proxy's address and its per-IP rate limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# allauth reads the client address through `retex.ratelimit.client_ip`, like the
# site's own rate limits: one reading of X-Forwarded-For for the whole site.
ACCOUNT_ADAPTER = "retex.ratelimit.AccountAdapter"
# Sign-up does the same work whether the address has an account or not (hashing
# the password, one email), so that timing does not tell; and two sign-ups racing
# for one new address end like one for a registered address (members/forms.py).
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}
# The site's own rate limits (retex/ratelimit.py), "amount/period", counted per
# account when logged in, else per client address, in the same cache. Past them
# pages answer 429 with a French page, the JSON API with a French `error`, both
# with Retry-After.
RETEX_RATE_LIMITS = {
    # POSTs to an event's inscription/ and desinscription/ (each sends emails).
    "event_registration": "30/10m",
    # The JSON search API; the suggestions follow keystrokes, hence more room.
    "search_api": "120/m",
    "search_suggest": "300/m",
    # POSTs of the mutual-aid space that write (questions, answers, reports).
    "aid_post": "20/h",
    # The letter's public subscription form (each POST may send an email).
    "letter_subscribe": "10/h",
    # Practices proposed or changed from Mon espace (each starts a review and
    # emails the moderators).
    "practice_proposal": "20/h",
}
# RATE_LIMITS="search_api=600/m,event_registration=10/10m" overrides some of them
# (the benchmark, a load generator on one address, lifts them this way).
for _item in env_list("RATE_LIMITS", []):
    _action, _sep, _rate = _item.partition("=")
    if not _sep or _action.strip() not in RETEX_RATE_LIMITS:
        raise ImproperlyConfigured(
            f"RATE_LIMITS: {_item!r} is not action=rate with action among "
            + ", ".join(RETEX_RATE_LIMITS)
        )
    RETEX_RATE_LIMITS[_action.strip()] = _rate.strip()
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Retex"

# Staff and editors (`is_staff` or the "access Wagtail admin" permission) must turn
# on two-factor authentication before the admin opens: members.middleware sends
# them to the authenticator-app set-up page (allauth has no setting for this).
# On everywhere by default; ADMIN_REQUIRES_MFA=0 turns it off for everybody.
RETEX_ADMIN_REQUIRES_MFA = env_bool("ADMIN_REQUIRES_MFA", True)
# The one exemption: on a laptop (DEBUG=1) the demo administrator created by
# `make run` (`manage.py demo_admin`, which refuses to run with DEBUG=0) gets in
# without an authenticator app. Every other account, local ones included, still
# needs MFA; and the middleware ignores this list whenever DEBUG is off, so it can
# never open a production admin.
RETEX_ADMIN_MFA_EXEMPT_EMAILS = ["admin@retex.localhost"] if DEBUG else []

# The Wagtail admin has no login form of its own: it sends people through allauth
# (rate limits, email verification, MFA).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# No avatar from gravatar.com: the admin would send each user's email hash to a
# third party on every page. Wagtail shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# One password reset and one email management, allauth's (rate-limited, verified
# addresses): Wagtail's own would bypass them.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# No "private, with a password" option for pages and collections: Wagtail's
# password form has no rate limit and keeps the password in clear. Members-only
# content uses the "Membres" group; restrictions made before keep working.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}

# --- Email -------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Retex <ne-pas-repondre@retex.localhost>"
)
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    # No SMTP server configured: every email is written as a file under var/mail/.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Internationalisation ----------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SITE_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]

# --- Static and media files --------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600
if DEBUG:
    # Production fills STATIC_ROOT with collectstatic; locally it may not exist yet.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Wagtail -----------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Retex"
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "ods",
    "odp",
    "pdf",
    "pptx",
    "txt",
    "xlsx",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents are checked by content too (a page renamed .pdf is refused), in
# every admin form that uploads one (knowledge/uploads.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "knowledge.uploads.DocumentForm"
# Always through Wagtail's view, which asks knowledge/document_access.py who may
# download (members-only documents), and never a redirect to the media URL:
# MEDIA_ROOT/documents/ must not be served by the web server.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Served documents get "Content-Security-Policy: default-src 'none'" and nosniff
# from Wagtail; only PDFs open in the browser, everything else downloads.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# Images are opened by Willow on upload: their format must match their extension.
# No SVG: it can carry scripts, and would be served from the site's origin.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Decompression bombs: a small file that decodes to a huge bitmap (a 50 Mpx
# phone photo passes).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 60_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

# --- Security ----------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views opt back in to SAMEORIGIN.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy (nginx, a load balancer) that sets
    # X-Forwarded-Proto: trust it, or every request looks like plain HTTP and the
    # HTTPS redirect loops. Only enable it when the proxy overwrites the header.
    if env_bool("USE_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
# The health check is probed over plain HTTP by load balancers and orchestrators.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp) on the public site: scripts, styles, fonts
# and images from this origin only (no CDN, no inline script). The Wagtail admin
# is excluded: its editor needs inline scripts and its previews frame the site.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline style attributes (rich text alignment, the Wagtail userbar).
        "style-src": ["'self'", "'unsafe-inline'"],
        # data: for the QR code of the two-factor set-up page.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # Like X-Frame-Options: DENY (browsers obey this one first). Wagtail's
        # previews are framed under /admin/, which this policy leaves out.
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

# --- Logging -----------------------------------------------------------------------

# Every line carries the request's id ("-" outside requests: commands, workers);
# "retex.access" logs one line per request (method, path without query string,
# status, duration), with nothing personal or secret (retex/request_log.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "retex.request_log.RequestIdFilter"},
        "secret_paths": {"()": "retex.request_log.SecretPathFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own lines with the request's path ("Not Found: …", "Internal
        # Server Error: …", CSRF failures, runserver, through the console handler):
        # secret URL parts masked.
        "django.request": {"filters": ["secret_paths"]},
        "django.security.csrf": {"filters": ["secret_paths"]},
        "django.server": {"filters": ["secret_paths"], "propagate": True},
    },
}
RETEX_TRAINING_AGREEMENT_NUMBER = env_str("TRAINING_AGREEMENT_NUMBER", "")
