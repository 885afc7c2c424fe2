"""The community moderators' page. Being written: issue 12, helper "community moderation"."""

from django.http import HttpResponse


def queue(request, slug):  # replaced by the real view
    return HttpResponse(status=501)
