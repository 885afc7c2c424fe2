"""Star ratings and the per-page summary that every read uses.

``Rating`` holds one vote per member (or per anonymous browser) and page.
``RatingSummary`` holds the running count and total for a page, written in
the same transaction as the vote (see ``ratings.services.rating_upsert``), so
no page or listing ever aggregates over ratings to show them.

The summary lives in its own table rather than on ``ContentPage`` because
Wagtail copies page fields into revisions: publishing an older revision would
write stale numbers back.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

MIN_SCORE = 1
MAX_SCORE = 5
SCORE_CHOICES = [
    (1, gettext_lazy("1 star")),
    (2, gettext_lazy("2 stars")),
    (3, gettext_lazy("3 stars")),
    (4, gettext_lazy("4 stars")),
    (5, gettext_lazy("5 stars")),
]

# The Bayesian prior: every page starts as if it had PRIOR_WEIGHT votes of
# PRIOR_MEAN stars (the middle of the scale), so a handful of votes cannot
# outrank a large body of good ones. See ``RatingSummary.bayesian_score``.
PRIOR_MEAN = Decimal("3.0")
PRIOR_WEIGHT = 5
SCORE_PLACES = Decimal("0.0001")


class Rating(models.Model):
    """One person's 1–5 star rating of one content page.

    The rater is either a member (``user``) or an anonymous browser
    (``anonymous_key``: the SHA-256 of the random id in its signed cookie,
    never the id itself), never both and never neither.
    """

    page = models.ForeignKey("core.ContentPage", on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    anonymous_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    score = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE),
                name="ratings_rating_score_1_to_5",
            ),
            # Exactly one rater: a member or an anonymous browser.
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, anonymous_key__isnull=True)
                    | (Q(user__isnull=True, anonymous_key__isnull=False) & ~Q(anonymous_key=""))
                ),
                name="ratings_rating_one_rater",
            ),
            models.UniqueConstraint(
                fields=["page", "user"],
                condition=Q(user__isnull=False),
                name="ratings_rating_one_per_member",
            ),
            models.UniqueConstraint(
                fields=["page", "anonymous_key"],
                condition=Q(anonymous_key__isnull=False),
                name="ratings_rating_one_per_browser",
            ),
        ]
        indexes = [
            # The per-item cap counts an item's visitor ratings of the last hour.
            models.Index(
                fields=["page", "created_at"],
                condition=Q(user__isnull=True),
                name="ratings_rating_visitor_recent",
            ),
        ]

    def __str__(self):
        return f"{self.score}★ on page {self.page_id}"


class RaterBrowser(models.Model):
    """A visitor-rating browser token that a member has signed in with.

    ``anonymous_key`` is the same hash of the browser's token as on
    ``Rating`` (never the token). Recorded on sign-in (``ratings.signals``)
    and when a member rates; a browser with any such link may rate only while
    signed in, so an author cannot sign out and rate their own item, and a
    member cannot vote a second time as a visitor. Removed with the member.
    """

    anonymous_key = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rater_browsers"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["anonymous_key", "user"], name="ratings_raterbrowser_one_link"
            ),
        ]

    def __str__(self):
        return f"a rating browser of user {self.user_id}"


class RatingSummary(models.Model):
    """The running count and total of a page's ratings, and its top-rated score.

    ``bayesian_score`` orders "top rated" lists::

        score = (PRIOR_WEIGHT * PRIOR_MEAN + total) / (PRIOR_WEIGHT + count)

    with PRIOR_MEAN = 3.0 and PRIOR_WEIGHT = 5: the average the page would
    have if five middling votes were added to its own. One 5-star vote gives
    (15 + 5) / 6 = 3.33; forty votes averaging 4.8 give (15 + 192) / 45 = 4.6.
    It is stored rounded to four places so equal inputs tie exactly.
    """

    page = models.OneToOneField(
        "core.ContentPage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rating_summary",
    )
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    bayesian_score = models.DecimalField(max_digits=6, decimal_places=4, default=PRIOR_MEAN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "rating summaries"
        constraints = [
            # Every vote is 1 to 5 stars, so the total lies between count and 5 × count.
            models.CheckConstraint(
                condition=Q(total__gte=F("count"), total__lte=F("count") * MAX_SCORE),
                name="ratings_summary_total_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["-bayesian_score", "-count"], name="ratings_summary_top_idx"),
        ]

    def __str__(self):
        return f"{self.count} ratings on page {self.page_id}"

    @property
    def average(self):
        """The mean score as a Decimal with one place, or None before the first vote."""
        if not self.count:
            return None
        return (Decimal(self.total) / Decimal(self.count)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def recalculate_score(self):
        """Set ``bayesian_score`` from ``count`` and ``total`` (see the class docstring)."""
        self.bayesian_score = (
            (PRIOR_WEIGHT * PRIOR_MEAN + self.total) / (PRIOR_WEIGHT + self.count)
        ).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)
