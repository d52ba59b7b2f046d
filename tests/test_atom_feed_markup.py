"""The Atom feed carries what filers typed as text a feed reader shows, never as markup it
runs: a cause holding <script> or <img onerror> arrives as those characters."""

import html
import xml.etree.ElementTree as ET

import pytest

from records.models import RecordStatus
from tests import factories
from tests.conftest import client_for
from tests.public_fixtures import TODAY

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & 5 < 6'


def entry_of(feed: bytes, name: str) -> ET.Element:
    root = ET.fromstring(feed)
    for entry in root.iter(f"{ATOM}entry"):
        if name in (entry.findtext(f"{ATOM}title") or ""):
            return entry
    raise AssertionError(f"no entry for {name}")


def what_a_reader_shows(element: ET.Element) -> str:
    """Atom (RFC 4287 §3.1.1): type="text" is shown as is, type="html" is parsed as HTML.
    Returned as the HTML a reader would parse, so an element it would create shows as
    markup here."""
    text = element.text or ""
    if element.get("type", "text") == "text":
        return html.escape(text)
    return text


def test_a_cause_with_markup_reaches_feed_readers_as_text(public_list, fang):
    subject = factories.operator(region=fang.bureau, name="标记测试旅行社有限公司")
    factories.record(
        filer=fang, subject=subject, status=RecordStatus.PUBLISHED, cause=HOSTILE,
        public_from=TODAY, basis_date=TODAY,
    )  # fmt: skip
    feed = client_for(None).get("/disclosures/feed.atom").content
    summary = entry_of(feed, "标记测试旅行社有限公司").find(f"{ATOM}summary")
    assert summary is not None
    shown = what_a_reader_shows(summary)
    assert "<script" not in shown and "<img" not in shown
    assert html.unescape(shown).count('<script>alert("x")</script>') == 1
