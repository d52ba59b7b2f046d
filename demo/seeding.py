"""Demo data for a local trial (SPEC §9, `make run`): one account per role and about two
hundred records in Zhejiang, Beijing and Yunnan, loaded by `manage.py seed_demo` on top of the
bureaus of `manage.py load_bureaus`.

Everything goes through the service functions, so the audit trail, deadlines and lateness
are those of real filings. The services work on today's date; records that must look older
(published months ago, ended, archived) are back-dated afterwards in `_backdate`, which keeps
the model's rules and writes an audit event saying so. A fixed random seed makes the data the
same on every machine (relative to the day it is loaded).

Nothing here may run in production: the accounts share one printed password.
"""

import datetime
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from accounts.models import InterestedParty
from demo.supervision_examples import supervision_examples_seed
from demo.tables import (
    BIRTHPLACES,
    BRANDS,
    COMPANY_FORMS,
    COUNTIES,
    COUNTY,
    DAY,
    DEMO_ACCOUNTS,
    DEMO_ARCHIVE_COUNTY,
    DEMO_PARTY,
    DEMO_PARTY_NAME,
    DEMO_PASSWORD,
    DEMO_PREFIX,
    DESK_COUNTIES,
    EMPLOYER_SECTOR,
    FEATURED_AGENCY,
    FEATURED_LICENCE,
    FEATURED_STORY,
    GIVEN,
    INTERNAL_NOTES,
    ISSUER_BASIS,
    OUTCOMES,
    PENDING_OUTCOMES,
    RETURN_COMMENTS,
    SEED,
    STORIES,
    SURNAMES,
    WITHDRAWAL_REASONS,
    County,
    DemoAccount,
    DemoBureausMissing,
    K,
    S,
    Story,
)
from kernel.audit import audit_log
from kernel.periods import add_years, last_public_day
from records.models import (
    BadRecord,
    Bureau,
    Operator,
    Practitioner,
    PractitionerKind,
    RecordStatus,
    Sector,
    User,
)
from records.roles import Role
from records.services.accounts import account_state
from records.services.bad_records import (
    record_correct,
    record_create,
    record_publish,
    record_return,
    record_submit,
    record_withdraw,
)
from records.services.subjects import operator_create, practitioner_create
from workdays.working_days import working_days_between

# Reviewers' reasons for a late publication (record_publish asks for one).
LATE_REASONS = (
    "处罚决定书送达后当事人申请复核，待复核结论作出后公布。",
    "信息核实过程中需向上级部门请示，延误了公布时限。",
    "经办人员调整，交接期间未及时报送审核。",
    "系统维护期间无法提交，恢复后立即补报。",
)

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class Plan:
    outcome: str
    county: County
    story: Story
    basis_date: datetime.date
    obtained_on: datetime.date
    public_from: datetime.date | None
    subject: Operator | Practitioner | None = None
    amounts: dict[str, str] = field(default_factory=dict)
    basis_number: str = ""
    cycle_through_return: bool = False


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    accounts: list[tuple[DemoAccount, Bureau]]
    helper_accounts: int
    party: str
    # A subject with archived records in the demo archive reviewer's county, to request about:
    # (name, identifier, region).
    archive_example: tuple[str, str, str] | None
    # A listed operator of the demo reviewer's county, for the subject's-rights demo:
    # (record reference, name, licence number).
    subject_example: tuple[str, str, str] | None
    counts: dict[str, int]
    ended: int
    late: int
    public_today: int


def region_label(bureau: Bureau) -> str:
    """The bureau as people say it: 浙江省杭州市西湖区 (330106)."""
    names: list[str] = []
    current: Bureau | None = bureau
    while current is not None and current.parent_id is not None:
        if not names or names[-1] != current.name:
            names.append(current.name)
        current = current.parent
    return f"{''.join(reversed(names)) or bureau.name} ({bureau.code})"


def demo_summary(*, created: bool) -> DemoSummary:
    today = timezone.localdate()
    bureaus = Bureau.objects.in_bulk([a.bureau_code for a in DEMO_ACCOUNTS], field_name="code")
    records = BadRecord.objects.filter(filed_by__username__startswith=DEMO_PREFIX)
    counts = Counter(records.values_list("status", flat=True))
    return DemoSummary(
        created=created,
        accounts=[(account, bureaus[account.bureau_code]) for account in DEMO_ACCOUNTS],
        helper_accounts=User.objects.filter(username__startswith=DEMO_PREFIX)
        .exclude(username__in=[a.username for a in DEMO_ACCOUNTS])
        .exclude(username=DEMO_PARTY)
        .count(),
        party=DEMO_PARTY if User.objects.filter(username=DEMO_PARTY).exists() else "",
        archive_example=_archive_example(today),
        subject_example=_subject_example(today),
        counts={status: counts.get(status, 0) for status in RecordStatus.values},
        ended=records.filter(status=RecordStatus.PUBLISHED, public_until__lt=today).count(),
        late=records.filter(is_late=True).exclude(status=RecordStatus.WITHDRAWN).count(),
        public_today=records.public(on=today).count(),
    )


def _archive_example(today: datetime.date) -> tuple[str, str, str] | None:
    record = (
        BadRecord.objects.in_archive(on=today)
        .filter(filing_bureau__code=DEMO_ARCHIVE_COUNTY, subject_type="operator")
        .exclude(licence_no="")
        .select_related("filing_bureau__parent__parent")
        .order_by("pk")
        .first()
    )
    if record is None:
        return None
    return record.subject_name, record.licence_no, region_label(record.filing_bureau)


def _subject_example(today: datetime.date) -> tuple[str, str, str] | None:
    record = (
        BadRecord.objects.public(on=today)
        .filter(filing_bureau__code=DEMO_ARCHIVE_COUNTY, subject_type="operator")
        .exclude(licence_no="")
        .order_by("pk")
        .first()
    )
    if record is None:
        return None
    return record.reference, record.subject_name, record.licence_no


def demo_exists() -> bool:
    return User.objects.filter(username=DEMO_ACCOUNTS[0].username).exists()


@transaction.atomic
def demo_seed() -> DemoSummary:
    """Load the demo once; later calls change nothing and report what is there."""
    if demo_exists():
        return demo_summary(created=False)
    needed = {a.bureau_code for a in DEMO_ACCOUNTS} | set(COUNTY)
    found = set(Bureau.objects.filter(code__in=needed).values_list("code", flat=True))
    if missing := sorted(needed - found):
        raise DemoBureausMissing(
            "Load the bureaus first (manage.py load_bureaus); missing: " + ", ".join(missing)
        )
    _Seeder().run()
    return demo_summary(created=True)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _org_code_check(body: str) -> str:
    """The check character of an organisation code (GB 11714), the 9th of its 9 characters."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


class _Seeder:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.used: set[str] = {FEATURED_LICENCE}
        self.numbers: dict[tuple[str, str, int], int] = {}
        self.staff: dict[tuple[str, Role], User] = {}
        self.employers: dict[tuple[str, str], list[Operator]] = {}
        self.listed: dict[tuple[str, str], list[Operator | Practitioner]] = {}

    def run(self) -> None:
        self._accounts()
        plans = self._featured() + self._plans()
        # Filed in the order the bureaus obtained them, so references grow with time and
        # document numbers of one issuer grow with their dates.
        plans.sort(key=lambda plan: (plan.obtained_on, plan.basis_date))
        for plan in plans:
            plan.basis_number = self._basis_number(plan)
            self._file(plan)
        supervision_examples_seed(
            reviewer=self.staff[("330106", Role.REVIEWER)],
            supervisor=self.staff[("330100", Role.SUPERVISOR)],
            today=self.today,
        )

    # Accounts

    def _accounts(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once: one hash is slow on purpose
        groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
        bureaus = Bureau.objects.in_bulk(
            {a.bureau_code for a in DEMO_ACCOUNTS} | set(COUNTY), field_name="code"
        )
        specs = [(account, password) for account in DEMO_ACCOUNTS]
        # Records elsewhere need a filer and a reviewer of their own county; these helpers
        # have no usable password.
        desks = {(a.bureau_code, a.role) for a in DEMO_ACCOUNTS}
        for county in COUNTIES:
            for role in (Role.FILER, Role.REVIEWER):
                if (county.code, role) not in desks:
                    last, first = self._person_name(county)
                    username = f"{DEMO_PREFIX}{county.code}-{role.value}"
                    specs.append((DemoAccount(username, role, county.code, last, first), ""))
        for spec, hashed in specs:
            user = User(
                username=spec.username,
                last_name=spec.last_name,
                first_name=spec.first_name,
                email=f"{spec.username}@example.org",
                bureau=bureaus[spec.bureau_code],
                is_staff=True,
            )
            if hashed:
                user.password = hashed
            else:
                user.set_unusable_password()
            user.save()
            user.groups.add(groups[spec.role.value])
            audit_log(
                actor=None,
                action="account_create",
                obj=user,
                after=account_state(user),
                reason="demo data (manage.py seed_demo)",
            )
            self.staff[(spec.bureau_code, spec.role)] = user
        self._party(password)

    def _party(self, password: str) -> None:
        """The demo interested party: a verified public account for the archive demo."""
        user = User(
            username=DEMO_PARTY,
            email=f"{DEMO_PARTY}@example.org",
            last_name=DEMO_PARTY_NAME,
            password=password,
        )
        user.save()
        InterestedParty.objects.create(
            user=user, full_name=DEMO_PARTY_NAME, email_verified_at=timezone.now()
        )
        audit_log(
            actor=None,
            action="account_create",
            obj=user,
            after=account_state(user),
            reason="demo data (manage.py seed_demo)",
        )

    # Planning

    def _plans(self) -> list[Plan]:
        plans = []
        for outcome, count in OUTCOMES.items():
            for index in range(count):
                if outcome in PENDING_OUTCOMES:
                    code = (
                        DESK_COUNTIES[index]
                        if index < len(DESK_COUNTIES)
                        else self.rng.choices(DESK_COUNTIES, weights=(3, 1, 1))[0]
                    )
                    county = COUNTY[code]
                else:
                    county = self.rng.choices(COUNTIES, weights=[c.weight for c in COUNTIES])[0]
                plans.append(self._plan(outcome, county, self._story(outcome, index)))
        return plans

    def _story(self, outcome: str, index: int) -> Story:
        if outcome == "published" and index < len(STORIES):
            return STORIES[index]  # every kind of case is on the public list
        candidates: tuple[Story, ...] = STORIES
        if outcome == "corrected":
            candidates = tuple(s for s in STORIES if "{fine}" in s.penalty)
        elif outcome in ("ended", "archived"):
            candidates = tuple(s for s in STORIES if not s.period_years)
        return self.rng.choices(candidates, weights=[s.weight for s in candidates])[0]

    def _plan(self, outcome: str, county: County, story: Story) -> Plan:
        rng, today = self.rng, self.today
        period = story.period_years or settings.PUBLICATION_PERIOD_YEARS
        start: datetime.date | None
        if outcome in PENDING_OUTCOMES:
            start, obtained = None, today - rng.randint(0, 12) * DAY
        elif outcome == "scheduled":
            start, obtained = today + rng.randint(1, 14) * DAY, today - rng.randint(0, 3) * DAY
        else:
            start = {
                "published": lambda: today - rng.randint(0, 700) * DAY,
                "late": lambda: today - rng.randint(0, 700) * DAY,
                "withdrawn": lambda: today - rng.randint(10, 300) * DAY,
                "corrected": lambda: today - rng.randint(20, 400) * DAY,
                # Published more than `period` years ago: the period is over.
                "ended": lambda: add_years(today, -period) - rng.randint(0, 60) * DAY,
                "archived": lambda: add_years(today, -period) - rng.randint(30, 500) * DAY,
            }[outcome]()
            lag = rng.randint(12, 45) if outcome == "late" else rng.randint(0, 4)
            obtained = start - lag * DAY
        courts = story.issuer.startswith("court") or story.issuer == "government"
        basis = obtained - rng.randint(*((3, 30) if courts else (0, 5))) * DAY
        return Plan(
            outcome=outcome,
            county=county,
            story=story,
            basis_date=basis,
            obtained_on=obtained,
            public_from=start,
            amounts=self._amounts(story),
            cycle_through_return=outcome == "published" and rng.random() < 0.1,
        )

    def _amounts(self, story: Story) -> dict[str, str]:
        low, high = story.fine
        return {
            "fine": str(self.rng.randint(low, high) * 1000),
            "gain": str(self.rng.randint(8, 400) * 100),
            "refund": str(self.rng.randint(6, 120) * 100),
            "comp": str(self.rng.randint(5, 200) * 1000),
        }

    def _featured(self) -> list[Plan]:
        """The agency a licensing lookup can be tried with, and one of its guides."""
        county = COUNTY["330106"]
        filer = self.staff[(county.code, Role.FILER)]
        agency = operator_create(
            by=filer,
            data={
                "name": FEATURED_AGENCY,
                "sector": S.TRAVEL_AGENCY,
                "credit_code": self._credit_code(county, "91"),
                "licence_no": FEATURED_LICENCE,
                "business_address": "浙江省杭州市西湖区曙光路122号",
                "legal_representative": "周志远",
                "region": self._bureau(county),
            },
        )
        guide = practitioner_create(
            by=filer,
            data={
                "name": "陈晓峰",
                "kind": K.GUIDE,
                "identity_number": self._identity_number(),
                "certificate_no": self._unique(lambda: f"{county.guide_prefix}-008817"),
                "employer": agency,
                "region": self._bureau(county),
            },
        )
        plans = []
        for subject, story, days in ((agency, FEATURED_STORY, 45), (guide, STORIES[7], 38)):
            start = self.today - days * DAY
            plans.append(
                Plan(
                    outcome="published",
                    county=county,
                    story=story,
                    basis_date=start - 4 * DAY,
                    obtained_on=start - 2 * DAY,
                    public_from=start,
                    subject=subject,
                    amounts=self._amounts(story),
                )
            )
        return plans

    # Identifiers and names

    def _unique(self, make: Callable[[], str]) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError("demo data: ran out of unique values")

    def _credit_code(self, county: County, kind: str) -> str:
        def make() -> str:
            body = "MA" + "".join(self.rng.choices(_USCC_CHARS[:-10], k=6))
            body17 = kind + county.code + body + _org_code_check(body)
            return body17 + uscc.calc_check_digit(body17)

        return self._unique(make)

    def _identity_number(self) -> str:
        def make() -> str:
            birth = datetime.date(
                self.rng.randint(1968, 2001), self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
            body = f"{self.rng.choice(BIRTHPLACES)}{birth:%Y%m%d}{self.rng.randint(0, 999):03d}"
            number = body + ric.calc_check_digit(body + "0")  # it expects a placeholder digit
            try:
                return ric.validate(number)
            except ValueError:  # a region code not yet in use in that birth year
                return ""

        number = ""
        while not number:
            number = self._unique(make)
        return number

    def _person_name(self, county: County) -> tuple[str, str]:
        surname = self.rng.choice(SURNAMES + county.surnames * 8)
        return surname, "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))

    def _company(self, county: County, sector: str) -> tuple[str, str]:
        def make() -> str:
            brand, form = self.rng.choice(BRANDS), self.rng.choice(COMPANY_FORMS[Sector(sector)])
            return f"{county.short}{brand}{form}"

        name = self._unique(make)
        # Companies are registered as enterprises (91), shops and inns as individual
        # businesses (92).
        return name, "91" if name.endswith("公司") else "92"

    def _address(self, county: County) -> str:
        street, number = self.rng.choice(county.streets), self.rng.randint(1, 399)
        return f"{county.address_prefix}{street}{number}号"

    def _bureau(self, county: County) -> Bureau:
        return self.staff[(county.code, Role.FILER)].bureau  # type: ignore[return-value]

    def _basis_number(self, plan: Plan) -> str:
        county, year = plan.county, plan.basis_date.year
        issuer = plan.story.issuer
        key = (county.code, issuer, year)
        court = issuer.startswith("court")
        if key not in self.numbers:
            self.numbers[key] = self.rng.randint(800, 6000) if court else self.rng.randint(3, 40)
        else:
            self.numbers[key] += self.rng.randint(20, 300) if court else self.rng.randint(1, 9)
        n = self.numbers[key]
        return {
            "bureau": f"{county.prefix}文旅罚〔{year}〕{n}号",
            "market": f"{county.prefix}市监罚〔{year}〕{n}号",
            "transport": f"{county.prefix}交执罚〔{year}〕{n}号",
            "police": f"{county.police_prefix}行罚决字〔{year}〕{n:05d}号",
            "government": f"{county.prefix}安调〔{year}〕{n}号",
            "complaint": f"{county.prefix}旅诉〔{year}〕{n}号",
            "court_civil": f"（{year}）{county.court_code}民初{n}号",
            "court_enforce": f"（{year}）{county.court_code}执{n}号",
            "court_criminal": f"（{year}）{county.court_code}刑初{n}号",
        }[issuer]

    @staticmethod
    def _issuer(county: County, issuer: str) -> str:
        if issuer == "police":
            return county.police
        if issuer.startswith("court"):
            return f"{county.place}人民法院"
        return {
            "bureau": county.bureau_name,
            "complaint": county.bureau_name,
            "market": f"{county.place}市场监督管理局",
            "transport": f"{county.place}交通运输局",
            "government": f"{county.place}人民政府",
        }[issuer]

    # Subjects

    def _list(self, county: County, subject: Operator | Practitioner) -> None:
        kind = subject.sector if isinstance(subject, Operator) else subject.kind
        self.listed.setdefault((county.code, kind), []).append(subject)

    def _subject(self, plan: Plan) -> Operator | Practitioner:
        county, story = plan.county, plan.story
        listed = self.listed.get((county.code, story.subject), [])
        # Some subjects are listed more than once, as in real registers.
        if listed and plan.outcome not in PENDING_OUTCOMES and self.rng.random() < 0.12:
            return self.rng.choice(listed)
        if story.is_operator:
            subject: Operator | Practitioner = self._operator(county, story.subject)
        else:
            subject = self._practitioner(county, story.subject, employed=story.employed)
        self._list(county, subject)
        return subject

    def _operator(self, county: County, sector: str) -> Operator:
        name, kind = self._company(county, sector)
        licence = ""
        if sector == S.TRAVEL_AGENCY:
            # Agencies doing outbound travel (出境, CJ) have licences like L-ZJ-CJ00123; the
            # others like L-ZJ-100123.
            outbound = "国际" in name

            def make() -> str:
                serial = (
                    f"CJ{self.rng.randint(2, 9999):05d}"
                    if outbound
                    else str(self.rng.randint(100001, 109999))
                )
                return f"{county.licence_prefix}-{serial}"

            licence = self._unique(make)
        last, first = self._person_name(county)
        return operator_create(
            by=self.staff[(county.code, Role.FILER)],
            data={
                "name": name,
                "sector": sector,
                "credit_code": self._credit_code(county, kind),
                "licence_no": licence,
                "business_address": self._address(county),
                "legal_representative": last + first,
                "region": self._bureau(county),
            },
        )

    def _practitioner(self, county: County, kind: str, *, employed: bool) -> Practitioner:
        sector = EMPLOYER_SECTOR[PractitionerKind(kind)]
        employers = self.employers.setdefault((county.code, sector), [])
        if len(employers) < 3 or kind == K.PRINCIPAL:
            employers.append(self._operator(county, sector))
        certificate = ""
        if kind == K.GUIDE:
            certificate = self._unique(
                lambda: f"{county.guide_prefix}-{self.rng.randint(1, 999999):06d}"
            )
        employer = employers[-1] if kind == K.PRINCIPAL else self.rng.choice(employers)
        return practitioner_create(
            by=self.staff[(county.code, Role.FILER)],
            data={
                "name": self._unique(lambda: "".join(self._person_name(county))),
                "kind": kind,
                "identity_number": self._identity_number(),
                "certificate_no": certificate,
                "employer": employer if employed else None,
                "region": self._bureau(county),
            },
        )

    # Filing

    def _file(self, plan: Plan) -> None:
        county, story, rng = plan.county, plan.story, self.rng
        filer = self.staff[(county.code, Role.FILER)]
        reviewer = self.staff[(county.code, Role.REVIEWER)]
        subject = plan.subject or self._subject(plan)
        is_operator = isinstance(subject, Operator)
        amounts = plan.amounts
        if plan.outcome == "corrected":  # filed with a digit of the fine missing
            amounts = {**amounts, "fine": amounts["fine"][:-1]}
        record = record_create(
            by=filer,
            data={
                "subject_type": "operator" if is_operator else "practitioner",
                "operator": subject if is_operator else None,
                "practitioner": None if is_operator else subject,
                "ground": story.ground,
                "cause": story.cause,
                "penalty_decision": story.penalty.format(**amounts),
                "complaint_result": story.complaint.format(**amounts),
                "basis_type": ISSUER_BASIS[story.issuer],
                "basis_number": plan.basis_number,
                "basis_issuer": self._issuer(county, story.issuer),
                "basis_date": plan.basis_date,
                "obtained_on": plan.obtained_on,
                "period_years": story.period_years or None,
                "period_legal_basis": story.period_legal_basis,
                "internal_note": rng.choice(INTERNAL_NOTES) if rng.random() < 0.2 else "",
            },
        )
        if plan.obtained_on < self.today:  # demo back-dating: filed on the day obtained
            BadRecord.objects.filter(pk=record.pk).update(created_at=_at(plan.obtained_on, 9))
        if plan.outcome == "draft":
            return
        record = record_submit(record=record, by=filer)
        if plan.outcome == "returned" or plan.cycle_through_return:
            record = record_return(record=record, by=reviewer, comment=rng.choice(RETURN_COMMENTS))
            if plan.outcome == "returned":
                return
            record = record_submit(record=record, by=filer)
        if plan.outcome == "submitted":
            return
        # Chosen by the record's id, not the seeded generator: the demo's other draws stay
        # the same. The service keeps a reason only for a late publication.
        late_reason = LATE_REASONS[record.pk % len(LATE_REASONS)]
        if plan.outcome == "scheduled":
            record_publish(
                record=record, by=reviewer, public_from=plan.public_from, late_reason=late_reason
            )
            return
        record = record_publish(record=record, by=reviewer, late_reason=late_reason)
        assert plan.public_from is not None
        if plan.public_from < self.today:
            self._backdate(record, public_from=plan.public_from, archive=plan.outcome == "archived")
        if plan.outcome == "withdrawn":
            record_withdraw(record=record, by=reviewer, reason=rng.choice(WITHDRAWAL_REASONS))
        elif plan.outcome == "corrected":
            record_correct(
                record=record,
                by=reviewer,
                data={"penalty_decision": story.penalty.format(**plan.amounts)},
                reason="录入的罚款金额与行政处罚决定书不一致，按决定书更正。",
            )

    def _backdate(self, record: BadRecord, *, public_from: datetime.date, archive: bool) -> None:
        """Demo back-dating. The services publish today; this record was published on
        `public_from`, so its dates are set as the services would have set them then, with
        the period and lateness rules of kernel.periods and the stored deadline. An ended
        record stays published (the expiry task has not run: it must be hidden by its dates
        alone); an archived one has been through the expiry task."""
        public_until = last_public_day(public_from, record.period_years)
        is_late = public_from > record.publish_deadline
        changes: dict[str, object] = {
            "public_from": public_from,
            "public_until": public_until,
            "is_late": is_late,
            "late_publication_reason": LATE_REASONS[record.pk % len(LATE_REASONS)]
            if is_late
            else "",
            "publication_working_days": max(
                0, working_days_between(record.obtained_on, public_from)
            ),
            "submitted_at": _at(public_from, 10),
            "reviewed_at": _at(public_from, 15, 30),
        }
        if archive:
            changes |= {"status": RecordStatus.ARCHIVED, "archived_at": _at(public_until + DAY, 1)}
        before = {key: getattr(record, key) for key in changes}
        BadRecord.objects.filter(pk=record.pk).update(**changes)
        audit_log(
            actor=None,
            action="demo_backdate",
            obj=record,
            before=before,
            after=changes,
            reason="demo data: dates set back to when the record was published",
        )
