"""Showing help to someone whose words suggest a crisis, on the very next page they see.

A view that found crisis words in what a person sent calls ``show_crisis_help(request)``;
``safety.context_processors`` reads (and clears) the mark, and ``templates/base.html``
shows the emergency text and the helplines (``SafetySettings``) at the top of that page.
"""

from django.http import HttpRequest

SESSION_KEY = "kindred_crisis_help"


def show_crisis_help(request: HttpRequest) -> None:
    """Mark the session so that the next page rendered shows the help at its top."""
    request.session[SESSION_KEY] = True


def take_crisis_help(request: HttpRequest) -> bool:
    """Whether help is due on this page; clears the mark (help shows once)."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return False
    return bool(session.pop(SESSION_KEY, False))
