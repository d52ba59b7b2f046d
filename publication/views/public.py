"""Public pages: anyone may use them, signed in or not."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """Public. The portal's front page."""
    return render(request, "publication/home.html")
