"""Template helpers for bylines and notification times; they read only what the view loaded."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from core.dates import local_date
from social.notifications.selectors import in_sentence
from social.selectors import author_profile, profile_face, viewer_ties

register = template.Library()

# Under a minute, "0 minutes ago" reads like a bug; after a week a date says more.
JUST_NOW = timedelta(minutes=1)
DATED_AFTER = timedelta(days=7)
# "5 minutes ago" said whole, so that each language words it its own way
# (German needs the dative: "vor 2 Tagen", not "vor 2 Tage").
AGO_STRINGS = {
    "year": ngettext_lazy("%(num)d year ago", "%(num)d years ago", "num"),
    "month": ngettext_lazy("%(num)d month ago", "%(num)d months ago", "num"),
    "week": ngettext_lazy("%(num)d week ago", "%(num)d weeks ago", "num"),
    "day": ngettext_lazy("%(num)d day ago", "%(num)d days ago", "num"),
    "hour": ngettext_lazy("%(num)d hour ago", "%(num)d hours ago", "num"),
    "minute": ngettext_lazy("%(num)d minute ago", "%(num)d minutes ago", "num"),
}


def relative_time(value: datetime | None, now: datetime) -> str:
    """``value`` as people say it relative to ``now``.

    "just now" under a minute (and for times a little in the future, which a
    skewed clock can produce), "5 minutes ago" / "3 hours ago" / "2 days ago"
    (the largest unit only) within a week, and the date after that.
    """
    if value is None:
        return ""
    elapsed = now - value
    if elapsed < JUST_NOW:
        return _("just now")
    if elapsed < DATED_AFTER:
        return timesince(value, now, depth=1, time_strings=AGO_STRINGS)
    return local_date(timezone.localtime(value), "day")


@register.filter
def ago(value):
    """``{{ when|ago }}``: "just now", "5 minutes ago", ... or the date (see ``relative_time``)."""
    return relative_time(value, timezone.now())


@register.simple_tag(takes_context=True)
def author_profile_url(context, item):
    """The URL of ``item``'s author's profile if this reader may see it, else "".

    Usage: ``{% author_profile_url item as profile_url %}``. The reader comes
    from the request in the context; without one the reader is treated as an
    anonymous visitor (the most restrictive case).
    """
    request = context.get("request")
    viewer = getattr(request, "user", None)
    profile = author_profile(viewer=viewer, item=item)
    if profile is None:
        return ""
    if viewer is not None and viewer.is_authenticated and not profile.is_visible_to(None):
        # Someone who blocked this reader shows them only what visitors see,
        # so no link to a profile that would answer them 404. The ties are
        # one query per request, shared with the follow buttons.
        _, blocked_by = viewer_ties(request)
        if profile.user_id in blocked_by:
            return ""
    return profile.get_absolute_url()


@register.simple_tag(takes_context=True)
def byline_follow(context, item):
    """What the follow button next to an item page's byline needs, or ``None`` for no button.

    Usage: ``{% byline_follow item as follow %}`` then ``follow.profile`` and
    ``follow.following``. No button for visitors, for one's own items,
    anonymous items, hidden profiles or members who blocked the reader.
    Listing cards do not use it: a button on every card made unfollowing
    someone one stray click away. Whether the reader follows the author comes
    from the one ties query per request (``social.selectors.viewer_ties``).
    """
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if viewer is None or not viewer.is_authenticated:
        return None
    profile = author_profile(viewer=viewer, item=item)
    if profile is None or profile.user_id == viewer.pk:
        return None
    followed, blocked_by = viewer_ties(request)
    if profile.user_id in blocked_by:
        return None
    return {"profile": profile, "following": profile.user_id in followed}


@register.simple_tag(takes_context=True)
def face(context, profile):
    """What this reader may see of ``profile``'s face: ``{% face profile as face %}``.

    ``face.avatar_url`` and ``face.profile_url`` are empty when the profile is
    hidden from the reader (``social.selectors.profile_face``, the rule every
    surface shares), so an avatar include can never show a hidden profile's
    picture whatever list it is used in. No query: the profile's user is loaded.
    """
    request = context.get("request")
    return profile_face(profile=profile, viewer=getattr(request, "user", None))


@register.simple_tag
def linked(url, text):
    """``text`` as a link to ``url``, or plain when there is no ``url``; both escaped.

    Usage: ``{% linked entry.actor_url entry.actor_name as name %}`` and then
    ``{{ name }}`` inside a ``blocktranslate``, so the sentence around the
    link stays one sentence for translators.
    """
    if url:
        return format_html('<a href="{}">{}</a>', url, text)
    return format_html("{}", text)


@register.filter(name="in_sentence")
def in_sentence_filter(label):
    """``{{ entry.type_label|in_sentence }}``: a label said inside a sentence (lower case in
    English, as written in German; ``social.notifications.selectors.in_sentence``)."""
    return in_sentence(label)
