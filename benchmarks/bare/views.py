"""The two views of the bare project: the cheapest Django answer, and a tiny rendered page."""

from django.http import HttpResponse
from django.shortcuts import render


def ok(request):
    """What the issue calls the bare Django view: "ok", nothing else."""
    return HttpResponse("ok", content_type="text/plain")


def template(request):
    """A tiny template with a loop and a variable, for the cost of the template engine alone."""
    return render(request, "tiny.html", {"title": "Bare", "items": range(10)})
