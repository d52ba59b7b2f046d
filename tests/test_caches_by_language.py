"""Every cache behind the public pages keeps one copy per language and per state of the
list: a Chinese visitor never gets the English copy an earlier visitor filled, nor the
other way round, and a change to the list is never hidden behind a cached figure."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from records.models import RecordStatus
from tests import factories
from tests.public_fixtures import NOON

pytestmark = pytest.mark.django_db

G1_EN = "Fined or more heavily punished for infringing tourists&#x27; rights"


def visitor(language: str) -> Client:
    """A browser that chose its language with the switch (the language cookie)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def chinese_visitor() -> Client:
    return visitor("zh-hans")


def english_visitor() -> Client:
    return visitor("en")


@pytest.mark.parametrize("first", ["zh-hans", "en"])
def test_statistics_speak_each_visitors_language_whoever_filled_the_cache(public_list, first):
    order = ["zh-hans", "en"] if first == "zh-hans" else ["en", "zh-hans"]
    pages = {language: visitor(language).get("/statistics/").content.decode() for language in order}
    assert G1_EN in pages["en"]
    assert G1_EN not in pages["zh-hans"]
    assert "按情形" in pages["zh-hans"] and "By ground" in pages["en"]


@pytest.mark.parametrize(
    "url", ["/", "/disclosures/", "/check/d-3301-008817", "/disclosures/feed.atom"]
)
def test_cached_public_pages_are_kept_one_per_language(public_list, url):
    chinese = chinese_visitor().get(url)
    english = english_visitor().get(url)
    assert chinese["Content-Language"] == "zh-hans"
    assert english["Content-Language"] == "en"
    assert chinese.content != english.content
    again = chinese_visitor().get(url)
    assert again.content == chinese.content


def test_the_api_answers_in_each_visitors_language_from_the_page_cache(public_list):
    chinese = chinese_visitor().get("/api/v1/disclosures/?page_size=abc")
    english = english_visitor().get("/api/v1/disclosures/?page_size=abc")
    assert chinese["Content-Language"] == "zh-hans" and english["Content-Language"] == "en"


def a_new_publication(public_list) -> None:
    filer = public_list.agency.filed_by
    subject = factories.operator(region=filer.bureau, name="新公示旅行社有限公司")
    factories.record(
        filer=filer, subject=subject, status=RecordStatus.PUBLISHED,
        public_from=datetime.date(2026, 11, 27), basis_date=datetime.date(2026, 11, 20),
    )  # fmt: skip


def test_the_count_and_the_statistics_follow_a_new_publication_at_once(public_list):
    visitor = chinese_visitor()
    assert visitor.get("/").context["total"] == 4
    assert visitor.get("/statistics/").context["stats"].total == 4
    with time_machine.travel(NOON + datetime.timedelta(seconds=5), tick=False):
        a_new_publication(public_list)
        assert visitor.get("/").context["total"] == 5
        assert visitor.get("/disclosures/").context["page"].total == 5
        assert visitor.get("/statistics/").context["stats"].total == 5
