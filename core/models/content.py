"""The concrete parent of everything members and experts write.

Blog posts, expert articles and experience stories are multi-table children
of ``ContentPage`` so that home, tag, feed and profile listings are one query
across all types.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from core.forms import ContentPageForm
from core.hooks import CONTENT_PAGE_CONTEXT, page_context

from .mixins import (
    AudienceMixin,
    AuthorshipMixin,
    BodyMixin,
    MedicalReviewMixin,
    SharingChoiceMixin,
    SummaryMixin,
)


class ContentPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "core.ContentPage", on_delete=models.CASCADE, related_name="tagged_items"
    )
    # The item's ``ContentPage.listed_at``, copied onto its tag rows so a tag's
    # page walks ``content_tag_listed_idx`` (this tag's rows, newest first) and
    # stops after a page, for a tag on one item as for a tag on 19,000
    # (issue 17). The database keeps it (core/migrations/0007): on every insert
    # of a tag row, on every move of the item's date, and back from the item
    # when a save writes another (a revision's tag rows carry their draft's).
    listed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["tag", "listed_at", "content_object"], name="content_tag_listed_idx"
            ),
        ]


class ContentPage(
    AuthorshipMixin,
    AudienceMixin,
    SharingChoiceMixin,
    SummaryMixin,
    BodyMixin,
    MedicalReviewMixin,
    Page,
):
    tags = ClusterTaggableManager(through=ContentPageTag, blank=True)
    # Wagtail's ``first_published_at``, copied onto this table so "newest first"
    # listings walk one index (``content_listed_idx``) and stop after a page,
    # instead of joining every item of a section and sorting them (issue 17).
    # Kept by ``save`` below and, for writes that bypass it (``.update()`` of
    # the page row, as the demo's backdating does), by a database trigger on
    # ``wagtailcore_page`` (core/migrations/0005_listed_at.py).
    listed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The rating summary's score and count (ratings.models.RatingSummary), copied
    # onto this table so "Top rated" listings walk one index (``content_top_idx``:
    # score, count, then newest) and stop after a page instead of sorting every
    # item by a join (issue 17). An item nobody rated has the prior's score (3.0)
    # and no votes, exactly as the order counted it before. The database keeps
    # them, not Django: triggers on the summary table copy every write of it
    # (the rating service, the bulk seeder, ``.update()``), and a trigger on this
    # table puts the summary's values back when a save writes stale ones (a
    # revision published after a vote carries the numbers of its draft); see
    # ratings/migrations/0004_top_rated_on_the_content_table.py.
    rating_score = models.DecimalField(
        max_digits=6,
        decimal_places=4,
        default=Decimal("3.0"),
        db_default=Decimal("3.0"),
        editable=False,
    )
    rating_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    # Only the concrete types below are created; this is their shared table.
    is_creatable = False
    subpage_types = []
    base_form_class = ContentPageForm
    # Whether the "Medically reviewed" line names the reviewer (see ExpertArticlePage).
    medical_review_names_reviewer = False
    # False for items read as part of another (an answer, under its question):
    # listings across types leave them out (core.selectors.content_listing).
    listed_alone = True

    content_panels = [
        *Page.content_panels,
        *AuthorshipMixin.authorship_panels,
        *AudienceMixin.audience_panels,
        *SummaryMixin.summary_panels,
        FieldPanel("tags"),
        # A form field (core.forms.ContentPageForm) for Wagtail's ``locale``.
        FieldPanel("language"),
        *BodyMixin.body_panels,
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("author"),
        # The engine filters by audience too; the database check
        # (readable_content) stays the last word.
        index.FilterField("audience"),
        index.FilterField("community_id"),
    ]

    class Meta:
        verbose_name = gettext_lazy("content page")
        indexes = [
            # "Newest first" (core.selectors.NEWEST_ORDER), walked backwards.
            models.Index(fields=["listed_at", "page_ptr"], name="content_listed_idx"),
            # "Top rated" (ratings.selectors.TOP_RATED_ORDER), walked backwards.
            models.Index(
                fields=["rating_score", "rating_count", "listed_at", "page_ptr"],
                name="content_top_idx",
            ),
        ]
        constraints = [
            # A community audience names its community; no other audience does.
            models.CheckConstraint(
                condition=(
                    models.Q(audience="community", community__isnull=False)
                    | (~models.Q(audience="community") & models.Q(community__isnull=True))
                ),
                name="content_community_exactly_when_audience_is_community",
            ),
            models.CheckConstraint(
                condition=models.Q(audience__in=["everyone", "members", "community"]),
                name="content_audience_known",
            ),
        ]

    def save(self, *args, **kwargs):
        """Save, with ``listed_at`` following ``first_published_at`` (see the field)."""
        self.listed_at = self.first_published_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "first_published_at" in update_fields:
            kwargs["update_fields"] = {*update_fields, "listed_at"}
        return super().save(*args, **kwargs)

    def save_revision(self, *args, **kwargs):
        """Save a new revision, which nobody has medically reviewed yet.

        The review fields are copied along with everything else when an item is
        edited; left in place, an edit published straight past the workflow
        (by a superuser) would still say "Medically reviewed" about text no
        reviewer saw. The workflow stamps the revision it approves
        (``publish_reviewed``), so only that version carries a review. The
        live row is untouched here: Wagtail saves only its revision fields.
        """
        self.clear_medical_review()
        return super().save_revision(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        """The item to those in its audience; a teaser or 404 to everyone else.

        A visitor sees a members-only item's title and "Sign in to read"; a
        non-member of a listed community sees the title, the community and
        "Join to read"; an unlisted community's items do not exist for
        outsiders (404). A teaser carries no body, author or comments and
        answers 403, so nothing caches or indexes it as the item.
        """
        from django.http import Http404
        from django.template.response import TemplateResponse

        from core.selectors import ItemAccess, item_access

        access = item_access(user=request.user, page=self)
        if access is ItemAccess.HIDDEN:
            raise Http404
        if access is not ItemAccess.READ:
            return TemplateResponse(
                request,
                "core/audience_teaser.html",
                {"page": self, "self": self, "access": access.value},
                status=403,
            )
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        # Issue 17: Wagtail reads the page's ancestors and then their restrictions (two
        # queries) for every request; the routing query already says whether any lies on
        # the page or above it (core.routing.restriction_facts). With one, or with an
        # alias on the way, Wagtail's own answer.
        from core.routing import restriction_facts

        restricted, alias_above = restriction_facts(self)
        if restricted or alias_above or self.alias_of_id is not None:
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()

    def get_context(self, request, *args, **kwargs):
        # Features (ratings, the discussion) each add what their part of the
        # page needs through core.hooks.CONTENT_PAGE_CONTEXT, read through
        # their own selectors (templates hold no queries).
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context(CONTENT_PAGE_CONTEXT, page=self, request=request))
        from core.routing import is_routed
        from core.selectors import item_tags

        # Only the live page the router fetched may fill the cache: a draft (a preview,
        # however it was served) shows its own tags and keeps them out of it.
        preview = getattr(request, "is_preview", False) or not is_routed(self)
        context["page_tags"] = item_tags(page=self, preview=preview)
        return context

    @property
    def type_label(self):
        """The human name of the concrete type, e.g. "Experience story"."""
        return self.specific_class._meta.verbose_name.capitalize()

    @property
    def published_at(self):
        """When readers first saw the item."""
        return self.first_published_at
