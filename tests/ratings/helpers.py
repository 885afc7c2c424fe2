"""Helpers shared by the ratings tests."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Sum

from ratings.models import Rating, RatingSummary

JSON = {"HTTP_ACCEPT": "application/json"}


def rate(client, page_or_id, score, *, json=False, **extra):
    """POST ``score`` to the rating endpoint for ``page_or_id`` as ``client``."""
    page_id = getattr(page_or_id, "pk", page_or_id)
    data = {} if score is None else {"score": score}
    headers = {**(JSON if json else {}), **extra}
    return client.post(f"/ratings/{page_id}/", data, **headers)


def expected_bayesian(count, total):
    """The documented formula, written out independently of the model."""
    value = (Decimal(5) * Decimal("3.0") + total) / (5 + count)
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def assert_summary_matches_ratings(page):
    """The stored summary equals a fresh aggregate over the page's ratings."""
    fresh = Rating.objects.filter(page_id=page.pk).aggregate(
        count=Count("pk"), total=Sum("score"), average=Avg("score")
    )
    summary = RatingSummary.objects.get(page_id=page.pk)
    assert summary.count == fresh["count"]
    assert summary.total == (fresh["total"] or 0)
    if fresh["count"]:
        assert float(summary.average) == round(fresh["average"] + 1e-9, 1)
    else:
        assert summary.average is None
    assert summary.bayesian_score == expected_bayesian(fresh["count"], fresh["total"] or 0)
    return summary
