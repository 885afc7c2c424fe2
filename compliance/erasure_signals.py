"""Signing in during the 7-day wait cancels a request to delete the account."""

from django.contrib import messages


def cancel_on_sign_in(sender, request, user, **kwargs):
    """Django's ``user_logged_in``: the member came back, so their account stays."""
    from compliance.services.erasure import erasure_request_cancel

    if erasure_request_cancel(user=user) is not None and request is not None:
        messages.info(
            request,
            "Welcome back. You signed in, so your account will not be deleted. "
            "You can ask again at any time on your account page.",
            # A sign-in without the messages middleware (a script, a test client).
            fail_silently=True,
        )
