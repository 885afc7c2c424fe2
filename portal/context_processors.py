from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from portal.moderation.selectors import review_queue_summary


def _section_links(request):
    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().only("title", "url_path"))


def site_navigation(request):
    """The sections shown in the header; evaluated only by templates that use it."""
    return {"nav_sections": SimpleLazyObject(lambda: _section_links(request))}


def review_queue(request):
    """``review_queue`` for the header's "Review queue (N)": a ``ReviewQueueSummary`` for
    reviewers, ``None`` for everyone else; evaluated only by templates that use it.

    Visitors cost nothing; members cost no query either (see
    ``portal.moderation.selectors.review_queue_summary``); reviewers one.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"review_queue": SimpleLazyObject(lambda: review_queue_summary(user=user))}
