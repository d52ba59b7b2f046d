"""Settings for the tourism bad-record disclosure portal.

One module, driven by environment variables (see README "Configuration"). The defaults are
the embedded set-up of `make run`: SQLite under var/ and a Celery broker on the file system.
Production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, IDENTITY_NUMBER_KEYS,
IDENTITY_NUMBER_HMAC_KEYS, CACHE_URL, NUM_PROXIES and ALLOWED_HOSTS.
"""

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from blacklist_portal.env import env_bool, env_int, env_list, env_schedule, env_str
from blacklist_portal.keys import (
    check_identity_number_keys,
    derived_fernet_key,
    derived_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

_INSECURE_DEV_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")

# Resident identity numbers are encrypted at rest and looked up by a keyed hash
# (kernel/identity_numbers.py). IDENTITY_NUMBER_KEYS: Fernet keys, newest first (make one
# with `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`);
# IDENTITY_NUMBER_HMAC_KEYS: secrets of at least 32 characters, newest first. README
# "Security settings" says how to replace them. With DEBUG on and none set, keys derived from
# SECRET_KEY are used and every command warns (kernel/checks.py); with DEBUG off the portal
# refuses to start without them, as without SECRET_KEY.
IDENTITY_NUMBER_KEYS = env_list("IDENTITY_NUMBER_KEYS", [])
IDENTITY_NUMBER_HMAC_KEYS = env_list("IDENTITY_NUMBER_HMAC_KEYS", [])
IDENTITY_NUMBER_KEYS_DERIVED = not IDENTITY_NUMBER_KEYS or not IDENTITY_NUMBER_HMAC_KEYS
if IDENTITY_NUMBER_KEYS_DERIVED and not DEBUG:
    raise ImproperlyConfigured(
        "IDENTITY_NUMBER_KEYS and IDENTITY_NUMBER_HMAC_KEYS are required when DEBUG is off."
    )
if not IDENTITY_NUMBER_KEYS:
    IDENTITY_NUMBER_KEYS = [derived_fernet_key(SECRET_KEY, "identity-number-encryption")]
if not IDENTITY_NUMBER_HMAC_KEYS:
    IDENTITY_NUMBER_HMAC_KEYS = [derived_secret(SECRET_KEY, "identity-number-hmac")]
check_identity_number_keys(IDENTITY_NUMBER_KEYS, IDENTITY_NUMBER_HMAC_KEYS)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# An expired or foreign form gets a page in the site's frame and language, not Django's.
CSRF_FAILURE_VIEW = "blacklist_portal.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "kernel",
    "workdays",
    "records",
    "accounts",
    "publication",
    "archive",
    "licensing",
    "intake",
    "rights",
    "supervision",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "blacklist_portal.middleware.ChineseFirstLocaleMiddleware",
    "blacklist_portal.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.staff_sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "blacklist_portal.urls"
WSGI_APPLICATION = "blacklist_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; the timeout rides out the
    # short write locks SQLite takes instead of failing a request with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "records.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time. Dates in the rules are calendar dates in China Standard Time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the choice outlives the browser session
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Evidence and proof files never go under STATIC_ROOT or a public MEDIA_URL: they are
    # served by views that check who asks, always as attachments.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private"))))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "blacklist_portal.static_storage.RememberedUrlsStorage"
        ),
    },
}
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# SPEC §4: evidence and proof files are PDF, JPEG or PNG of at most 10 MB.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)

# Security. These defaults make `manage.py check --deploy` clean; a local trial without TLS
# can turn the redirect and secure cookies off with the variables below.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every answer (django-csp): scripts, styles and fonts only from
# this site's own files, no inline script anywhere (the admin's, the API docs' and our
# templates' scripts are all static files). Style attributes stay allowed: the statistics
# bars set their width with one, and an attribute cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# W021 asks for HSTS preloading, a commitment browsers bake in for months: the operator opts
# in with SECURE_HSTS_PRELOAD=1 once the domain is settled, so its absence is not a warning.
SILENCED_SYSTEM_CHECKS = ["security.W021"] if not SECURE_HSTS_PRELOAD else []

# E-mail: the console in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
# The portal's address as the public reaches it, for links in e-mails sent by the worker.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Celery. The default broker keeps messages in files under var/ so that `make run` needs no
# server; production points CELERY_BROKER_URL at Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "celery-broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem://")
    else {"socket_connect_timeout": 2, "socket_timeout": 5}
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The file-system broker needs its folder before the first message; so does SQLite.
    (CELERY_BROKER_FOLDER / "control").mkdir(parents=True, exist_ok=True)
    # kombu's transport with atomic writes: its own can hand the worker a half-written file.
    CELERY_BROKER_TRANSPORT = "blacklist_portal.filesystem_broker:Transport"
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# /healthz waits at most this long for each of the database and the broker (seconds).
HEALTHZ_TIMEOUT_SECONDS = float(env_int("HEALTHZ_TIMEOUT_MS", 2000, minimum=50)) / 1000
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often the worker drains the job outbox (seconds). Web requests only write outbox rows,
# so a dead broker never slows a request down; see kernel/jobs.py.
OUTBOX_DRAIN_SECONDS = env_int("OUTBOX_DRAIN_SECONDS", 10, minimum=1)
# How long one drain keeps starting jobs (seconds): a backlog is worked through by a few
# drains in a row, and the worker's processes are free for the sweeps in between.
OUTBOX_DRAIN_BUDGET_SECONDS = env_int("OUTBOX_DRAIN_BUDGET_SECONDS", 30, minimum=1)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
# The queue the tasks go to and the worker reads; portals sharing one Redis need their own.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# SPEC §3: the expiry sweep archives ended records and starts scheduled ones. Public pages
# hide ended records by date on their own, so this only bounds how long an ended record
# waits in `published`; default minute 5 of every hour (China Standard Time).
DISCLOSURE_SWEEP_SCHEDULE = env_schedule("DISCLOSURE_SWEEP_SCHEDULE", "5 * * * *")

# The rules' numbers. Each is a named setting; the comment cites the rule.
# 《旅游经营服务不良信息管理办法(试行)》: information is published for two years unless a law
# or regulation provides otherwise.
PUBLICATION_PERIOD_YEARS = env_int("PUBLICATION_PERIOD_YEARS", 2, minimum=1)
# The 办法 as reported: bureaus publish within 5 working days of obtaining the information.
PUBLICATION_DEADLINE_WORKING_DAYS = env_int("PUBLICATION_DEADLINE_WORKING_DAYS", 5, minimum=1)
# How far ahead a reviewer may schedule the start of publication (days). Not a legal number:
# a guard against typos such as 2062 for 2026.
PUBLICATION_SCHEDULE_MAX_DAYS = env_int("PUBLICATION_SCHEDULE_MAX_DAYS", 90, minimum=1)
# Drafts and submissions this many working days (or fewer) before their deadline are listed
# as "due soon" for the bureau and its supervisors.
DEADLINE_WARNING_WORKING_DAYS = env_int("DEADLINE_WARNING_WORKING_DAYS", 2, minimum=0)

# The public list and open data (SPEC §5). Not legal numbers: page sizes and cache lifetimes.
PUBLIC_PAGE_SIZE = env_int("PUBLIC_PAGE_SIZE", 20, minimum=1)
PUBLIC_MAX_PAGE_SIZE = env_int("PUBLIC_MAX_PAGE_SIZE", 100, minimum=1)
# Deep pages cost an ever larger OFFSET; beyond this many rows the pages ask for a narrower
# filter, and the API (cursor pagination), the CSV export and the change feed serve the rest.
PUBLIC_MAX_LIST_ROWS = env_int("PUBLIC_MAX_LIST_ROWS", 10_000, minimum=1)
# The same for a name search of the public list ("200+": ten pages of twenty), which may open
# that deep only: a citizen refines a search of 张 or 酒店 rather than paging through it.
PUBLIC_SEARCH_COUNT_CAP = env_int("PUBLIC_SEARCH_COUNT_CAP", 200, minimum=1)
# Staff lists count their rows up to this many and show "10,000+" beyond: an exact count of a
# province's records is a scan of every one of them on every page.
ADMIN_LIST_COUNT_CAP = env_int("ADMIN_LIST_COUNT_CAP", 10_000, minimum=1)
# The same for a staff list's search results ("1,000+").
ADMIN_SEARCH_COUNT_CAP = env_int("ADMIN_SEARCH_COUNT_CAP", 1_000, minimum=1)
PUBLIC_COUNT_CACHE_SECONDS = env_int("PUBLIC_COUNT_CACHE_SECONDS", 300, minimum=0)
PUBLIC_STATISTICS_CACHE_SECONDS = env_int("PUBLIC_STATISTICS_CACHE_SECONDS", 600, minimum=0)
PUBLIC_FEED_ITEMS = env_int("PUBLIC_FEED_ITEMS", 50, minimum=1)
# Rendered public pages are cached under their ETag (publication/caching.py); a change to any
# record changes the ETag. The lifetime bounds memory and the damage of a web server whose
# clock lags (its changes could carry an older updated_at). 0 turns the cache off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 120, minimum=0)
# How long a process reuses the list's change stamp (the MAX(updated_at) behind Last-Modified
# and the ETag) before asking the database again: a change shows at most this late.
PUBLIC_STAMP_CACHE_SECONDS = env_int("PUBLIC_STAMP_CACHE_SECONDS", 1, minimum=0)
PUBLIC_PAGE_CACHE_MAX_BYTES = env_int("PUBLIC_PAGE_CACHE_MAX_BYTES", 512 * 1024, minimum=0)
# Counts, statistics and rendered public pages. Per process by default; CACHE_URL (e.g.
# redis://redis:6379/1) shares them between all gunicorn workers, so a page is rendered once.
CACHE_URL = env_str("CACHE_URL", "")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// URL, or empty.")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 2000, minimum=10)},
        }
    }
# Limits (kernel/limits.py) count in this cache: Redis through CACHE_URL in production, so
# that every web worker sees the same counts. The per-process default lets each gunicorn
# worker count on its own (`manage.py check --deploy` warns).
LIMITS_CACHE = "default"
# Client addresses (kernel/client_address.py). NUM_PROXIES: how many reverse proxies in front
# of the portal append to X-Forwarded-For; 0 (the default) ignores the header, which any
# client can forge. TRUSTED_PROXIES: their addresses or networks (e.g. 10.0.0.0/8); when set,
# the header is believed only on requests that come from one of them.
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# How often one client address, and one e-mail address or account, may ask for a thing
# (kernel/limits.py notation: 5/min, 10/hour, 100/day). Not legal numbers: they stop mail
# floods and guessing, and stay far above what a person does by hand.
SIGNUP_RATE_PER_ADDRESS = env_str("SIGNUP_RATE_PER_ADDRESS", "10/hour")
SIGNUP_RATE_PER_EMAIL = env_str("SIGNUP_RATE_PER_EMAIL", "3/hour")
PASSWORD_RESET_RATE_PER_ADDRESS = env_str("PASSWORD_RESET_RATE_PER_ADDRESS", "10/hour")
PASSWORD_RESET_RATE_PER_EMAIL = env_str("PASSWORD_RESET_RATE_PER_EMAIL", "3/hour")
EMAIL_VERIFY_RATE_PER_ADDRESS = env_str("EMAIL_VERIFY_RATE_PER_ADDRESS", "30/hour")
# Public check verification (/verify/): per address (also LICENSING_VERIFY_RATE for DRF's
# scope below) and per check number, so that rotating addresses cannot guess one code.
CHECK_VERIFY_RATE_PER_NUMBER = env_str("CHECK_VERIFY_RATE_PER_NUMBER", "30/hour")
# Staff searching practitioners by identity number (their own bureau's only), per account.
IDENTITY_NUMBER_SEARCH_RATE = env_str("IDENTITY_NUMBER_SEARCH_RATE", "30/hour")
CHANGE_FEED_LIMIT = env_int("CHANGE_FEED_LIMIT", 1000, minimum=1)

# Credit archive (SPEC §6). Only directly interested parties (直接利害关系人) may query the
# archive, by applying to a bureau at county level or above, which answers within a deadline.
# The issue's default: the bureau decides within 15 working days of the filing.
ARCHIVE_REQUEST_DEADLINE_WORKING_DAYS = env_int(
    "ARCHIVE_REQUEST_DEADLINE_WORKING_DAYS", 15, minimum=1
)
# An approval grants read access for this many calendar days, the day of approval included;
# after that the requester sees nothing (SPEC §6: "for a limited window", default 30 days).
ARCHIVE_ACCESS_WINDOW_DAYS = env_int("ARCHIVE_ACCESS_WINDOW_DAYS", 30, minimum=1)
# Archive reviewers are reminded once when a request is this many working days (or fewer)
# from its deadline; the beat runs the reminders and the overdue digest at this hour (CST).
ARCHIVE_REMINDER_WORKING_DAYS = env_int("ARCHIVE_REMINDER_WORKING_DAYS", 3, minimum=0)
ARCHIVE_REMINDER_HOUR = env_int("ARCHIVE_REMINDER_HOUR", 8, minimum=0)
# Supervision measures (SPEC §8): the staff roles that may log inspections, unannounced visits
# and rectification orders, and triage leads, in their bureau's region. Not a legal number.
SUPERVISION_MEASURE_ROLES = env_list("SUPERVISION_MEASURE_ROLES", ["supervisor", "reviewer"])
# Rectification orders due within this many working days are listed as "due soon".
SUPERVISION_DUE_SOON_WORKING_DAYS = env_int("SUPERVISION_DUE_SOON_WORKING_DAYS", 3, minimum=0)
# "Listed but not supervised": public subjects with no measure within this many calendar days
# of their record's publication (the 办法 asks for supervision of listed subjects; the
# interval is a bureau's policy, not a legal number).
SUPERVISION_UNSUPERVISED_DAYS = env_int("SUPERVISION_UNSUPERVISED_DAYS", 90, minimum=1)
# Leads (举报线索) from the public: the receiving bureau gives a first answer within this many
# working days of the filing; its staff are reminded once this many working days before.
LEAD_FIRST_ANSWER_WORKING_DAYS = env_int("LEAD_FIRST_ANSWER_WORKING_DAYS", 10, minimum=1)
LEAD_REMINDER_WORKING_DAYS = env_int("LEAD_REMINDER_WORKING_DAYS", 2, minimum=0)
LEAD_REMINDER_HOUR = env_int("LEAD_REMINDER_HOUR", 8, minimum=0)
# Abuse limits on the public lead form (kernel/limits.py notation), per client address and
# per contact (phone or e-mail); following a lead is limited per address and per receipt
# number, so that rotating addresses buys no more guesses at one code.
LEAD_RATE_PER_ADDRESS = env_str("LEAD_RATE_PER_ADDRESS", "5/hour")
LEAD_RATE_PER_CONTACT = env_str("LEAD_RATE_PER_CONTACT", "3/hour")
LEAD_FOLLOW_RATE_PER_ADDRESS = env_str("LEAD_FOLLOW_RATE_PER_ADDRESS", "20/min")
LEAD_FOLLOW_RATE_PER_NUMBER = env_str("LEAD_FOLLOW_RATE_PER_NUMBER", "30/hour")
# Size limits of one lead: attachments (each also within UPLOAD_MAX_BYTES) and text length.
LEAD_MAX_ATTACHMENTS = env_int("LEAD_MAX_ATTACHMENTS", 3, minimum=0)
LEAD_TEXT_MAX_CHARS = env_int("LEAD_TEXT_MAX_CHARS", 5000, minimum=100)
# A lead with the same subject and text as one filed within this many days is refused as a
# duplicate (the reporter is told the earlier one is being handled).
LEAD_DUPLICATE_DAYS = env_int("LEAD_DUPLICATE_DAYS", 30, minimum=1)
# The listed subject's rights (rights app). Each number comes with the rule it is taken from,
# shown to subjects and staff as written here (RIGHTS_LEGAL_BASIS).
# Objections (异议): the publishing bureau answers within 15 working days of the filing
# (《游客不文明行为记录管理暂行办法》, 2015, art. 10: objection with evidence to the recording
# authority, answered within 15 working days; the record stays in force meanwhile).
OBJECTION_ANSWER_WORKING_DAYS = env_int("OBJECTION_ANSWER_WORKING_DAYS", 15, minimum=1)
# Whether the public detail page and the change feed show "异议处理中" while an objection is
# open (the record itself stays public either way).
OBJECTION_FLAG_PUBLIC = env_bool("OBJECTION_FLAG_PUBLIC", True)
# Credit repair (信用修复): a subject may apply only after this many months on the list. The
# default is the shortest display period for ordinary dishonesty penalty information in the
# NDRC credit-repair measures (in force since 2026-04-01: minimum three months, display ending
# at the maximum) and the 2022 culture-and-tourism credit-repair guide; set it to what the
# national authority adopts.
REPAIR_MINIMUM_DISPLAY_MONTHS = env_int("REPAIR_MINIMUM_DISPLAY_MONTHS", 3, minimum=0)
# The publishing bureau decides a repair application within this many working days (the
# NDRC measures' decision deadline; the same 15 as objections by default).
REPAIR_DECISION_WORKING_DAYS = env_int("REPAIR_DECISION_WORKING_DAYS", 15, minimum=1)
# Grounds never repaired early: G4 (criminal sentence) by default, as the credit rules exclude
# records that rest on a criminal judgment from repair before the period ends.
REPAIR_EXCLUDED_GROUNDS = env_list("REPAIR_EXCLUDED_GROUNDS", ["G4"])
# Staff are shown records published this many working days ago or more that still have no
# notice (告知) to the subject recorded.
NOTICE_OVERDUE_WORKING_DAYS = env_int("NOTICE_OVERDUE_WORKING_DAYS", 5, minimum=1)
# Reviewers are reminded once when an objection or repair application is this many working
# days (or fewer) from its deadline; the beat runs at RIGHTS_REMINDER_HOUR (CST).
RIGHTS_REMINDER_WORKING_DAYS = env_int("RIGHTS_REMINDER_WORKING_DAYS", 3, minimum=0)
RIGHTS_REMINDER_HOUR = env_int("RIGHTS_REMINDER_HOUR", 8, minimum=0)
RIGHTS_LEGAL_BASIS = {
    "objection": env_str(
        "OBJECTION_LEGAL_BASIS",
        "《游客不文明行为记录管理暂行办法》（2015）第十条：当事人提出异议并提供证据的，"
        "记录机关在15个工作日内作出答复；异议成立的予以更正，处理期间记录继续有效。",
    ),
    "repair": env_str(
        "REPAIR_LEGAL_BASIS",
        "《文化和旅游市场信用管理规定》及《文化和旅游市场信用修复指南》（2022）；"
        "国家发展改革委信用修复管理办法（2026年4月1日起施行）：最短公示期届满后可申请信用修复，"
        "最长公示期届满后停止公示。",
    ),
}
# The working-day calendar (SPEC §3). The State Council publishes next year's holidays and
# adjusted working days in late autumn: from this month and day on, the national
# administrators are warned (dashboard, one e-mail at CALENDAR_REMINDER_HOUR, CST) while next
# year has no approved calendar. Not legal numbers.
CALENDAR_WARNING_MONTH = env_int("CALENDAR_WARNING_MONTH", 11, minimum=1)
CALENDAR_WARNING_DAY = env_int("CALENDAR_WARNING_DAY", 1, minimum=1)
CALENDAR_REMINDER_HOUR = env_int("CALENDAR_REMINDER_HOUR", 9, minimum=0)
# How long a process reuses a year's calendar before reading it again: after an approval or
# a correction, other processes count on the new calendar at most this late.
WORKDAYS_CALENDAR_CACHE_SECONDS = env_int("WORKDAYS_CALENDAR_CACHE_SECONDS", 60, minimum=0)
# Public accounts: after this many failed sign-ins in a row a login name is locked for this
# many minutes, whether or not an account of that name exists (no account-existence oracle).
# Not a legal number: GB/T 22239-2019 (等保 2.0) asks for a lockout after repeated failures.
ACCOUNT_LOCKOUT_FAILURES = env_int("ACCOUNT_LOCKOUT_FAILURES", 5, minimum=1)
ACCOUNT_LOCKOUT_MINUTES = env_int("ACCOUNT_LOCKOUT_MINUTES", 15, minimum=1)
# The same lock applies to every sign-in (staff, public, API token creation) and also per
# client address, after more failures: an office behind one NAT address shares the count.
ACCOUNT_LOCKOUT_ADDRESS_FAILURES = env_int("ACCOUNT_LOCKOUT_ADDRESS_FAILURES", 20, minimum=1)
# Staff sessions (ASVS 3.3): signed out after this many idle minutes, and this many hours
# after sign-in whatever happens. Public accounts keep Django's two-week session.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12, minimum=1)
# The name authenticator apps show beside a staff account's codes.
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Tourism bad-record portal")
# API tokens (accounts.api_tokens): valid this many days unless the officer picks fewer;
# never more than the maximum.
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)
# Links in sign-up and password-reset e-mails stay valid this long (seconds).
PASSWORD_RESET_TIMEOUT = env_int("ACCOUNT_LINK_SECONDS", 3 * 24 * 3600, minimum=600)
LOGIN_URL = "accounts:login"

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "blacklist_portal.api_parsers.Utf8JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": None,
    # Our throttles read kernel.client_address; this keeps DRF's own from believing the header.
    "NUM_PROXIES": NUM_PROXIES,
}
# Licence-review lookup (SPEC §7). The 办法 asks bureaus to look every applicant up; how alike
# two company names must be is a policy choice, not a legal number: scores are 0–100.
LICENSING_LISTED_NAME_SCORE = env_int("LICENSING_LISTED_NAME_SCORE", 95, minimum=1)
LICENSING_REVIEW_NAME_SCORE = env_int("LICENSING_REVIEW_NAME_SCORE", 80, minimum=1)
LICENSING_BATCH_MAX_ROWS = env_int("LICENSING_BATCH_MAX_ROWS", 20_000, minimum=1)
# Parts a batch is cut into, each its own outbox job: drains running side by side in the
# worker's processes (its concurrency) run them in parallel.
LICENSING_BATCH_PARTS = env_int("LICENSING_BATCH_PARTS", 2, minimum=1)
# Spreadsheet intake of records: a file larger or longer than these is refused before it is
# read (a template with 10,000 rows is about 1.5 MB).
INTAKE_MAX_BYTES = env_int("INTAKE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
INTAKE_MAX_ROWS = env_int("INTAKE_MAX_ROWS", 10_000, minimum=1)
# Public verification attempts (/verify/) per client address.
LICENSING_VERIFY_RATE = env_str("LICENSING_VERIFY_RATE", "20/min")
REST_FRAMEWORK.setdefault("DEFAULT_THROTTLE_RATES", {}).update(
    {
        # Licensing systems' calls per token, and public verification attempts per address.
        "licensing_checks": env_str("LICENSING_API_RATE", "120/min"),
        "licensing_verify": LICENSING_VERIFY_RATE,
    }
)

SPECTACULAR_SETTINGS = {
    "TITLE": "Tourism bad-record disclosure API",
    "DESCRIPTION": "Open data of the tourism bad-record disclosure portal.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page's scripts are served from our own static files, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "publication.api.schema.list_filters_allow_empty_values",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
