"""Sign-in hooks: bind the browser's rater token to the member who signs in.

A browser that a member has signed in with may rate only while signed in
(``ratings.services.rating_upsert``), so an author cannot sign out and rate
their own item. The receivers only read the request and call
``rater_browser_link``; the rule lives in the service.
"""

from django.contrib.auth.signals import user_logged_in as django_user_logged_in
from django.dispatch import receiver

from allauth.account.signals import user_logged_in as allauth_user_logged_in

from .browser import browser_id, new_browser_id, set_browser_cookie
from .selectors import anonymous_ratings_allowed
from .services import anonymous_key_for, rater_browser_link


@receiver(django_user_logged_in, dispatch_uid="ratings.link_browser_on_any_sign_in")
def link_browser_on_any_sign_in(sender, request, user, **kwargs):
    """Every sign-in, whichever view did it: link the browser's token if it has one."""
    raw_id = browser_id(request) if request is not None else None
    if raw_id is not None:
        rater_browser_link(user=user, anonymous_key=anonymous_key_for(raw_id))


@receiver(allauth_user_logged_in, dispatch_uid="ratings.issue_browser_token_on_sign_in")
def issue_browser_token_on_sign_in(sender, request, user, response=None, **kwargs):
    """allauth's sign-in (the site's one door) also hands over its response.

    A browser without a token, on a site that takes visitor ratings, gets one
    now, already linked: otherwise the author's first vote after signing out
    would come with a fresh, unlinked token. Sites that take no visitor
    ratings set no rating cookie (the privacy notice promises as much).
    """
    if response is None or browser_id(request) is not None:
        return
    if not anonymous_ratings_allowed(request):
        return
    raw_id = new_browser_id()
    rater_browser_link(user=user, anonymous_key=anonymous_key_for(raw_id))
    set_browser_cookie(response, raw_id, secure=request.is_secure())
