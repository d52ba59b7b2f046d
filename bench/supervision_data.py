"""Supervision measures and public leads at the scale of bench/seed.py, for the dashboard and
report benchmark (bench/accountability_http.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/supervision_data.py [--measures 100000] [--leads 50000] [--reset]

Measures and leads are drawn from published records (every `n`-th one, so each bureau gets
them in proportion to its records): the measure is logged by the filing bureau (one in
twenty-five by the bureau above it) against the record's subject and linked to the record;
the lead is filed with that bureau about the record's subject. Rows look like the services
write them (supervision/services): inspections,
unannounced visits and rectification orders with a due date (a calendar date or a count of
working days on the official calendar), most past orders followed up (rectified, partly, not
rectified), some overdue, some due in the coming days; leads waiting, accepted, transferred to
the bureau above (waiting there, with a new deadline) or not accepted, some past their
first-answer deadline. Contacts are stored as lead_file stores them (the handling bureau sees
them; `contact_key` normalised, the code only as its keyed hash); screens mask them.

Bench rows are marked (measures' officers "bench", leads' numbers "XB…"): a second run adds
nothing while they exist; `--reset` deletes them and writes them again. No audit events are
written. Run it on a copy of the seeded database.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 5000
OFFICERS = "bench"


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=50_000)
    parser.add_argument("--reset", action="store_true", help="delete earlier bench rows first")
    return parser.parse_args()


def _published(count: int) -> list[tuple]:
    """`count` published records spread evenly over the list (every n-th by id)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM records_badrecord WHERE public_from IS NOT NULL")
        total = cursor.fetchone()[0]
        step = max(1, total // max(count, 1))
        cursor.execute(
            """
            SELECT id, filing_bureau_id, operator_id, practitioner_id, subject_name,
                   subject_name_key, credit_code, public_from
            FROM (SELECT r.*, row_number() OVER (ORDER BY id) AS n
                  FROM records_badrecord r WHERE public_from IS NOT NULL) s
            WHERE n %% %(step)s = 0 ORDER BY id LIMIT %(count)s
            """,
            {"step": step, "count": count},
        )
        return cursor.fetchall()


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM supervision_lead WHERE number LIKE 'XB%%' "
            "OR measure_id IN (SELECT id FROM supervision_supervisionmeasure "
            "WHERE officers = %s)",
            [OFFICERS],
        )
        cursor.execute(
            "DELETE FROM supervision_supervisionmeasure_records WHERE supervisionmeasure_id IN "
            "(SELECT id FROM supervision_supervisionmeasure WHERE officers = %s)",
            [OFFICERS],
        )
        cursor.execute("DELETE FROM supervision_supervisionmeasure WHERE officers = %s", [OFFICERS])


def fill_measures(count: int, today: datetime.date, logger_id: int) -> int:
    from django.db import transaction

    from records.models import Bureau
    from supervision.models import MeasureKind, RectificationResult, SupervisionMeasure
    from workdays.working_days import add_working_days

    parents = dict(Bureau.objects.values_list("id", "parent_id"))

    Through = SupervisionMeasure.records.through
    results = [
        RectificationResult.RECTIFIED,
        RectificationResult.RECTIFIED,
        RectificationResult.RECTIFIED,
        RectificationResult.PARTLY,
        RectificationResult.NOT_RECTIFIED,
    ]
    working_due: dict[datetime.date, datetime.date] = {}
    rows = _published(count)
    rng = random.Random(14)  # the same rows on every run
    made = 0
    for start in range(0, len(rows), BATCH):
        measures, record_ids = [], []
        for record_id, bureau_id, operator_id, practitioner_id, name, _k, _c, public_from in rows[
            start : start + BATCH
        ]:
            taken_on = min(today, public_from + datetime.timedelta(days=rng.randrange(240)))
            slot, draw = rng.randrange(20), rng.randrange(20)
            fields: dict = {}
            if slot < 8:
                kind = MeasureKind.INSPECTION
            elif slot < 13:
                kind = MeasureKind.UNANNOUNCED_VISIT
            else:
                kind = MeasureKind.RECTIFICATION_ORDER
                if draw % 2:
                    if taken_on not in working_due:
                        working_due[taken_on] = add_working_days(taken_on, 20)
                    fields.update(due_in_working_days=20, due_on=working_due[taken_on])
                else:
                    fields["due_on"] = taken_on + datetime.timedelta(days=30)
                fields["requirements"] = "整改要求：按合同约定提供服务，退还多收费用。"
                late = (today - fields["due_on"]).days
                # Most past orders are followed up; one in ten stays open (overdue), and
                # half of those due in the last three weeks are not followed up yet.
                if (late > 20 and draw % 10) or (0 < late <= 20 and draw < 10):
                    fields.update(
                        result=results[draw % len(results)],
                        result_on=min(today, fields["due_on"] + datetime.timedelta(days=2)),
                        result_note="复查：" + ("已整改" if draw % 5 < 3 else "未完全整改"),
                        followed_up_by_id=logger_id,
                    )
            # One in twenty-five is taken by the bureau above (a city's or a province's
            # inspection of a county's listed subject).
            by = (parents.get(bureau_id) or bureau_id) if rng.randrange(25) == 0 else bureau_id
            measures.append(
                SupervisionMeasure(
                    bureau_id=by,
                    kind=kind,
                    taken_on=taken_on,
                    officers=OFFICERS,
                    findings="现场检查发现：未按合同约定提供服务。",
                    operator_id=operator_id,
                    practitioner_id=practitioner_id,
                    subject_name=name,
                    logged_by_id=logger_id,
                    **fields,
                )
            )
            record_ids.append(record_id)
        with transaction.atomic():
            SupervisionMeasure.objects.bulk_create(measures)
            Through.objects.bulk_create(
                Through(supervisionmeasure_id=m.pk, badrecord_id=r)
                for m, r in zip(measures, record_ids, strict=True)
            )
        made += len(measures)
    return made


def fill_leads(count: int, today: datetime.date, decider_id: int) -> int:
    import hashlib
    import hmac

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from records.models import Bureau
    from supervision.models import Lead, LeadStatus
    from supervision.services.leads import _duplicate_key, contact_key
    from workdays.working_days import add_working_days

    parents = dict(Bureau.objects.values_list("id", "parent_id"))
    due_after: dict[datetime.date, datetime.date] = {}
    days = settings.LEAD_FIRST_ANSWER_WORKING_DAYS

    def answer_due(day: datetime.date) -> datetime.date:
        if day not in due_after:
            due_after[day] = add_working_days(day, days)
        return due_after[day]

    key = settings.SECRET_KEY.encode()
    # Every other published record from an offset, so leads and measures differ.
    rows = _published(count * 2)[1::2][:count]
    rng = random.Random(41)
    made = 0
    for start in range(0, len(rows), BATCH):
        leads = []
        for index, (_r, bureau_id, _o, _p, name, name_key, credit_code, _f) in enumerate(
            rows[start : start + BATCH], start=start
        ):
            filed_on = today - datetime.timedelta(days=rng.randrange(540))
            age = (today - filed_on).days
            slot = rng.randrange(20)
            text = f"游客反映：{name}在行程中强制购物，第{index}号线索。"
            contact = f"138{index:08d}" if slot % 3 else f"reporter{index}@example.org"
            fields: dict = {"status": LeadStatus.RECEIVED, "answer_due": answer_due(filed_on)}
            decided = timezone.make_aware(
                datetime.datetime.combine(filed_on + datetime.timedelta(days=3), datetime.time(10))
            )
            if age > 30:
                # Old leads are mostly answered; one in ten still waits (overdue).
                if slot < 11:
                    fields["status"] = LeadStatus.ACCEPTED
                elif slot < 16:
                    fields["status"] = LeadStatus.NOT_ACCEPTED
                elif slot < 18:
                    fields["status"] = LeadStatus.TRANSFERRED
            elif slot < 4:
                fields["status"] = LeadStatus.ACCEPTED
            elif slot < 6:
                fields["status"] = LeadStatus.NOT_ACCEPTED
            elif slot < 8:
                fields["status"] = LeadStatus.TRANSFERRED
            handling = bureau_id
            if fields["status"] != LeadStatus.RECEIVED:
                fields.update(decided_by_id=decider_id, decided_at=decided)
                fields["decision_reason"] = "已受理，将依法核查。"
            if fields["status"] == LeadStatus.TRANSFERRED:
                handling = parents.get(bureau_id) or bureau_id
                fields.update(
                    transferred_from_id=bureau_id,
                    answer_due=answer_due(decided.date()),
                    decision_reason="属上级机关管辖，已移送。",
                )
                if age > 30 and slot == 16:  # the bureau it went to accepted it since
                    fields["status"] = LeadStatus.ACCEPTED
            if fields["status"] == LeadStatus.NOT_ACCEPTED:
                fields["decision_reason"] = "线索缺少可核查的事实。"
            code = f"BENCH{index:010d}"
            leads.append(
                Lead(
                    number=f"XB{index:012d}",
                    code_hash=hmac.new(key, code.encode(), hashlib.sha256).hexdigest(),
                    bureau_id=handling,
                    subject_name=name,
                    subject_name_key=name_key,
                    subject_identifiers=credit_code,
                    what_happened=text,
                    happened_on=filed_on - datetime.timedelta(days=2),
                    contact=contact,
                    contact_key=contact_key(contact),
                    wants_reply=bool(slot % 2),
                    duplicate_key=_duplicate_key(name, text),
                    filed_on=filed_on,
                    **fields,
                )
            )
        with transaction.atomic():
            Lead.objects.bulk_create(leads)
        made += len(leads)
    return made


def main() -> None:
    args = _args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database bench/seed.py filled.")
    from bench.keys import bench_keys_default

    bench_keys_default()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blacklist_portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from records.models import User
    from supervision.models import Lead, SupervisionMeasure

    started = time.monotonic()
    if args.reset:
        reset()
    today = timezone.localdate()
    user_id = User.objects.order_by("id").values_list("id", flat=True).first()
    if user_id is None:
        sys.exit("No account in the database: seed it with bench/seed.py first.")
    done = []
    if SupervisionMeasure.objects.filter(officers=OFFICERS).exists():
        done.append("measures already there (--reset to write them again)")
    else:
        done.append(f"{fill_measures(args.measures, today, user_id):,} measures")
    if Lead.objects.filter(number__startswith="XB").exists():
        done.append("leads already there (--reset to write them again)")
    else:
        done.append(f"{fill_leads(args.leads, today, user_id):,} leads")
    with connection.cursor() as cursor:
        for table in (
            "supervision_supervisionmeasure",
            "supervision_supervisionmeasure_records",
            "supervision_lead",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - fixed table names
    print(f"{'; '.join(done)} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
