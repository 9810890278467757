"""The workbench home: what each role does first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """Landing page after login."""
    return render(request, "web/home.html")
