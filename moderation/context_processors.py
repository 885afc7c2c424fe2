"""The header's review-queue count for reviewers."""

from django.utils.functional import SimpleLazyObject

from moderation.selectors import review_queue_summary


def review_queue(request):
    """``review_queue`` for the header's "Review queue (N)": a ``ReviewQueueSummary`` for
    reviewers, ``None`` for everyone else; evaluated only by templates that use it.

    Visitors cost nothing; members cost no query either (see
    ``moderation.selectors.review_queue_summary``); reviewers one.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"review_queue": SimpleLazyObject(lambda: review_queue_summary(user=user))}
