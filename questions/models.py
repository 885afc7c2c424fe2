"""Ask an expert: questions, the verified clinicians who answer them, and what follows.

A question and an answer are content pages like every other item (multi-table
children of ``ContentPage``), so the one readability rule, search, the feed,
My contributions and the review workflow all apply to them unchanged. A
question goes through editorial review only; an answer through medical review
only (``AnswerPage.get_workflow``). The rows around them (a claim, an accepted
answer, helpful marks, an expert's verification) are plain models held by
database constraints.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Workflow
from wagtail.search import index

from core.models import ContentPage, SectionIndexPage

# The workflows portal.setup creates: one editorial step for questions (the
# Questions section's), one medical step for answers (AnswerPage.get_workflow).
QUESTION_WORKFLOW_NAME = "Question review"
ANSWER_WORKFLOW_NAME = "Answer review"

# Addresses under /questions/ that are not questions (questions.urls): no question takes them
# (moderation.addresses asks the parent's ``reserved_child_slugs``).
RESERVED_SLUGS = ("ask",)

PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_pseudonym() -> str:
    """A name for an anonymous asker that says nothing about them, e.g. "Member K7Q2MX"."""
    return "Member " + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))


class QuestionPage(ContentPage):
    """A member's question for the experts, about one or more conditions.

    ``is_anonymous`` (from the shared parent) hides the asker from the public
    and other members; reviewers and the answering expert see ``pseudonym``
    (``reviewer_byline``), never the account.
    """

    conditions = ParentalManyToManyField("core.Condition", blank=True, related_name="questions")
    pseudonym = models.CharField(max_length=20, default=new_pseudonym, editable=False)

    parent_page_types = ["questions.QuestionIndexPage"]
    subpage_types = ["questions.AnswerPage"]

    content_panels = [
        *ContentPage.content_panels,
        MultiFieldPanel(
            [FieldPanel("conditions"), FieldPanel("is_anonymous")],
            heading=gettext_lazy("About this question"),
        ),
    ]
    search_fields = [
        *ContentPage.search_fields,
        index.RelatedFields("conditions", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = gettext_lazy("question")
        verbose_name_plural = gettext_lazy("questions")
        permissions = [
            ("view_waiting_questions", "Can see the questions waiting longer than promised")
        ]

    @property
    def byline(self) -> str:
        if self.is_anonymous:
            return _("Anonymous member")
        return super().byline

    @property
    def reviewer_byline(self) -> str:
        """The asker as a reviewer or an answering expert sees them: the pseudonym if anonymous."""
        return self.pseudonym if self.is_anonymous else self.byline

    @classmethod
    def asker_pseudonyms(cls, pages: models.QuerySet) -> dict[int, dict[int, str]]:
        """{question id: {account id: pseudonym}} for the anonymous questions among ``pages``.

        A question is anonymous for this if its page or its newest revision
        says so: a draft made anonymous after it was saved says so only in its
        revision until it is published. Its author and its owner (the asker in
        both roles, as ``authoring`` creates questions) are hidden.
        """
        anonymous = cls.objects.filter(pk__in=pages.values("pk")).filter(
            Q(is_anonymous=True) | Q(latest_revision__content__is_anonymous=True)
        )
        return {
            question_id: {account: pseudonym for account in (author_id, owner_id) if account}
            for question_id, author_id, owner_id, pseudonym in anonymous.values_list(
                "pk", "author_id", "owner_id", "pseudonym"
            )
        }

    def get_context(self, request, *args, **kwargs):
        """The content page's context (ratings, discussion) and the answers the reader may
        read, with what they may do (``questions.selectors.questions.question_page_view``)."""
        from questions.selectors.questions import question_page_view

        context = super().get_context(request, *args, **kwargs)
        context["qa"] = question_page_view(user=request.user, question=self, request=request)
        return context


class AnswerPage(ContentPage):
    """A verified clinician's answer to one question, published after medical review.

    Its audience is always its question's (``questions.services``), so an
    answer is read exactly where its question is. Written on the site, never
    in the admin (experts have no admin access).
    """

    is_standard_reply = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Answered with the standard reply for personal diagnosis or prescription."
        ),
    )

    parent_page_types = ["questions.QuestionPage"]
    subpage_types = []
    # An answer is read under its question: listings of items leave it out.
    listed_alone = False

    class Meta:
        verbose_name = gettext_lazy("answer")
        verbose_name_plural = gettext_lazy("answers")

    def get_workflow(self):
        """Medical review only: the question's editorial step does not apply to answers."""
        return Workflow.objects.filter(name=ANSWER_WORKFLOW_NAME, active=True).first()

    def get_context(self, request, *args, **kwargs):
        """The content page's context and ``question``, which the answer's own page (a
        preview) shows as its heading: read here, so the template makes no query."""
        context = super().get_context(request, *args, **kwargs)
        context["question"] = self.get_parent().specific
        return context

    def serve(self, request, *args, **kwargs):
        """A reader is sent to the answer in its place under the question; anyone else
        gets what the question's audience rule gives them (a teaser, or 404)."""
        from django.shortcuts import redirect

        from core.selectors import ItemAccess, item_access

        if item_access(user=request.user, page=self) is ItemAccess.READ:
            question = self.get_parent()
            return redirect(f"{question.url}#answer-{self.pk}")
        return super().serve(request, *args, **kwargs)


class QuestionIndexPage(SectionIndexPage):
    """The Questions section: every question a reader may read, with filters."""

    listing_model = QuestionPage
    subpage_types = ["questions.QuestionPage"]
    reserved_child_slugs = RESERVED_SLUGS

    class Meta:
        verbose_name = "question index"

    def get_context(self, request, *args, **kwargs):
        """The questions the reader may read, filtered as ``?status=&condition=&community=
        &sort=&page=`` say (``questions.params``); bad values fall back to the defaults."""
        from core.languages import language_options
        from questions.params import SORTS, STATUSES, QuestionListParams
        from questions.selectors.experts import is_verified_clinician
        from questions.selectors.questions import question_listing

        # SectionIndexPage's listing is replaced by the questions' own.
        context = super(SectionIndexPage, self).get_context(request, *args, **kwargs)
        params = QuestionListParams.from_query(request.GET)
        listing = question_listing(user=request.user, params=params, section=self)
        context.update(
            listing=listing,
            items=listing.items,
            params=listing.params,
            statuses=STATUSES,
            sorts=SORTS,
            # Verified clinicians find the questions waiting for them from here.
            answers_questions=is_verified_clinician(request.user),
            # The language filter (issue 18), the other filters kept, the page left out.
            language_options=language_options(
                active=listing.params.language, keep=listing.params.query(lang="")
            ),
        )
        return context


class ExpertVerification(models.Model):
    """The record that makes an expert a verified clinician, kept by the medical reviewers.

    Being in the Experts group lets a person write as an expert; this record
    says who checked their registration, and when. The badge ("Verified
    clinician", with the profession) is shown only while both hold.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_verification"
    )
    profession = models.CharField(
        max_length=100, help_text=gettext_lazy('For example "Neurologist".')
    )
    registration_body = models.CharField(
        max_length=100,
        help_text=gettext_lazy('Where they are registered, e.g. "General Medical Council".'),
    )
    registration_number = models.CharField(max_length=50)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(default=timezone.now, editable=False)
    conditions = models.ManyToManyField(
        "core.Condition",
        blank=True,
        related_name="experts",
        help_text=gettext_lazy(
            "The conditions they answer questions about (they may change these themselves)."
        ),
    )

    panels = [
        FieldPanel("user"),
        FieldPanel("profession"),
        FieldPanel("registration_body"),
        FieldPanel("registration_number"),
        FieldPanel("conditions"),
    ]

    class Meta:
        verbose_name = "expert verification"
        constraints = [
            models.UniqueConstraint(
                fields=["registration_body", "registration_number"],
                name="expert_registration_once",
                violation_error_message=gettext_lazy(
                    "Another expert is verified with this registration."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.profession})"


class QuestionClaim(models.Model):
    """An expert's claim on a question, so two experts do not write the same answer.

    One row per question at most (unique): a claim past ``expires_at`` has
    lapsed and the next expert takes the row over (``questions.services``,
    under a row lock). Renewing moves ``expires_at``.
    """

    question = models.OneToOneField(QuestionPage, on_delete=models.CASCADE, related_name="claim")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_claims"
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("claimed_at")),
                name="claim_expires_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} on “{self.question.title}” until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active(self, now=None) -> bool:
        return self.expires_at > (now or timezone.now())


class AcceptedAnswer(models.Model):
    """The one answer the asker (or a moderator of the question's community) accepted.

    One per question (the question is the key); an answer is accepted for at
    most one question (unique). The acceptance is also in the question's
    history (Wagtail's log).
    """

    question = models.OneToOneField(QuestionPage, on_delete=models.CASCADE, related_name="accepted")
    answer = models.OneToOneField(AnswerPage, on_delete=models.CASCADE, related_name="acceptance")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Accepted answer to “{self.question.title}”"


class HelpfulMark(models.Model):
    """A member's "this helped" on an answer: once each, held by the database."""

    answer = models.ForeignKey(AnswerPage, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "user"], name="helpful_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} found answer {self.answer_id} helpful"


class StandardReply(models.Model):
    """A reply an editor maintains for questions that ask for a personal diagnosis or
    prescription: "we cannot assess you here; this is who can". An expert may
    answer with one; the answer still passes medical review."""

    name = models.CharField(max_length=100, unique=True)
    text = models.TextField(
        max_length=4000,
        help_text=gettext_lazy("Markdown, as members write it. Shown as the answer's text."),
    )

    panels = [FieldPanel("name"), FieldPanel("text")]

    class Meta:
        verbose_name = gettext_lazy("standard reply")
        verbose_name_plural = gettext_lazy("standard replies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


DEFAULT_ANSWER_DAYS = 5


@register_setting(icon="help")
class QuestionSettings(BaseSiteSetting):
    """The service level the organisation promises askers."""

    answer_within_days = models.PositiveSmallIntegerField(
        gettext_lazy("Days a question may wait for an answer"),
        default=DEFAULT_ANSWER_DAYS,
        help_text=gettext_lazy(
            "Askers are told this when asking; Editors see questions waiting longer."
        ),
    )

    panels = [FieldPanel("answer_within_days")]

    class Meta:
        verbose_name = gettext_lazy("question settings")
