"""What the staff-screen benchmark (bench/admin_http.py) needs beyond bench/seed.py: one
account per role and level, signed in by a session written directly (not through the sign-in
form), and the lists bench/seed.py leaves empty — audit events, archive requests, applicant
checks — filled at a national scale. PostgreSQL only; run it on a copy of the seeded database.

The audit events written here are not chained (their hashes are placeholders), so
`verify_audit_chain` fails on a database prepared this way: it is a benchmark copy."""

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.staff_signin import SEEN_AT, SIGNED_IN_AT
from records.models import Bureau, User
from records.roles import Role

# The accounts: 西湖区 in 杭州市 in 浙江省, and the national level.
LEVELS = {"county": "330106", "city": "330100", "province": "330000", "national": "000000"}
RECORD_ROLES = (Role.FILER, Role.REVIEWER, Role.SUPERVISOR)


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    level: str
    session_key: str


def _accounts_wanted() -> list[tuple[str, str]]:
    wanted = []
    for level in LEVELS:
        roles = [*RECORD_ROLES, Role.ARCHIVE_REVIEWER, Role.LICENSING_OFFICER]
        roles.append(Role.NATIONAL_ADMIN if level == "national" else Role.BUREAU_ADMIN)
        if level == "national":
            roles.remove(Role.FILER)  # the national authority files nothing itself
        wanted += [(role.value, level) for role in roles]
    return wanted


def signed_in_accounts() -> list[Account]:
    """One active staff account per role and level, each with a fresh session."""
    accounts = []
    for role, level in _accounts_wanted():
        bureau = Bureau.objects.get(code=LEVELS[level])
        user, _ = User.objects.update_or_create(
            username=f"bench-{role}-{level}",
            defaults={"bureau": bureau, "is_active": True, "is_staff": True},
        )
        user.groups.set([Group.objects.get(name=role)])
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        # A staff session counts only when verified by a second factor, with the staff
        # session's clocks (accounts.staff_sessions); without these every screen would
        # measure the redirect to the sign-in page.
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=True
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())
        session.create()
        accounts.append(Account(user.username, role, level, session.session_key or ""))
    return accounts


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
        return cursor.fetchone()[0]


@transaction.atomic
def fill_staff_lists(*, archive_requests: int, checks: int) -> list[str]:
    """Audit events (one per published record: its publication, by a reviewer of the filing bureau's
    region, with the visibility scopes the writer gives them: the filing bureau's path and
    the reviewer's bureau's path), archive requests and applicant checks spread over every
    bureau. Only the lists still empty are filled, so a second run changes nothing."""
    done = []
    today = datetime.date.today()
    with connection.cursor() as cursor:
        if not _count("kernel_auditevent"):
            cursor.execute(
                """
                INSERT INTO kernel_auditevent
                    (at, actor_id, action, object_type, object_id, record_id, before, after,
                     reason, prev_hash, hash, record_scope, actor_scope)
                SELECT r.reviewed_at, r.reviewed_by_id, 'record_publish', 'badrecord',
                       r.id::text, r.id, '{}'::jsonb, '{"status": "published"}'::jsonb, '',
                       '', md5(r.id::text) || md5(r.id::text), b.path, coalesce(ab.path, '')
                FROM records_badrecord r
                JOIN records_bureau b ON b.id = r.filing_bureau_id
                LEFT JOIN records_user u ON u.id = r.reviewed_by_id
                LEFT JOIN records_bureau ab ON ab.id = u.bureau_id
                WHERE r.reviewed_at IS NOT NULL
                ORDER BY r.reviewed_at, r.id
                """
            )
            done.append(f"{cursor.rowcount} audit events")
        if not _count("archive_archiverequest"):
            cursor.execute(
                """
                INSERT INTO archive_archiverequest
                    (requester_id, subject_name, subject_name_key, identifier_kind, identifier,
                     bureau_id, relationship, explanation, status, filed_on, deadline,
                     decision_reasons, created_at)
                SELECT u.id, r.subject_name, r.subject_name_key, 'credit_code',
                       coalesce(nullif(r.credit_code, ''), '91330106MA0000000X'),
                       r.filing_bureau_id, 'business', '',
                       CASE WHEN g %% 5 = 0 THEN 'refused' ELSE 'submitted' END,
                       %(today)s::date - (g %% 400), %(today)s::date - (g %% 400) + 21, '',
                       now() - make_interval(days => g %% 400, secs => g)
                FROM generate_series(1, %(n)s) g
                JOIN records_badrecord r ON r.id = g * 7
                CROSS JOIN (SELECT id FROM records_user ORDER BY id LIMIT 1) u
                """,
                {"n": archive_requests, "today": today},
            )
            done.append(f"{cursor.rowcount} archive requests")
        if not _count("licensing_applicantcheck"):
            cursor.execute(
                """
                INSERT INTO licensing_applicantcheck
                    (number, verification_code, created_at, bureau_id, officer_id, source,
                     application_type, application_ref, applicant_kind, applicant_name,
                     credit_code, licence_no, certificate_no, identity_masked, identity_hmac,
                     legal_representative, principal_persons, verdict, matches, archived,
                     connected)
                SELECT 'BENCH' || lpad(g::text, 12, '0'), 'bench', now() - make_interval(
                           mins => g * 3), r.filing_bureau_id, %(officer)s, 'web',
                       'travel_agency_licence', 'APP-' || g, 'operator', r.subject_name,
                       r.credit_code, r.licence_no, '', '', '', '', '[]'::jsonb,
                       CASE g %% 3 WHEN 0 THEN 'listed' WHEN 1 THEN 'possible_match'
                            ELSE 'not_listed' END,
                       '[]'::jsonb, '[]'::jsonb, '[]'::jsonb
                FROM generate_series(1, %(n)s) g
                JOIN records_badrecord r ON r.id = g * 5
                """,
                {"n": checks, "officer": User.objects.order_by("id").values("id")[0]["id"]},
            )
            done.append(f"{cursor.rowcount} applicant checks")
    return done


def analyse(*, vacuum: bool = False) -> None:
    """Statistics for every table: bench/seed.py analyses only the three it fills, and the
    bureaus' path statistics decide whether the planner reads a province from the list's
    index or sorts it (a jurisdiction estimated at one bureau's records). With `vacuum`, the
    lists just filled are vacuumed too, as autovacuum would have done on a server by the
    time anyone reads them: without their visibility maps the list indexes cannot be read
    alone (index-only) and the planner walks the table instead."""
    with connection.cursor() as cursor:
        if vacuum:
            for table in (
                "kernel_auditevent",
                "archive_archiverequest",
                "licensing_applicantcheck",
            ):
                cursor.execute(f"VACUUM {table}")  # noqa: S608 - fixed table names
        cursor.execute("ANALYZE")
