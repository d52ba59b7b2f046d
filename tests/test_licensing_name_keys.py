"""Company-name candidates by look-up keys (licensing.name_keys, issue 17): the near names the
issue found missing on PostgreSQL are proposed on every database, and the keys follow every
way an operator is added or renamed."""

import pytest
from django.db import connection

from licensing.lookup import Applicant, lookup
from licensing.models import OperatorNameKey, OperatorNameQueue
from licensing.name_keys import applicant_keys, name_keys_refresh, stored_keys, telling_part
from records.models import Operator, RecordStatus
from records.services import subjects
from tests import factories


@pytest.mark.parametrize(
    ("name", "telling"),
    [
        ("上海秋春国际旅行社", "秋春"),
        ("ABD国际旅行社", "abd"),
        ("南昌瑞丰旅游客运有限公司", "瑞丰"),
        ("瑞丰国际旅行社（上海）（有限责任公司）", "瑞丰"),  # bracketed region and form
        ("北京靑年旅行社", "青年"),  # the variant folded
        ("武汉UCOUR景区管理有限公司", "ucour"),  # co inside a Latin brand is not a form
        ("国际旅行社有限公司", ""),
    ],
)
def test_the_telling_part_of_a_name_leaves_out_regions_trade_words_and_forms(name, telling):
    assert telling_part(name) == telling


@pytest.mark.parametrize(
    ("applicant", "listed"),
    [
        ("上海秋春国际旅行社", "上海春秋国际旅行社"),  # swapped
        ("ABD国际旅行社", "ABC国际旅行社"),  # one letter changed
        ("南昌瑞丰旅游客运有限公司", "南昌福瑞旅游客运有限公司"),  # one slip each way
        ("北京靑年旅行社", "北京青年旅行社"),  # a variant character
        ("春秋国际旅行社", "上海春秋国际旅行社有限公司"),  # region and form dropped
        ("西湖国际旅行社", "杭州西湖湖滨国际旅行社有限公司"),  # the start of the listed name
        ("长沙ZETLAVEL国际旅行社", "长沙EZTRAVEL国际旅行社"),  # two slips in a long brand
    ],
)
def test_near_names_share_a_key(applicant, listed):
    assert applicant_keys(applicant) & stored_keys(listed)


@pytest.mark.parametrize(
    ("applicant", "listed"),
    [("上海秋春国际旅行社", "上海春秋国际旅行社"), ("ABD国际旅行社", "ABC国际旅行社")],
)
def test_the_issues_near_names_are_a_possible_match_on_this_database(
    fang, bureaus, applicant, listed
):
    operator = factories.operator(region=bureaus["xihu"], name=listed)
    factories.record(filer=fang, subject=operator, status=RecordStatus.PUBLISHED)
    result = lookup(
        applicant=Applicant(kind="operator", name=applicant),
        bureau=bureaus["xihu"],
        today=factories.datetime.date(2026, 3, 10),
    )
    assert result.verdict == "possible_match"
    assert [m["name"] for m in result.matches] == [listed]


def keys_of(operator: Operator) -> set[str]:
    name_keys_refresh()
    return set(OperatorNameKey.objects.filter(operator=operator).values_list("key", flat=True))


def test_a_new_operator_is_queued_by_the_database_and_gets_its_keys(bureaus):
    operator = factories.operator(region=bureaus["xihu"], name="杭州山水旅行社有限公司")
    assert OperatorNameQueue.objects.filter(operator_id=operator.pk).exists()
    assert keys_of(operator) == stored_keys("杭州山水旅行社有限公司")
    assert not OperatorNameQueue.objects.exists()


def test_an_operator_renamed_through_the_service_is_found_by_its_new_name_only(fang, bureaus):
    operator = factories.operator(region=bureaus["xihu"], name="杭州山水旅行社有限公司")
    keys_of(operator)
    data = {field: getattr(operator, field) for field in subjects.OPERATOR_FIELDS}
    data["region"] = operator.region
    subjects.operator_update(
        operator=operator, by=fang, data={**data, "name": "杭州云游旅行社有限公司"}
    )
    assert keys_of(operator) == stored_keys("杭州云游旅行社有限公司")


def test_an_operator_written_by_plain_sql_is_queued_too(bureaus):
    """The benchmark seed writes operators with COPY, bypassing every service."""
    operator = factories.operator(region=bureaus["xihu"], name="杭州山水旅行社有限公司")
    name_keys_refresh()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_operator SET name = %s WHERE id = %s", ["宁波海纳旅行社", operator.pk]
        )
    assert keys_of(operator) == stored_keys("宁波海纳旅行社")


def test_a_deleted_operators_keys_go_with_it(bureaus):
    operator = factories.operator(region=bureaus["xihu"], name="杭州山水旅行社有限公司")
    keys_of(operator)
    Operator.objects.filter(pk=operator.pk).delete()
    name_keys_refresh()  # the queued id of a deleted operator is simply dropped
    assert not OperatorNameKey.objects.exists()
