"""`{% per_language %}` (kernel/templatetags/per_language.py): a part rendered once per
language and script prefix must show each visitor their own language and links, and never
anything of the request it was first rendered for."""

from django.template import engines
from django.test import RequestFactory
from django.urls import set_script_prefix
from django.utils import translation

from tests.conftest import client_for

SOURCE = (
    "{% load i18n per_language %}"
    "{% per_language %}<a href=\"{% url 'publication:list' %}\">{% translate 'Apply filters' %}"
    "</a>[{{ secret }}]{% end_per_language %}|{{ secret }}"
)


def test_a_part_is_each_languages_own_and_holds_nothing_of_the_request():
    template = engines["django"].from_string(SOURCE)
    request = RequestFactory().get("/")
    with translation.override("en"):
        english = template.render({"secret": "first visitor"}, request)
    with translation.override("zh-hans"):
        chinese = template.render({"secret": "second visitor"}, request)
    with translation.override("en"):
        again = template.render({"secret": "third visitor"}, request)
    assert english.startswith('<a href="/disclosures/">Apply filters</a>[]|')
    assert chinese.startswith('<a href="/disclosures/">') and "Apply filters" not in chinese
    assert again == '<a href="/disclosures/">Apply filters</a>[]|third visitor'


def test_a_part_follows_the_script_prefix():
    template = engines["django"].from_string(SOURCE)
    request = RequestFactory().get("/")
    try:
        set_script_prefix("/portal/")
        assert 'href="/portal/disclosures/"' in template.render({}, request)
    finally:
        set_script_prefix("/")
    assert 'href="/disclosures/"' in template.render({}, request)


def test_the_list_page_speaks_each_visitors_language(db):
    chinese = client_for(None).get("/disclosures/").content.decode()
    english_client = client_for(None)
    english_client.get("/language/en/")
    english = english_client.get("/disclosures/").content.decode()
    assert "Apply filters" in english and "Apply filters" not in chinese
    assert chinese.count('action="/disclosures/"') == english.count('action="/disclosures/"') == 1
