"""Benchmark of the spreadsheet intake (issue 16, point 7): a file of 10,000 records checked
and previewed, then confirmed, each in at most two minutes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a migrated database> \\
        flock /tmp/portal-bench.lock .venv/bin/python bench/intake_rows.py --rows 10000

It writes into the database it is given (a bureau 330106 if there is none, one filer account
bench-intake, the subjects and records of the file): run it on a scratch copy. The file is an
XLSX made from the template's columns: new operators, new practitioners, rows naming subjects
already in the database (matched), and one row in fifty with an error. The upload, the
worker's check (the outbox job, run here the way the worker runs it), the first preview page
and the confirmation (by default as submitted: record_create and record_submit for each
row; `--create-as draft`: record_create only) are timed.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blacklist_portal.settings")
from bench.keys import bench_keys_default  # noqa: E402

bench_keys_default()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from stdnum.cn import ric, uscc  # noqa: E402

from bench.machine import cpu_and_memory  # noqa: E402


def _filer():
    from records.models import Bureau, User
    from records.models.bureaus import BureauLevel
    from records.roles import Role

    bureau = Bureau.objects.filter(code="330106").first()
    if bureau is None:
        national = Bureau.objects.filter(parent=None).first() or Bureau.objects.create(
            code="000000", name="全国", level=BureauLevel.NATIONAL, path="000000/"
        )
        bureau = Bureau.objects.create(
            code="330106",
            name="西湖区",
            level=BureauLevel.COUNTY,
            parent=national,
            path=f"{national.path}330106/",
        )
    user, _ = User.objects.get_or_create(
        username="bench-intake", defaults={"bureau": bureau, "is_staff": True}
    )
    user.groups.add(Group.objects.get(name=Role.FILER.value))
    return user


def _second_factor_verified(client, user) -> None:
    """The session of a staff member who signed in with the authenticator's code (as
    accounts.staff_signin leaves it), so that the preview page is the one staff see."""
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


def _credit_code(n: int) -> str:
    body = f"91330106MB{n:07d}"
    return body + uscc.calc_check_digit(body)


def _identity_number(n: int) -> str:
    body = f"3301061985{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _workbook(rows: int, existing: list[tuple[str, str]], run: str) -> bytes:
    from intake.columns import COLUMNS

    fields = [c.field for c in COLUMNS]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("不良信息记录")
    sheet.append([c.header for c in COLUMNS])
    for n in range(1, rows + 1):
        row = {
            "reference": str(n),
            "ground": "G1",
            "cause": "擅自变更旅游行程，降低服务标准",
            "penalty_decision": "罚款人民币三万元",
            "basis_type": "行政处罚决定书",
            "basis_number": f"杭西文旅罚〔2026〕{run}-{n}号",
            "basis_issuer": "杭州市西湖区文化和广电旅游体育局",
            "basis_date": "2026/2/27" if n % 3 else 46080,
        }
        kind = n % 10
        if kind < 6:
            row.update(
                subject_type="旅游经营者",
                name=f"杭州基准旅行社有限公司{run}{n}",
                credit_code=_credit_code(n),
                sector="旅行社",
                business_address="浙江省杭州市西湖区文三路1号",
            )
        elif kind < 9 or not existing:
            row.update(
                subject_type="旅游从业人员",
                name=f"基准导游{n}",
                kind="导游",
                certificate_no=f"D-3301-{n:06d}",
                ground="G5",
                identity_number=_identity_number(n),
            )
        else:
            subject_type, code = existing[n % len(existing)]
            row.update(subject_type="旅游经营者", name="已有的公司", credit_code=code)
        if n % 50 == 0:
            row["basis_date"] = "2026-02-30"  # a row with an error
        sheet.append([row.get(field, "") for field in fields])
    body = io.BytesIO()
    book.save(body)
    return body.getvalue()


def main() -> None:
    from intake.services.imports import import_confirm, import_upload
    from kernel.jobs import outbox_drain
    from records.models import BadRecord, Operator

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--create-as", choices=["submitted", "draft"], default="submitted")
    args = parser.parse_args()
    settings.INTAKE_MAX_ROWS = max(settings.INTAKE_MAX_ROWS, args.rows)
    filer = _filer()
    existing = [
        ("operator", code)
        for code in Operator.objects.exclude(credit_code="").values_list("credit_code", flat=True)[
            :500
        ]
    ]
    run = str(int(time.time()))[-6:]
    content = _workbook(args.rows, existing, run)
    print(cpu_and_memory())
    print(f"file: {args.rows} rows, {len(content) / 1024 / 1024:.1f} MB XLSX")
    load_before = os.getloadavg()[0]
    cpu_start = time.process_time()
    start = time.perf_counter()
    batch = import_upload(by=filer, upload=SimpleUploadedFile("bench.xlsx", content))
    uploaded = time.perf_counter()
    outbox_drain(seconds=3600)
    checked = time.perf_counter()
    client = Client()
    client.force_login(filer)
    _second_factor_verified(client, filer)
    # Without collectstatic's manifest the pages' static links are plain ones.
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static, ALLOWED_HOSTS=["localhost"]):
        response = client.get(f"/intake/{batch.pk}/", HTTP_HOST="localhost", secure=True)
    previewed = time.perf_counter()
    batch.refresh_from_db()
    print(
        f"check+preview: upload {uploaded - start:.1f} s, worker check {checked - uploaded:.1f} s, "
        f"first preview page {previewed - checked:.2f} s (HTTP {response.status_code}); total "
        f"{previewed - start:.1f} s; {batch.good} good, {batch.bad} with errors, "
        f"{batch.already} already there; status {batch.status}"
    )
    cpu_checked = time.process_time()
    records_before = BadRecord.objects.count()
    start = time.perf_counter()
    import_confirm(batch=batch, by=filer, create_as=args.create_as)
    outbox_drain(seconds=3600)
    confirmed = time.perf_counter()
    batch.refresh_from_db()
    print(
        f"confirm: {confirmed - start:.1f} s for {batch.created} records ({args.create_as}) "
        f"({BadRecord.objects.count() - records_before} new in the table); status {batch.status}"
    )
    # On a machine shared with other work the wall-clock time depends on the load; the CPU
    # this process used says what the intake itself costs.
    print(
        f"CPU of this process: check+preview {cpu_checked - cpu_start:.1f} s, confirm "
        f"{time.process_time() - cpu_checked:.1f} s; load average before {load_before:.2f}, "
        f"after {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
