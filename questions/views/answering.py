"""Placeholder until this module's views are written (issue 13, in progress)."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


open_questions = claim = release = answer = areas = _not_yet
