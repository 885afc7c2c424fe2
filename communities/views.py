"""Membership actions (communities.membership_urls). Being written: issue 12, helper "members"."""

from django.http import HttpResponse


def _not_yet(request, slug):  # replaced by the real views
    return HttpResponse(status=501)


join = leave = rules_accept = invitation_accept = invitation_decline = profile_listing = _not_yet
invite = request_decide = member_remove = _not_yet
