"""Fill a PostgreSQL database with a realistic national list for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/seed.py [--records 1000000] [--public 300000] [--subjects 300000]

It creates the database if needed, migrates it, loads the bureaus and writes, with COPY:
about two thirds of the subjects as operators of every sector and one third as practitioners
(common names, so that 张伟 and 王芳 occur many times), and the records — `--public` of them
on the public list today (published over the last two years, spread over every county) and
the rest archived (their two years ended earlier). Identifiers are valid (check digits
computed by python-stdnum) and unique. The same seed gives the same data.

`--reset` empties the record and subject tables first; without it the script refuses to
write into a database that already holds records.
"""

import argparse
import csv
import datetime
import functools
import io
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blacklist_portal.settings")
from bench.keys import bench_keys_default  # noqa: E402

bench_keys_default()

import django  # noqa: E402

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强晓峰海燕丹玉兰红梅"
WORDS = (  # noqa: SIM905 - easier to read as one string
    "西湖 东方 国际 青年 阳光 锦绣 长城 华夏 环球 山水 春秋 康辉 中旅 假日 远航 金桥 和平 "
    "天马 白云 蓝天 新世纪 海峡 丝路 江南 天府 北国 南方 龙腾 凤凰 友谊 光明 盛世 云海 "
    "星辰 腾飞 恒信 诚信 康泰 百事通 逸游 途悦 嘉华 瑞丰 鼎盛 晨光 鸿运 宏图 万达 金色"
).split()
SECTOR_WORDS = {
    "travel_agency": ["旅行社有限公司", "国际旅行社有限公司", "旅游集团有限公司", "旅行社"],
    "scenic_area": ["景区管理有限公司", "旅游开发有限公司", "风景区管理处"],
    "transport": ["旅游客运有限公司", "汽车租赁有限公司", "游船有限公司"],
    "accommodation": ["大酒店有限公司", "宾馆", "度假酒店有限公司", "民宿"],
    "catering": ["餐饮管理有限公司", "酒楼", "农家乐"],
    "shopping": ["商贸有限公司", "旅游商品店", "工艺品有限公司"],
    "entertainment": ["文化娱乐有限公司", "演艺有限公司", "游乐园有限公司"],
}
SECTOR_WEIGHTS = [30, 12, 10, 20, 12, 10, 6]
KINDS = ["guide"] * 6 + ["tour_leader"] * 2 + ["principal", "other"]
OPERATOR_GROUNDS = ["G1", "G1", "G1", "G2", "G3", "G3", "G6", "G7", "G7"]
PERSON_GROUNDS = ["G1", "G1", "G3", "G4", "G5", "G5", "G6", "G7"]
CAUSES = [
    "未与旅游者签订旅游合同，擅自变更旅游行程",
    "以不合理的低价组织旅游活动，诱骗旅游者购物",
    "强迫旅游者参加另行付费旅游项目",
    "导游在执业过程中辱骂旅游者并擅自离团",
    "未按规定投保旅行社责任保险",
    "安全管理措施不到位，造成游客受伤",
    "虚假宣传，收取费用后不提供约定服务",
]

BATCH = 50_000


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--public", type=int, default=300_000)
    parser.add_argument("--subjects", type=int, default=300_000)
    parser.add_argument(
        "--pending", type=int, default=2_000, help="of --records: submitted, not yet published"
    )
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--reset", action="store_true", help="empty records and subjects first")
    return parser.parse_args()


def _ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or "postgres",
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        password=config["PASSWORD"] or None,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")
    conn.close()


def _copy(cursor, table: str, columns: list[str], rows: Iterator[list]) -> int:
    count = 0
    while True:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        n = 0
        for row in rows:
            writer.writerow(["\\N" if v is None else v for v in row])
            n += 1
            if n >= BATCH:
                break
        if n == 0:
            return count
        buffer.seek(0)
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
        count += n
        if n < BATCH:
            return count


def main() -> None:
    args = _args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. .../portal_bench")
    if args.public + args.pending > args.records:
        sys.exit("--public and --pending together cannot exceed --records")
    django.setup()
    _ensure_database(url)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from stdnum.cn import ric, uscc

    from kernel.identifiers import lookup_key
    from kernel.identity_numbers import identity_number_digest, identity_number_encrypt
    from kernel.names import search_key, short_grams
    from kernel.periods import last_public_day
    from records.models import BadRecord, Bureau, Operator, Practitioner, User
    from records.models.bureaus import BureauLevel
    from workdays.working_days import add_working_days, working_days_between

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_bureaus", verbosity=0)
    # Subjects alone count too: a run stopped between the subjects and the records left them.
    if BadRecord.objects.exists() or Operator.objects.exists() or Practitioner.objects.exists():
        if not args.reset:
            sys.exit("The database already holds records; run with --reset to replace them.")
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE records_badrecordversion, records_evidence, kernel_auditevent, "
                "kernel_auditchainhead, "
                "records_badrecord, records_practitioner, records_operator CASCADE"
            )
    rng = random.Random(args.seed)
    today = timezone.localdate()
    now = timezone.now()
    counties = list(
        Bureau.objects.filter(level__in=[BureauLevel.COUNTY, BureauLevel.CITY]).values_list(
            "id", "code", "name"
        )
    )
    filer, _ = User.objects.get_or_create(
        username="bench-filer",
        defaults={"bureau_id": counties[0][0], "is_active": False},
    )
    reviewer, _ = User.objects.get_or_create(
        username="bench-reviewer",
        defaults={"bureau_id": counties[0][0], "is_active": False},
    )
    print(f"migrated, {len(counties)} filing bureaus ({time.perf_counter() - started:.0f} s)")

    n_operators = args.subjects * 2 // 3
    n_people = args.subjects - n_operators
    sectors = list(SECTOR_WORDS)
    operators: list[tuple] = []  # (id, name, key, sector, credit, licence, address, legal, bureau)
    people: list[tuple] = []  # (id, name, key, kind, certificate, bureau)
    # Names repeat (张伟): compute each key once.
    key_of = functools.cache(search_key)
    grams_of = functools.cache(short_grams)

    def operator_rows() -> Iterator[list]:
        for i in range(1, n_operators + 1):
            bureau_id, code, region = rng.choice(counties)
            sector = rng.choices(sectors, SECTOR_WEIGHTS)[0]
            name = (
                f"{region.removesuffix('区').removesuffix('县')}"
                f"{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(SECTOR_WORDS[sector])}"
            )
            if rng.random() < 0.5:  # same words elsewhere: make most names unique
                name = name.replace("有限公司", f"{i % 97}号有限公司", 1)
            body = f"91{code}{i:09d}"
            credit = body + uscc.calc_check_digit(body)
            licence = (
                f"L-{'ZJBJGDSCYN'[i % 5 * 2 : i % 5 * 2 + 2]}-CJ{i:07d}"
                if (sector == "travel_agency")
                else ""
            )
            address = f"{region}人民路{i % 500 + 1}号"
            legal = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
            operators.append(
                (i, name, key_of(name), sector, credit, licence, address, legal, bureau_id)
            )
            yield [
                i, name, key_of(name), bureau_id, bureau_id, now, now,
                sector, credit, licence, address, legal, grams_of(key_of(name)),
            ]  # fmt: skip

    def person_rows() -> Iterator[list]:
        for i in range(1, n_people + 1):
            bureau_id, code, _region = rng.choice(counties)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", "", *GIVEN])
            kind = rng.choice(KINDS)
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000))
            body = f"{code}{birth:%Y%m%d}{i % 1000:03d}"
            identity = body + ric.calc_check_digit(body + "0")
            certificate = f"D-{code[:4]}-{i:06d}" if kind == "guide" else ""
            people.append((i, name, key_of(name), kind, certificate, bureau_id))
            # identity numbers repeat after 1,000 people of the same county and day: keep
            # them unique by leaving the number blank on a clash, as for foreign guides.
            yield [
                i,
                name,
                key_of(name),
                bureau_id,
                bureau_id,
                now,
                now,
                kind,
                identity,
                certificate,
            ]

    seen_identity: set[str] = set()

    def unique_people() -> Iterator[list]:
        for row in person_rows():
            if row[8] in seen_identity:
                row[8] = ""
            else:
                seen_identity.add(row[8])
            # Stored as the model stores it: encrypted, with its keyed hash for look-ups.
            number = row[8]
            row[8] = identity_number_encrypt(number)
            yield [*row, identity_number_digest(number), grams_of(row[2])]

    with connection.cursor() as cursor:
        raw = cursor.cursor
        n = _copy(
            raw,
            "records_operator",
            [
                "id", "name", "name_key", "region_id", "created_by_bureau_id", "created_at",
                "updated_at", "sector", "credit_code", "licence_no", "business_address",
                "legal_representative", "name_grams",
            ],
            operator_rows(),
        )  # fmt: skip
        print(f"{n} operators ({time.perf_counter() - started:.0f} s)")
        n = _copy(
            raw,
            "records_practitioner",
            [
                "id", "name", "name_key", "region_id", "created_by_bureau_id", "created_at",
                "updated_at", "kind", "identity_number", "certificate_no", "identity_number_hmac",
                "name_grams",
            ],
            unique_people(),
        )  # fmt: skip
        print(f"{n} practitioners ({time.perf_counter() - started:.0f} s)")

        # Lateness draws from a generator of its own, so that the other columns stay what
        # the same seed always gave. About one publication in ten is late.
        late_rng = random.Random(args.seed + 1)
        deadline_of = functools.cache(
            lambda day: add_working_days(day, settings.PUBLICATION_DEADLINE_WORKING_DAYS)
        )
        days_between = functools.cache(working_days_between)
        first_pending = args.records - args.pending + 1

        def record_rows() -> Iterator[list]:
            for i in range(1, args.records + 1):
                public = i <= args.public
                pending = i >= first_pending
                if rng.random() < 0.7:
                    oid, name, key, sector, credit, licence, address, legal, bureau = rng.choice(
                        operators
                    )
                    subject = ["operator", oid, None, sector, "", credit, licence, "", address]
                    ground = rng.choice(OPERATOR_GROUNDS)
                else:
                    pid, name, key, kind, certificate, bureau = rng.choice(people)
                    legal = ""
                    subject = ["practitioner", None, pid, "", kind, "", "", certificate, ""]
                    ground = rng.choice(PERSON_GROUNDS)
                if public:
                    public_from = today - datetime.timedelta(days=rng.randrange(730))
                else:
                    public_from = today - datetime.timedelta(days=731 + rng.randrange(2200))
                public_until = last_public_day(public_from, 2)
                if not public and public_until >= today:
                    public_until = today - datetime.timedelta(days=1)
                spread = rng.randrange(1, 20)
                lag = spread // 3 if late_rng.random() < 0.9 else spread * 2
                if pending:
                    lag = late_rng.randrange(0, 15)
                    public_from = today
                obtained_on = public_from - datetime.timedelta(days=lag)
                basis_date = obtained_on - datetime.timedelta(days=spread // 4)
                deadline = deadline_of(obtained_on)
                is_late = not pending and public_from > deadline
                stamp = datetime.datetime.combine(obtained_on, datetime.time(10), now.tzinfo)
                status = "submitted" if pending else "published" if public else "archived"
                identifier = subject[6] or subject[7]
                yield [
                    subject[0], subject[1], subject[2], name, key, grams_of(key),
                    subject[6], subject[7],
                    subject[5], subject[8], legal, lookup_key(identifier), subject[3],
                    subject[4], ground, rng.choice(CAUSES),
                    f"罚款人民币{rng.randrange(1, 50) * 1000}元", "", "penalty",
                    f"旅罚字〔{basis_date.year}〕第{i}号", f"旅罚字〔{basis_date.year}〕第{i}号",
                    "文化和旅游执法支队", search_key("文化和旅游执法支队"), basis_date,
                    obtained_on, deadline, is_late,
                    "处罚决定书送达后当事人申请复核，待复核结论作出后公布。" if is_late else "",
                    None if pending else days_between(obtained_on, public_from), 2, "",
                    status, None if pending else public_from, None if pending else public_until,
                    1, bureau, filer.pk, stamp, None if pending else reviewer.pk,
                    None if pending else stamp, "", None, "",
                    None if public or pending else now, "", stamp, stamp, False, "",
                ]  # fmt: skip

        n = _copy(
            raw,
            "records_badrecord",
            [
                "subject_type", "operator_id", "practitioner_id", "subject_name",
                "subject_name_key", "name_grams", "licence_no", "certificate_no", "credit_code",
                "business_address", "legal_representative", "identifier_key", "sector",
                "practitioner_kind", "ground", "cause", "penalty_decision", "complaint_result",
                "basis_type", "basis_number", "basis_number_key", "basis_issuer",
                "basis_issuer_key", "basis_date", "obtained_on", "publish_deadline", "is_late",
                "late_publication_reason", "publication_working_days", "period_years",
                "period_legal_basis", "status", "public_from", "public_until",
                "version", "filing_bureau_id", "filed_by_id", "submitted_at", "reviewed_by_id",
                "reviewed_at", "return_comment", "withdrawn_at", "withdrawal_reason",
                "archived_at", "internal_note", "created_at", "updated_at", "objection_open",
                "end_reason",
            ],
            record_rows(),
        )  # fmt: skip
        print(f"{n} records ({time.perf_counter() - started:.0f} s)")
        for table in ("records_operator", "records_practitioner", "records_badrecord"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
    connection.commit() if not connection.get_autocommit() else None
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE records_badrecord")
        cursor.execute("VACUUM ANALYZE records_operator")
        cursor.execute("VACUUM ANALYZE records_practitioner")
    public_now = BadRecord.objects.public().count()
    print(
        f"done in {time.perf_counter() - started:.0f} s: {BadRecord.objects.count()} records, "
        f"{public_now} public today, {n_operators + n_people} subjects"
    )


if __name__ == "__main__":
    main()
