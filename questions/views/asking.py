"""Placeholder until this module's views are written (issue 13, in progress)."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


ask = accept = helpful = _not_yet
