"""A citizen looks a travel agency up, as a real browser at a desktop and a phone width: home →
search → filter by region and ground → detail → quick check → statistics → English → back to
Chinese. The list is the small public list of tests/public_fixtures.py, seen on 27 November
2026."""

import re

import pytest
from playwright.sync_api import expect

from records.models import Ground
from tests.browser.conftest import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rows(page):
    return page.locator("table.records tbody tr")


def test_a_citizen_finds_an_agency_checks_its_licence_and_reads_the_statistics(page, public_list):
    agency = public_list.agency

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Tourism bad-record disclosure"))

    page.get_by_label(zh("Search by name, licence, certificate or credit code")).fill("西湖")
    page.get_by_role("button", name=zh("Search"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/disclosures/\?q="))
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(agency.subject_name)

    # Wider: every record of Zhejiang on ground G5 (the guide), then G1 (the agency).
    page.get_by_label(zh("Name, licence, certificate or credit code")).fill("")
    page.get_by_label(zh("Region")).select_option(label="浙江省")
    page.get_by_label(zh("Ground"), exact=True).select_option(label=zh(str(Ground.G5.label)))
    page.get_by_role("button", name=zh("Apply filters")).click()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(public_list.guide.subject_name)
    page.get_by_label(zh("Ground"), exact=True).select_option(label=zh(str(Ground.G1.label)))
    page.get_by_role("button", name=zh("Apply filters")).click()
    expect(page).to_have_url(re.compile(r"region=330000.*ground=G1|ground=G1.*region=330000"))
    expect(rows(page)).to_have_count(1)
    expect(page.get_by_text(public_list.hotel.subject_name)).to_have_count(0)

    page.get_by_role("link", name=agency.subject_name).click()
    expect(page).to_have_url(re.compile(rf"/disclosures/{agency.reference}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(agency.subject_name)
    expect(page.locator("dl.record")).to_contain_text(agency.penalty_decision)
    expect(page.locator("dl.record")).not_to_contain_text("内部备注")

    page.get_by_role("navigation", name=zh("Main")).get_by_role(
        "link", name=zh("Quick check")
    ).click()
    page.get_by_label(zh("Travel agency licence number or guide certificate number")).fill(
        " l-zj-cj 00001 "
    )
    page.get_by_role("button", name=zh("Check"), exact=True).click()
    expect(page.locator(".verdict.listed")).to_be_visible()
    expect(rows(page).first).to_contain_text(agency.subject_name)

    page.get_by_role("navigation", name=zh("Main")).get_by_role(
        "link", name=zh("Statistics")
    ).click()
    expect(page).to_have_url(re.compile(r"/statistics/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("浙江省")
    page.locator("#province-chart").get_by_role("link", name="浙江省").click()
    expect(page).to_have_url(re.compile(r"/statistics/330000/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("浙江省")
    expect(page.locator("#province-chart")).to_contain_text("杭州市")
    expect(page.locator("#province-chart")).not_to_contain_text("北京市")
    page.get_by_role("link", name=zh("Statistics for the whole country")).click()
    expect(page).to_have_url(re.compile(r"/statistics/$"))

    page.get_by_role("link", name=zh("English")).click()
    expect(page).to_have_url(re.compile(r"/statistics/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Quick check")

    page.get_by_role("link", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("navigation", name=zh("Main"))).to_contain_text(zh("Quick check"))


def test_each_row_of_the_list_shows_bureau_dates_and_the_grounds_meaning_on_screen(
    request, portal, page, public_list
):
    """What a row says must be readable without hovering or scrolling sideways: a phone
    cannot show a tooltip."""
    page.goto("/disclosures/?ground=G1")
    expect(page.locator("main")).to_contain_text(public_list.agency.subject_name)
    row = page.locator("table.records tbody tr, .records .card").first
    width = page.viewport_size["width"]
    texts = [
        public_list.agency.filing_bureau.name,
        str(public_list.agency.public_from),
        str(public_list.agency.public_until),
    ]
    if portal.viewport.phone:  # a desktop may keep the meaning in the code's tooltip
        texts.append(zh(str(Ground.G1.label)).split("·", 1)[-1].strip())
    for text in texts:
        cell = row.get_by_text(text, exact=False).first
        assert cell.is_visible(), text  # the page has loaded: no waiting
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, text
