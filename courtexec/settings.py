"""CourtExec settings: one module, driven by environment variables (see README, "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import dj_database_url

from courtexec.redis_urls import db_of, with_db

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a fixed development key is used; `check --deploy` flags it (security.W009),
# so production must set its own.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-courtexec-development-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "courtexec",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "django_htmx",
    "enforcement",
    "casefunds",
    "debtors",
    "standby",
    "vehicles",
    "enforcement.liaison",
    "courtexec.command",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "courtexec.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "courtexec.middleware.RejectNulInQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "courtexec.urls"
WSGI_APPLICATION = "courtexec.wsgi.application"
AUTH_USER_MODEL = "courtexec.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

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
                "courtexec.context_processors.shell",
            ],
        },
    },
]

# --- Database: DATABASE_URL, or the embedded PostgreSQL under var/ -------------------------
if os.environ.get("DATABASE_URL"):
    DATABASE_URL = os.environ["DATABASE_URL"]
else:
    from courtexec import embedded

    DATABASE_URL = embedded.postgres_url()
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise RuntimeError("CourtExec runs on PostgreSQL only: DATABASE_URL must be postgres://…")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: REDIS_URL, or the embedded Redis under var/ ------------------------------------
# The broker uses REDIS_URL's database, the cache the next one (see courtexec.redis_urls).
if os.environ.get("REDIS_URL"):
    REDIS_URL = os.environ["REDIS_URL"]
    CELERY_BROKER_URL = REDIS_URL
else:
    from courtexec import embedded

    _socket = quote(str(embedded.redis_socket()))
    REDIS_URL = f"unix://{_socket}?db=0"
    CELERY_BROKER_URL = f"redis+socket://{_socket}?virtual_host=0"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": with_db(REDIS_URL, db_of(REDIS_URL) + 1),
        "KEY_PREFIX": "courtexec",
    }
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "courtexec.beat:HeartbeatScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Seconds after which /healthz treats beat as down when it has written no heartbeat.
BEAT_HEARTBEAT_MAX_AGE = int(os.environ.get("BEAT_HEARTBEAT_MAX_AGE", "60"))

# History is a record, not an undo button: reverting would bypass the services' rules.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Bureau policies (*policy* in BRIEF.md: a court's own rules, not law) -------------------
# 3个月以上未结案会诊: cases open longer than this are put before a consultation, again after
# the same period.
CONSULTATION_AFTER_MONTHS = int(os.environ.get("CONSULTATION_AFTER_MONTHS", "3"))
# Asset disposals above this amount (yuan) need a joint-meeting decision (局长、科长联席会议).
JOINT_MEETING_DISPOSAL_THRESHOLD = int(os.getenv("JOINT_MEETING_DISPOSAL_THRESHOLD", "1000000"))
# List badge "due soon": the time limit ends within this many days.
CASE_DUE_SOON_DAYS = int(os.environ.get("CASE_DUE_SOON_DAYS", "30"))
# Case funds: unattributed money must be assigned to a case within this many days (暂收款).
FUNDS_SUSPENSE_MAX_DAYS = int(os.environ.get("FUNDS_SUSPENSE_MAX_DAYS", "3"))
# Hours a payout may stay in each step before it shows a yellow light (环节超时黄灯).
FUNDS_PAYOUT_STEP_HOURS = {
    "draft": int(os.environ.get("FUNDS_STEP_HOURS_PROPOSED", "48")),
    "approved": int(os.environ.get("FUNDS_STEP_HOURS_APPROVED", "24")),
    "reviewed": int(os.environ.get("FUNDS_STEP_HOURS_REVIEWED", "4")),
    "submitting": 1,
    "submitted": int(os.environ.get("FUNDS_STEP_HOURS_WITH_BANK", "24")),
}
# Seconds a payout may sit in "submitting" before the reconciler asks the bank about it. Must
# exceed the bank adapter's request timeout: a payment the bank has not heard of by then is
# treated as never sent.
FUNDS_RECONCILE_AFTER_SECONDS = int(os.environ.get("FUNDS_RECONCILE_AFTER_SECONDS", "60"))
# Adapters for systems outside the court (dotted paths); the sandboxes serve demo and tests.
FUNDS_BANK_ADAPTER = os.environ.get("FUNDS_BANK_ADAPTER", "casefunds.bank.SandboxBank")
# The liaison station (执行联络站). One-time sign-in codes: lifetime, wrong tries allowed, and
# how many codes one phone number and one address may ask for per hour. Attachments: the
# largest file and the content types accepted. Party messages unanswered for this many working
# days are flagged to the section chief.
LIAISON_CODE_SECONDS = int(os.environ.get("LIAISON_CODE_SECONDS", "300"))
LIAISON_CODE_ATTEMPTS = int(os.environ.get("LIAISON_CODE_ATTEMPTS", "5"))
LIAISON_CODES_PER_PHONE_HOUR = int(os.environ.get("LIAISON_CODES_PER_PHONE_HOUR", "5"))
LIAISON_CODES_PER_ADDRESS_HOUR = int(os.environ.get("LIAISON_CODES_PER_ADDRESS_HOUR", "20"))
LIAISON_ATTACHMENT_MAX_BYTES = int(os.environ.get("LIAISON_ATTACHMENT_MAX_BYTES", str(10 << 20)))
LIAISON_ATTACHMENT_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"]
LIAISON_UNANSWERED_WORKING_DAYS = int(os.environ.get("LIAISON_UNANSWERED_WORKING_DAYS", "2"))
# The court's WeChat official account (微信公众号): the token and EncodingAESKey set on the
# WeChat platform's server page, the account's AppID and AppSecret, and its adapter.
# Without WECHAT_TOKEN the callback answers 404 (no official account configured).
WECHAT_TOKEN = os.environ.get("WECHAT_TOKEN", "")
WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
WECHAT_ENCODING_AES_KEY = os.environ.get("WECHAT_ENCODING_AES_KEY", "")
# The message mode chosen on the platform: "safe" (encrypted only), "compatible" or "plain".
WECHAT_MESSAGE_MODE = os.environ.get("WECHAT_MESSAGE_MODE", "safe")
# A callback whose timestamp is further than this from now is refused, and a (timestamp, nonce)
# pair is accepted once within it (replay protection).
WECHAT_TIMESTAMP_WINDOW_SECONDS = int(os.environ.get("WECHAT_TIMESTAMP_WINDOW_SECONDS", "300"))
WECHAT_BINDING_CODE_SECONDS = int(os.environ.get("WECHAT_BINDING_CODE_SECONDS", "600"))
# Wrong binding codes accepted per hour from all openids together (then "try again later").
WECHAT_WRONG_BINDING_CODES_PER_HOUR = int(
    os.environ.get("WECHAT_WRONG_BINDING_CODES_PER_HOUR", "100")
)
# The real adapter (courtexec.channels.wechat.WechatApi): WeChat's API host, the template used
# outside the 48-hour customer-service window, and the public address the menu links to.
WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_TEMPLATE_ID = os.environ.get("WECHAT_TEMPLATE_ID", "")
WECHAT_SITE_URL = os.environ.get("WECHAT_SITE_URL", "http://localhost:8000")
# Outside channels: dotted paths of the adapters (see courtexec.channels and docs/channels.md).
DELIVERY_ADAPTERS = {
    "sms": os.environ.get("SMS_ADAPTER", "courtexec.channels.sms.SandboxSms"),
    "email": os.environ.get("EMAIL_ADAPTER", "courtexec.channels.email.DjangoEmail"),
    "wechat": os.environ.get("WECHAT_ADAPTER", "courtexec.channels.wechat.SandboxWechat"),
}
# Email goes through Django's backend: SMTP in production (EMAIL_HOST...), the console here.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "courtexec@localhost")
# Policy: how often a message the channel may take later is tried (then it is failed and the
# system administrators are told), and the delay before the first retry (doubling each time).
DELIVERY_MAX_ATTEMPTS = int(os.environ.get("DELIVERY_MAX_ATTEMPTS", "5"))
DELIVERY_RETRY_SECONDS = int(os.environ.get("DELIVERY_RETRY_SECONDS", "60"))
# A row claimed for sending longer than this (its relay died before recording the outcome) is
# counted as a failed attempt and retried; longer than any one send may take (10 s timeouts).
DELIVERY_SENDING_TIMEOUT_SECONDS = int(os.environ.get("DELIVERY_SENDING_TIMEOUT_SECONDS", "300"))
# Alibaba Cloud SMS (阿里云短信, SMS_ADAPTER=courtexec.channels.aliyun.AliyunSms): the RAM
# user's AccessKey, the approved signature (签名) and a template (模板) with one ${content}.
ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = os.environ.get("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATE_CODE = os.environ.get("ALIYUN_SMS_TEMPLATE_CODE", "")
ALIYUN_SMS_TIMEOUT_SECONDS = float(os.environ.get("ALIYUN_SMS_TIMEOUT_SECONDS", "10"))
# Property investigation (财产查控): a search of a party and asset class done within this many
# days is reused by every case of that party; the point-to-point bank adapter; the lead times
# (days before expiry) of freeze-renewal reminders.
DEBTORS_SEARCH_REUSE_DAYS = int(os.environ.get("DEBTORS_SEARCH_REUSE_DAYS", "30"))
DEBTORS_BANK_ADAPTER = os.environ.get("DEBTORS_BANK_ADAPTER", "debtors.banks.SandboxBank")
DEBTORS_RENEWAL_LEAD_DAYS = [
    int(days) for days in os.environ.get("DEBTORS_RENEWAL_LEAD_DAYS", "30,7").split(",")
]
# The 24-hour tip hotline (举报热线) printed on every public page, notice and the big screen.
DEBTORS_TIP_HOTLINE = os.environ.get("DEBTORS_TIP_HOTLINE", "0571-85190000")
# The big screen (曝光大屏): at most this many published entries, rotated in pages.
DEBTORS_BIG_SCREEN_MAX = int(os.environ.get("DEBTORS_BIG_SCREEN_MAX", "500"))
# Tips (举报线索), policy: how many the public form takes from one address per window (HTTP
# 429 beyond), the fewest seconds a person takes to fill it in (faster is a robot), the largest
# photo accepted, and the days within which a lead is checked (BRIEF §1: 5).
DEBTORS_TIP_RATE_LIMIT = int(os.environ.get("DEBTORS_TIP_RATE_LIMIT", "5"))
DEBTORS_TIP_RATE_WINDOW_SECONDS = int(os.environ.get("DEBTORS_TIP_RATE_WINDOW_SECONDS", "3600"))
DEBTORS_TIP_MIN_FILL_SECONDS = float(os.environ.get("DEBTORS_TIP_MIN_FILL_SECONDS", "5"))
DEBTORS_TIP_PHOTO_MAX_BYTES = int(os.environ.get("DEBTORS_TIP_PHOTO_MAX_BYTES", str(5 * 2**20)))
DEBTORS_TIP_CHECK_DAYS = int(os.environ.get("DEBTORS_TIP_CHECK_DAYS", "5"))
# A lead about the debtor of a case closed by 终本: 7 days (the 终本 rule).
DEBTORS_TIP_CHECK_DAYS_TERMINATED = int(os.environ.get("DEBTORS_TIP_CHECK_DAYS_TERMINATED", "7"))
# *Policy*: the period an execution notice gives the respondent to perform (days from the day it
# is sent); the inclusion rate counts respondents past it (ADR 016).
DEBTORS_PERFORMANCE_NOTICE_DAYS = int(os.environ.get("DEBTORS_PERFORMANCE_NOTICE_DAYS", "10"))
# Public blacklist search (公开查询): searches per client address (policy; "N/second|minute|
# hour|day", counted in Redis, shared by the page and the API), results a page, pages at most.
PUBLIC_SEARCH_RATE = os.environ.get("PUBLIC_SEARCH_RATE", "30/minute")
PUBLIC_SEARCH_PAGE_SIZE = int(os.environ.get("PUBLIC_SEARCH_PAGE_SIZE", "20"))
PUBLIC_SEARCH_MAX_PAGES = int(os.environ.get("PUBLIC_SEARCH_MAX_PAGES", "50"))

# Standby (备勤), policy: how far ahead the roster is generated, the daytime response window,
# how long a callout may wait for an acknowledgement before it escalates, when before the
# 08:00 handover deadline the team is warned, and how far ahead the daily gap check looks.
STANDBY_ROSTER_WEEKS = int(os.environ.get("STANDBY_ROSTER_WEEKS", "8"))
STANDBY_DAY_RESPONSE_HOURS = int(os.environ.get("STANDBY_DAY_RESPONSE_HOURS", "2"))
STANDBY_ACK_MINUTES = int(os.environ.get("STANDBY_ACK_MINUTES", "15"))
STANDBY_DEADLINE_WARNING_MINUTES = int(os.environ.get("STANDBY_DEADLINE_WARNING_MINUTES", "60"))
STANDBY_GAP_CHECK_DAYS = int(os.environ.get("STANDBY_GAP_CHECK_DAYS", "14"))

# Vehicles (扣押车辆), policy: whether towing needs the section chief's approval first, how
# often each lot is counted (days between stock checks), how long a vehicle may stay in custody
# without a disposal decision before the judge and chief are alerted, and the office hours
# outside which a sighting also alerts the standby team on duty.
VEHICLES_TOW_NEEDS_APPROVAL = os.environ.get("VEHICLES_TOW_NEEDS_APPROVAL", "1") == "1"
VEHICLES_STOCK_CHECK_DAYS = int(os.environ.get("VEHICLES_STOCK_CHECK_DAYS", "30"))
VEHICLES_CUSTODY_ALERT_DAYS = int(os.environ.get("VEHICLES_CUSTODY_ALERT_DAYS", "90"))
COURT_OFFICE_HOURS = os.environ.get("COURT_OFFICE_HOURS", "08:30-17:30")

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation: Chinese first ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Money reads 120,000.00 in Chinese too (Django's zh_Hans formats have no grouping).
FORMAT_MODULE_PATH = ["courtexec.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: vendored, served by whitenoise -------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# --- Security (production values pass `check --deploy`) -------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "courtexec.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CourtExec API",
    "DESCRIPTION": "REST API of CourtExec, case management for a court's enforcement bureau.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AssetClassEnum": "debtors.models.AssetClass",
        "FreezeKindEnum": "debtors.models.Freeze.Kind",
        # The list's own API and exposure
        "ListingGroundEnum": "debtors.rules.Ground",
        "DeletionGroundEnum": "debtors.rules.DeletionGround",
        "CorrectionGroundEnum": "debtors.rules.CorrectionGround",
        "LiftingReasonEnum": "debtors.rules.LiftingReason",
        "RestrictedItemEnum": "debtors.rules.RestrictedItem",
        "ExposureChannelEnum": "debtors.models.ExposureRecord.Channel",
        # standby: callouts
        "CalloutOutcomeEnum": "standby.models.Callout.Outcome",
        "CalloutStatusEnum": "standby.models.Callout.Status",
        "TipOutcomeEnum": "debtors.models.Tip.Outcome",  # "outcome" now names two sets
        # vehicles
        "VehicleClassEnum": "vehicles.models.VehicleClass",
        "ImpoundStateEnum": "vehicles.models.Impound.State",
        "CustodyEventKindEnum": "vehicles.models.CustodyEvent.Kind",
        # liaison: portal
        "ServedDocumentKindEnum": "enforcement.liaison.models.ServedDocument.Kind",
        # notification centre ("category" now names two sets; the case's keeps its name)
        "NotificationCategoryEnum": "courtexec.notification_kinds.PREFERENCE_CATEGORY_CHOICES",
        "CategoryEnum": "enforcement.models.EnforcementCase.Category",
    },
}

# --- Command centre -------------------------------------------------------------------------
# How often the big screen (/command/wall/) fetches its tiles again.
COMMAND_WALL_REFRESH_SECONDS = int(os.environ.get("COMMAND_WALL_REFRESH_SECONDS", "60"))

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "courtexec.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# --- Command centre: Excel exports ----------------------------------------------------------
# An export of at most this many rows is answered at once; a larger one is built by the worker
# (an ExportJob with a progress bar). The worker writes its progress every so many rows, and
# the finished files are removed (with their jobs) after so many days.
COMMAND_EXPORT_INLINE_MAX_ROWS = int(os.environ.get("COMMAND_EXPORT_INLINE_MAX_ROWS", "2000"))
COMMAND_EXPORT_PROGRESS_EVERY = int(os.environ.get("COMMAND_EXPORT_PROGRESS_EVERY", "500"))
COMMAND_EXPORT_KEEP_DAYS = int(os.environ.get("COMMAND_EXPORT_KEEP_DAYS", "7"))
