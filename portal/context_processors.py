from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from portal.moderation.selectors import review_queue_summary
from portal.selectors import site_links


def site_navigation(request):
    """``nav_sections`` for the header and ``footer_pages`` for the footer.

    Both come from one query (``portal.selectors.site_links``), run only when
    a template uses either: a response without them (JSON, feeds) costs none.
    """
    links = SimpleLazyObject(lambda: site_links(site=Site.find_for_request(request)))
    return {
        "nav_sections": SimpleLazyObject(lambda: links.sections),
        "footer_pages": SimpleLazyObject(lambda: links.footer),
    }


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
