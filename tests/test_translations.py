import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def test_the_chinese_catalogue_is_complete_compiled_and_never_says_heimingdan():
    result = subprocess.run(
        [sys.executable, "locale/check_translations.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_admin_login_page_carries_the_portals_chinese_title(db):
    page = Client().get("/admin/login/").content.decode()
    assert "不良信息" in page
    assert "黑名单" not in page


def test_the_public_front_page_is_chinese_by_default_and_english_on_request(db):
    client = Client()
    assert (
        '<html lang="zh-hans">'
        in client.get("/", headers={"accept-language": "en"}).content.decode()
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Tourism bad-record disclosure" in client.get("/").content.decode()
