"""The portal's URLs plus two views for the HTTP benchmarks only: the trivial view shows what
the same server, middleware and workers cost before the portal does anything; the bare page
is the floor a list page can reach on the machine — one raw SQL statement for twenty rows of
the public list and a Django template looping over them, with no filters, count, cache or
frame (the reference the long-tail issue names)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import Context, Engine
from django.urls import include, path
from django.utils import timezone

from records.models.bad_records import DISCLOSED_STATUSES

BARE_SQL = (
    "SELECT id, subject_name, licence_no, certificate_no, ground, public_from, public_until "
    "FROM records_badrecord WHERE status = ANY(%s) AND public_from <= %s AND public_until >= %s "
    "ORDER BY public_from DESC, id DESC LIMIT 20 OFFSET %s"
)
BARE_TEMPLATE = Engine(autoescape=True).from_string(
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>bare</title>'
    '</head><body><table>{% for r in rows %}<tr><th><a href="/disclosures/TR{{ r.0 }}">'
    "{{ r.1 }}</a></th><td>{{ r.2|default:r.3 }}</td><td>{{ r.4 }}</td><td>{{ r.5 }}</td>"
    "<td>{{ r.6 }}</td></tr>{% endfor %}</table></body></html>"
)


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def bare(request: HttpRequest) -> HttpResponse:
    page = int(request.GET.get("page") or 1)
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [sorted(DISCLOSED_STATUSES), today, today, (page - 1) * 20])
        rows = cursor.fetchall()
    return HttpResponse(BARE_TEMPLATE.render(Context({"rows": rows})))


urlpatterns = [
    path("bench/trivial", trivial),
    path("bench/bare", bare),
    path("", include("blacklist_portal.urls")),
]
