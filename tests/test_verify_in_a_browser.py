"""The public /verify/ page submitted as a real browser submits it: with Django's CSRF checks
on, and with the Origin header a browser derives from the page's Referrer-Policy. (Under
`no-referrer` a browser serialises a POST's origin as "null", which CSRF must refuse.)"""

import pytest
from django.test import Client

from tests.test_licensing_checks import agency, company, fixed_clock, run_check  # noqa: F401

ORIGIN = "http://testserver"


def origin_a_browser_sends(referrer_policy: str) -> str:
    """The Fetch standard's "serialize a request origin": a page whose policy is
    `no-referrer` sends `Origin: null` on every POST, even to itself."""
    return "null" if referrer_policy == "no-referrer" else ORIGIN


def submit_like_a_browser(client: Client, data: dict[str, str]):
    page = client.get("/verify/")
    assert page.status_code == 200
    policy = page["Referrer-Policy"]
    headers = {"Origin": origin_a_browser_sends(policy)}
    if policy != "no-referrer":
        headers["Referer"] = f"{ORIGIN}/verify/"
    token = page.cookies["csrftoken"].value
    return client.post("/verify/", {**data, "csrfmiddlewaretoken": token}, headers=headers)


def test_a_signed_out_browser_can_confirm_a_check_on_verify(li, agency):  # noqa: F811
    check = run_check(li, company(name="杭州西湖国际旅行社"))
    browser = Client(enforce_csrf_checks=True)
    answer = submit_like_a_browser(
        browser, {"number": check.number, "code": check.verification_code}
    )
    assert answer.status_code == 200
    assert check.applicant_name in answer.content.decode()


def test_verify_keeps_the_code_out_of_other_sites_referrers(li, agency):  # noqa: F811
    check = run_check(li, company(name="杭州西湖国际旅行社"))
    browser = Client(enforce_csrf_checks=True)
    answer = submit_like_a_browser(
        browser, {"number": check.number, "code": check.verification_code}
    )
    assert answer.status_code == 200
    # same-origin: the browser names this site to itself and to no one else.
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["Cache-Control"] == "no-store"


@pytest.mark.parametrize("origin", ["null", "https://elsewhere.example"])
def test_verify_still_refuses_a_post_from_another_origin(li, agency, origin, settings):  # noqa: F811
    settings.DEBUG = False
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    token = browser.get("/verify/").cookies["csrftoken"].value
    answer = browser.post(
        "/verify/",
        {"number": "X", "code": "Y", "csrfmiddlewaretoken": token},
        headers={"Origin": origin},
    )
    assert answer.status_code == 403
