"""Configuration classes. Every environment variable the application reads is read here."""
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_float(name, default):
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _dev_secret_key():
    """A per-checkout secret for development only, kept in instance/ so sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "dev_secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'app.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Password hashes (core/auth/passwords.py): werkzeug's scrypt, n=2**15.
    PASSWORD_HASH_METHOD = "scrypt"
    # A PostgreSQL streaming replica for the reads that accept a moment's lag (public log, reports, dashboards:
    # core/replica.py); unset: every read on DATABASE_URL. A replica that does not answer within the connect
    # timeout is left alone (reads on the primary) for the retry period.
    DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL") or None
    REPLICA_CONNECT_TIMEOUT = _env_int("REPLICA_CONNECT_TIMEOUT", 2)
    REPLICA_RETRY_SECONDS = _env_int("REPLICA_RETRY_SECONDS", 30)
    # A replica whose last replayed transaction is older than this is not read (core/replica.py).
    REPLICA_MAX_LAG_SECONDS = _env_int("REPLICA_MAX_LAG_SECONDS", 30)
    REDIS_URL = os.environ.get("REDIS_URL") or None
    TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    # Office hours for working-hour clocks, "HH:MM-HH:MM" periods separated by commas.
    WORK_HOURS = os.environ.get("WORK_HOURS", "08:30-12:00,13:30-17:30")
    # Urgency: an open item is 临期 when this much work time remains.
    DUE_SOON_WORKDAYS = _env_int("DUE_SOON_WORKDAYS", 3)
    DUE_SOON_WORK_HOURS = _env_int("DUE_SOON_WORK_HOURS", 2)
    # An action entered later than it happened (补录) is accepted this many days back (core/action_time.py).
    BACKFILL_DAYS = _env_int("BACKFILL_DAYS", 30)
    # A 12345 caller's link to the prefilled 依申请公开 form (core/handoff.py) is valid this many days, and
    # the SMS gives it under this public address (empty: the address the operator's request came in on).
    HANDOFF_VALID_DAYS = _env_int("HANDOFF_VALID_DAYS", 30)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    # Login throttling (core/auth/throttle.py): a captcha per account, growing waits per address.
    LOGIN_CAPTCHA_AFTER = _env_int("LOGIN_CAPTCHA_AFTER", 3)  # failures of one login before a captcha
    LOGIN_ADDRESS_FREE = _env_int("LOGIN_ADDRESS_FREE", 5)  # failures of one address before it waits
    LOGIN_DELAY_BASE_SECONDS = _env_int("LOGIN_DELAY_BASE_SECONDS", 2)  # first wait, doubling …
    LOGIN_DELAY_MAX_SECONDS = _env_int("LOGIN_DELAY_MAX_SECONDS", 900)  # … up to this
    LOGIN_FAILURE_WINDOW_MINUTES = _env_int("LOGIN_FAILURE_WINDOW_MINUTES", 60)  # older failures are forgotten
    # One-time codes by SMS/email (registration, password reset) and the status look-up access codes.
    AUTH_CODE_MINUTES = _env_int("AUTH_CODE_MINUTES", 15)
    AUTH_CODE_ATTEMPTS = _env_int("AUTH_CODE_ATTEMPTS", 5)  # wrong entries (in its own session) before a code is dead
    AUTH_CODE_PER_HOUR = _env_int("AUTH_CODE_PER_HOUR", 3)  # codes per login for one session, and for one address
    AUTH_CODE_ADDRESS_PER_HOUR = _env_int("AUTH_CODE_ADDRESS_PER_HOUR", 10)  # codes per address, all logins
    AUTH_CODE_LOGIN_PER_HOUR = _env_int("AUTH_CODE_LOGIN_PER_HOUR", 10)  # messages to one phone/mailbox, all askers
    # 12345 退单 window after dispatch, in working days (DESIGN §3: 1; some provinces allow 2). The default of
    # hotline/sla.py's "return_window" limit for normal tickets; an admin SlaRule still overrides it.
    HOTLINE_RETURN_WINDOW_WORKDAYS = _env_float("HOTLINE_RETURN_WINDOW_WORKDAYS", 1)
    ESCALATE_AFTER_HOURS = _env_int("ESCALATE_AFTER_HOURS", 24)  # overdue this long → supervisors
    JOB_TIMEOUT = _env_int("JOB_TIMEOUT", 600)
    # Notification delivery: adapters log | file | smtp | package.module:Class (a real SMS gateway).
    NOTIFY_EMAIL_ADAPTER = os.environ.get("NOTIFY_EMAIL_ADAPTER", "log")
    NOTIFY_SMS_ADAPTER = os.environ.get("NOTIFY_SMS_ADAPTER", "log")
    NOTIFY_FILE_SINK = os.environ.get("NOTIFY_FILE_SINK", "")
    NOTIFY_FILE_SINK_DELAY = float(os.environ.get("NOTIFY_FILE_SINK_DELAY", "0") or 0)
    NOTIFY_MAX_ATTEMPTS = _env_int("NOTIFY_MAX_ATTEMPTS", 4)
    NOTIFY_RETRY_SECONDS = tuple(int(x) for x in os.environ.get("NOTIFY_RETRY_SECONDS", "60,300,1800").split(","))
    NOTIFY_SENDING_TIMEOUT = _env_int("NOTIFY_SENDING_TIMEOUT", 600)  # a claim older than this was a dead worker
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_USER = os.environ.get("SMTP_USER") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "").lower() in ("1", "true", "yes")
    MAIL_FROM = os.environ.get("MAIL_FROM", "12345-noreply@tinghu.gov.cn")
    # Written intake (hotline/mail_intake.py): `flask mail listen` takes mail from the relay; an SMS gateway posts to
    # /api/v1/sms/inbound with this shared secret in X-SMS-Token (empty: the webhook refuses every call).
    MAIL_LISTEN_HOST = os.environ.get("MAIL_LISTEN_HOST", "127.0.0.1")
    MAIL_LISTEN_PORT = _env_int("MAIL_LISTEN_PORT", 2525)
    MAIL_INBOUND_MAX_BYTES = _env_int("MAIL_INBOUND_MAX_BYTES", 30 * 1024 * 1024)
    MAIL_INBOUND_PER_HOUR = _env_int("MAIL_INBOUND_PER_HOUR", 20)  # messages of one sender an hour; more are ignored
    SMS_WEBHOOK_TOKEN = os.environ.get("SMS_WEBHOOK_TOKEN", "")
    # An inbound SMS joins the open ticket whose last SMS reply to that number is at most this many days old
    # (hotline/sms_thread.py); older, or the ticket closed: a new 待受理 item.
    SMS_THREAD_DAYS = _env_int("SMS_THREAD_DAYS", 7)
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 60 * 1024 * 1024)
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))  # outside static/
    UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    UPLOAD_MAX_FILES = _env_int("UPLOAD_MAX_FILES", 5)
    PENDING_UPLOAD_HOURS = _env_int("PENDING_UPLOAD_HOURS", 24)  # files of a refused form kept server-side
    # budgets for the pending uploads of visitors who are not signed in (core/pending_uploads.py): all of them
    # together, and those sent from one client address within 24 hours; a file over a budget is not kept
    PENDING_UPLOAD_ANON_BYTES = _env_int("PENDING_UPLOAD_ANON_BYTES", 200 * 1024 * 1024)
    PENDING_UPLOAD_ADDRESS_BYTES = _env_int("PENDING_UPLOAD_ADDRESS_BYTES", 30 * 1024 * 1024)
    # Disclosure service limits (working days), read only through requests_module/periods.configured, the table
    # of every disclosure limit and its article. Art. 30: the applicant's correction period the notice gives.
    CORRECTION_PERIOD_WORKDAYS = _env_int("CORRECTION_PERIOD_WORKDAYS", 10)
    # Art. 35: the applicant's period to explain an apparently massive or repeated application, and the
    # longest 延迟答复合理期限 (working days after the Art. 33 due date) an organ may set when it accepts them
    REASON_PERIOD_WORKDAYS = _env_int("REASON_PERIOD_WORKDAYS", 10)
    REASON_DELAY_MAX_WORKDAYS = _env_int("REASON_DELAY_MAX_WORKDAYS", 60)
    # Art. 31: an online application is received when both sides confirm; staff confirm (or reject) it within
    # this many working days of submission, so none waits unseen (the clock alerts the 公开办 when due)
    RECEIPT_CONFIRM_WORKDAYS = _env_int("RECEIPT_CONFIRM_WORKDAYS", 1)
    # Art. 41 correction requests: no statutory period; Art. 33's 20 working days as an internal target
    CORRECTION_REQUEST_TARGET_WORKDAYS = _env_int("CORRECTION_REQUEST_TARGET_WORKDAYS", 20)
    CALENDAR_UPLOAD_MAX_BYTES = _env_int("CALENDAR_UPLOAD_MAX_BYTES", 1024 * 1024)
    # Public outputs (Open311) snap coordinates to a grid this many metres wide; 0 publishes none.
    PUBLIC_LOCATION_GRID_M = _env_int("PUBLIC_LOCATION_GRID_M", 100)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # A form's CSRF token is good this long; an older one gets the re-submit page (core/csrf.py).
    WTF_CSRF_TIME_LIMIT = _env_int("CSRF_TIME_LIMIT", 24 * 3600)
    JSON_AS_ASCII = False
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # text | json
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)  # reverse proxies in front whose X-Forwarded-* to trust
    # Rate limits per client address (core/limits.py); storage: Redis when REDIS_URL is set, else memory.
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "true").lower() not in ("0", "false", "no")
    RATE_LIMIT_LOGIN = os.environ.get("RATE_LIMIT_LOGIN", "10 per minute;60 per hour")
    RATE_LIMIT_SUBMIT = os.environ.get("RATE_LIMIT_SUBMIT", "20 per hour;100 per day")
    RATE_LIMIT_LOOKUP = os.environ.get("RATE_LIMIT_LOOKUP", "20 per minute;100 per hour")
    RATE_LIMIT_SEARCH = os.environ.get("RATE_LIMIT_SEARCH", "60 per minute")
    # Public search results (the page's record ids and the count) are kept this long — in Redis, shared by all
    # web processes, when REDIS_URL is set; else in each process — so that a query many citizens ask is searched
    # once (bench_public.py); a new publication shows up in search at most this much later (its index job is
    # asynchronous anyway); a withdrawn record never shows, since the records themselves are always read
    # afresh. 0 turns the cache off.
    SEARCH_CACHE_SECONDS = _env_int("SEARCH_CACHE_SECONDS", 60)
    # An image captcha on the public forms once an address has submitted this often within an hour.
    CAPTCHA_ENABLED = os.environ.get("CAPTCHA_ENABLED", "true").lower() not in ("0", "false", "no")
    CAPTCHA_AFTER = _env_int("CAPTCHA_AFTER", 3)
    # 综合考核得分 of the 12345 assessment (reports/hotline_assessment.py): weights per measure as
    # "name=weight,…" (default: Beijing's 接诉即办 三率, 响应率 10 / 解决率 45 / 满意率 45), the minimum sample
    # before a department is ranked, and the points each 退单不成立 takes off the score.
    HOTLINE_ASSESSMENT_WEIGHTS = os.environ.get("HOTLINE_ASSESSMENT_WEIGHTS", "contact=10,resolved=45,satisfaction=45")
    HOTLINE_ASSESSMENT_MIN_SAMPLE = _env_int("HOTLINE_ASSESSMENT_MIN_SAMPLE", 20)
    HOTLINE_ASSESSMENT_REJECTED_RETURN_POINTS = float(os.environ.get("HOTLINE_ASSESSMENT_REJECTED_RETURN_POINTS") or 1)
    # 热点预警 (hotline/hotspots.py): tickets of one place and one topic received within the last WINDOW_DAYS
    # (24-hour days back from the run), at least MIN_TICKETS of them from at least MIN_CALLERS callers, raise one
    # alert to the supervisors. Two tickets of a place share a topic when they have the same category or at
    # least SHARED_KEYWORDS keywords; a place is the estate or road of the address, else a GRID_M-metre square
    # of the coordinates. The detection runs after the deadline sweep at most every INTERVAL_MINUTES.
    HOTSPOT_WINDOW_DAYS = _env_int("HOTSPOT_WINDOW_DAYS", 7)
    HOTSPOT_MIN_TICKETS = _env_int("HOTSPOT_MIN_TICKETS", 5)
    HOTSPOT_MIN_CALLERS = _env_int("HOTSPOT_MIN_CALLERS", 3)
    HOTSPOT_SHARED_KEYWORDS = _env_int("HOTSPOT_SHARED_KEYWORDS", 2)
    HOTSPOT_GRID_M = _env_int("HOTSPOT_GRID_M", 200)
    HOTSPOT_INTERVAL_MINUTES = _env_int("HOTSPOT_INTERVAL_MINUTES", 15)
    HOTSPOT_CHART_DAYS = _env_int("HOTSPOT_CHART_DAYS", 30)
    # The hot-spot map's tile server, a Leaflet URL template such as https://tiles.example.gov.cn/{z}/{x}/{y}.png
    # (its origin is added to the page's img-src); empty: a plain coordinate plot, no map tiles.
    HOTSPOT_TILE_URL = os.environ.get("HOTSPOT_TILE_URL", "")
    HOTSPOT_TILE_ATTRIBUTION = os.environ.get("HOTSPOT_TILE_ATTRIBUTION", "")
    # CTI (telephone system → console, hotline/cti.py): the token of each PBX allowed to post call events to
    # /api/v1/cti, as "name=token,name=token" (a bare "token" is named "pbx"); empty: the endpoint refuses all.
    CTI_TOKENS = os.environ.get("CTI_TOKENS", "")
    # Live pages (core/live.py, Server-Sent Events): each stream holds a web thread for at most LIVE_STREAM_SECONDS
    # (the browser reconnects by itself), a comment every LIVE_HEARTBEAT_SECONDS, at most LIVE_MAX_STREAMS
    # streams per process — keep it below the process's threads (docs/operations.md, "Live pages").
    LIVE_STREAM_SECONDS = _env_int("LIVE_STREAM_SECONDS", 300)
    LIVE_HEARTBEAT_SECONDS = _env_int("LIVE_HEARTBEAT_SECONDS", 15)
    LIVE_MAX_STREAMS = _env_int("LIVE_MAX_STREAMS", 40)


class DevelopmentConfig(Config):
    DEBUG = False  # the dev server runs without the debugger so `make run` is safe on a shared LAN

    @classmethod
    def prepare(cls):
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _dev_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    DATABASE_REPLICA_URL = None  # tests/core/test_read_replica.py starts its own replica
    WTF_CSRF_ENABLED = True
    REDIS_URL = None
    RATELIMIT_ENABLED = False  # tests/test_limits.py turns it on
    CAPTCHA_ENABLED = False  # tests/test_captcha.py turns it on
    SEARCH_CACHE_SECONDS = 0  # tests publish and search at once; tests/public_log/test_search_cache.py turns it on
    # API tests act on fixed 2026 dates against the real clock of the server; tests/core/test_action_time.py
    # sets the production window.
    BACKFILL_DAYS = 3650
    # The suite creates thousands of accounts: a cheap hash there (tests/test_config.py checks production's).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    CTI_TOKENS = "test=cti-test-token-0123456789"  # the PBX of tests/hotline/test_cti.py
    LIVE_STREAM_SECONDS = 2  # a test that opens a stream waits at most this long for it to end
    LIVE_MAX_STREAMS = 500  # route walks open streams they never read; tests/core/test_live.py checks the cap


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def prepare(cls):
        if not cls.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env():
    """The configuration class named by APP_ENV (development by default)."""
    name = os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
