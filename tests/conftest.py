"""Personas and a small bureau tree for every test.

Zhejiang (330000) › Hangzhou (330100) › Xihu district (330106) and Shangcheng district (330102);
Beijing (110000) › Dongcheng (110101). The county filer Fang and her reviewer Rui work in
Xihu; Shang files in Shangcheng; Su supervises from Hangzhou; Li is a licensing officer in
Xihu; Bei files in Beijing's Dongcheng; Stranger has no bureau at all.
"""

import importlib
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation

from records.models import Bureau, User
from records.models.bureaus import NATIONAL_CODE
from records.roles import Role
from tests import factories
from workdays.calendar import calendar_cache_clear

PASSWORD = "correct-horse-battery-9"

pytest_plugins = ["tests.public_fixtures"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached counts and pages are keyed by content stamps that repeat across tests whose
    clocks are frozen at the same moment: every test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_working_day_calendar():
    """Each process keeps the years it read; a test's rolled-back calendar must not leak."""
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level tests read messages in English; requests through the test client get
    the language the middleware picks (Simplified Chinese unless asked otherwise)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def audit_events_let_go_before_flush(request, django_db_blocker):
    """A transactional test ends by emptying every table. PostgreSQL does it with TRUNCATE,
    which the audit trail's append-only triggers let through; SQLite deletes row by row,
    which they refuse. So on SQLite the audit events are removed here first, with the
    triggers lifted for that one statement and put back at once. (This fixture is set up
    after pytest-django's own database fixture, so it is torn down before the flush.)"""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    if not transactional or connection.vendor != "sqlite":
        return
    migration = importlib.import_module("kernel.migrations.0002_audit_hash_chain")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for statement in migration.SQLITE_BACKWARD:
            cursor.execute(statement)
        cursor.execute("DELETE FROM kernel_auditevent")
        for statement in migration.SQLITE_FORWARD:
            cursor.execute(statement)


@pytest.fixture
def roles(db) -> None:
    """The role groups of migration 0002. A transactional test ends by emptying every table,
    groups included, so they are put back for whichever test comes next."""
    if Group.objects.exists():
        return
    migration = importlib.import_module("records.migrations.0002_create_roles")
    for role, codenames in migration.ROLE_PERMISSIONS.items():
        Group.objects.create(name=role).permissions.set(
            Permission.objects.filter(content_type__app_label="records", codename__in=codenames)
        )
    calendar = importlib.import_module("records.migrations.0008_grant_calendar_permissions")
    for role, codenames in calendar.GRANTS.items():
        Group.objects.get(name=role).permissions.add(
            *Permission.objects.filter(content_type__app_label="workdays", codename__in=codenames)
        )
    # The grants of the archive and licensing apps' migrations, found by codename: their
    # models moved between apps after those migrations ran.
    for module, name in (
        ("publication.migrations.0002_archive_role_permissions", "ROLE_PERMISSIONS"),
        ("licensing.migrations.0003_grant_licensing_permissions", "GRANTS"),
    ):
        for role, codenames in getattr(importlib.import_module(module), name).items():
            Group.objects.get(name=role).permissions.add(
                *Permission.objects.filter(codename__in=codenames)
            )


@pytest.fixture
def bureaus(db, roles) -> dict[str, Bureau]:
    national = factories.bureau(NATIONAL_CODE, "全国")
    zhejiang = factories.bureau("330000", "浙江省", national)
    hangzhou = factories.bureau("330100", "杭州市", zhejiang)
    xihu = factories.bureau("330106", "西湖区", hangzhou)
    shangcheng = factories.bureau("330102", "上城区", hangzhou)
    beijing = factories.bureau("110000", "北京市", national)
    dongcheng = factories.bureau("110101", "东城区", beijing)
    return {
        "national": national,
        "zhejiang": zhejiang,
        "hangzhou": hangzhou,
        "xihu": xihu,
        "shangcheng": shangcheng,
        "beijing": beijing,
        "dongcheng": dongcheng,
    }


def make_user(username: str, bureau: Bureau | None, *roles: Role, **fields) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        bureau=bureau,
        is_staff=bureau is not None,
        email=f"{username}@example.org",
        **fields,
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def fang(bureaus) -> User:
    """County filer in Xihu."""
    return make_user("fang", bureaus["xihu"], Role.FILER, last_name="方", first_name="芳")


@pytest.fixture
def rui(bureaus) -> User:
    """Fang's reviewer in Xihu."""
    return make_user("rui", bureaus["xihu"], Role.REVIEWER, last_name="芮")


@pytest.fixture
def filer_reviewer(bureaus) -> User:
    """A Xihu account holding both roles (small bureaus do this)."""
    return make_user("both", bureaus["xihu"], Role.FILER, Role.REVIEWER)


@pytest.fixture
def shang(bureaus) -> User:
    """Filer of the neighbouring county, Shangcheng."""
    return make_user("shang", bureaus["shangcheng"], Role.FILER, Role.REVIEWER)


@pytest.fixture
def su(bureaus) -> User:
    """Supervisor at the Hangzhou city bureau."""
    return make_user("su", bureaus["hangzhou"], Role.SUPERVISOR)


@pytest.fixture
def li(bureaus) -> User:
    """Licensing officer in Xihu."""
    return make_user("li", bureaus["xihu"], Role.LICENSING_OFFICER)


@pytest.fixture
def archivist(bureaus) -> User:
    return make_user("archivist", bureaus["xihu"], Role.ARCHIVE_REVIEWER)


@pytest.fixture
def bei(bureaus) -> User:
    """Filer in Beijing's Dongcheng district."""
    return make_user("bei", bureaus["dongcheng"], Role.FILER, Role.REVIEWER)


@pytest.fixture
def xihu_admin(bureaus) -> User:
    return make_user("xihu_admin", bureaus["xihu"], Role.BUREAU_ADMIN)


@pytest.fixture
def national_admin(bureaus) -> User:
    return make_user("nat", bureaus["national"], Role.NATIONAL_ADMIN)


@pytest.fixture
def stranger(db) -> User:
    """A public account with no bureau."""
    return make_user("stranger", None)


def client_for(user: User | None) -> Client:
    """A client signed in as `user`; a staff account is signed in as if through both
    factors (see `verify_second_factor`)."""
    client = Client()
    if user is not None:
        client.force_login(user)
        if user.is_staff:
            verify_second_factor(client, user)
    return client


def verify_second_factor(client: Client, user: User) -> None:
    """Mark a client's session (made by force_login) as verified by the account's
    authenticator, with fresh staff-session clocks, as accounts.staff_signin does. For tests
    about what staff see; tests of signing in go through the real form (`staff_sign_in`)."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.staff_signin import SEEN_AT, SIGNED_IN_AT

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())
    session.save()


def staff_sign_in(client: Client, user: User, *, password: str = PASSWORD, next_path: str = ""):
    """Sign in through the admin's sign-in form with the account's current code (the
    account is enrolled first if it has no authenticator). Returns the response."""
    from accounts.two_factor import two_factor_current_code, two_factor_enrol, two_factor_enrolled

    if not two_factor_enrolled(user):
        two_factor_enrol(by=None, account=user)
    return client.post(
        "/admin/login/" + (f"?next={next_path}" if next_path else ""),
        {
            "username": user.username,
            "password": password,
            "otp_code": two_factor_current_code(user),
            "next": next_path,
        },
    )


def make_party(username: str, *, verified: bool = True) -> User:
    """A public account of an interested party (no bureau, not staff)."""
    from django.utils import timezone

    from accounts.models import InterestedParty

    user = make_user(username, None, is_active=verified)
    InterestedParty.objects.create(
        user=user,
        full_name=username.title(),
        email_verified_at=timezone.now() if verified else None,
    )
    return user


@pytest.fixture
def pan(db) -> User:
    """Pan, an interested party: a tourist who was party to a case, verified."""
    return make_party("pan")


@pytest.fixture
def qiu(db) -> User:
    """Qiu, another interested party, with no business in Pan's requests."""
    return make_party("qiu")


@pytest.fixture
def broker_down(settings):
    """The broker is unreachable, and every attempt to publish a Celery message fails and is
    recorded: a test asserts that its requests never tried."""
    from celery import Celery
    from celery.app.task import Task
    from kombu.exceptions import OperationalError

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    attempts: list[tuple] = []

    def refuse(*args, **kwargs) -> None:
        attempts.append(args)
        raise OperationalError("broker unreachable")

    with (
        mock.patch.object(Celery, "send_task", refuse),
        mock.patch.object(Task, "apply_async", refuse),
    ):
        yield attempts
