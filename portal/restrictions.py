"""Wagtail's shared-password forms, switched off (issue 10, finding 6).

Kindred offers no shared-password view restrictions (see
``WAGTAIL_PRIVATE_PAGE_OPTIONS``); the addresses of Wagtail's password forms
for pages and documents answer 404 for every id, so they can neither be used
to guess a password nor tell which restriction ids exist.
"""

from django.http import Http404


def password_form_gone(request, **ids):
    """404 for Wagtail's ``authenticate_with_password`` views, whatever the ids."""
    raise Http404("There is no such page.")
