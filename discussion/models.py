"""Comments on content pages, the reports readers make about them, and muted threads.

Threading (``thread_id``, ``parent_id``, ``level``, ``order``) and the
``is_public``/``is_removed`` flags come from django-comments-xtd's
``XtdComment``; ``PageComment`` adds what Kindred's moderation needs. The
states a comment can be in:

=====================  =========  ==========  ===================
state                  is_public  is_removed  awaiting_moderation
=====================  =========  ==========  ===================
visible                True       False       False
awaiting moderation    False      False       True
hidden by an Editor    False      False       False
removed by an Editor   any        True        False
=====================  =========  ==========  ===================

Only visible comments are shown to readers; the author also sees their own
comment awaiting moderation. A hidden or removed comment that has visible
replies is shown as a placeholder, without its text or its author.

xtd connects a ``pre_save`` receiver to ``XtdComment`` that hides or shows
every reply when a comment's flags change (so removing a parent would hide
its replies, and approving one would publish replies still held). Signals go
to the class being saved, so saving a ``PageComment`` never triggers it, and
``discussion.services`` changes flags with ``update()`` anyway.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from django_comments_xtd.models import XtdComment

COMMENT_MAX_LENGTH = 3000
REPORT_TEXT_MAX_LENGTH = 500


class PageComment(XtdComment):
    """A member's comment on a ``core.ContentPage`` (``object_pk`` is the page id as text).

    ``user_email`` is always blank and ``ip_address`` always null: Kindred
    never stores them. ``user_name`` keeps the display name at posting time
    (xtd expects one) but what readers see is the author's current display
    name.
    """

    # Without a related_name the reverse accessor would be
    # ``XtdComment.pagecomment``; spelled out so it reads as intended.
    xtdcomment_ptr = models.OneToOneField(
        XtdComment,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="page_comment",
    )
    awaiting_moderation = models.BooleanField(
        default=False,
        help_text=gettext_lazy("Held until an Editor approves it (a member's first comments)."),
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("comment")
        permissions = [("moderate_comments", "Can moderate comments on content pages")]
        indexes = [
            models.Index(
                fields=["awaiting_moderation"],
                condition=Q(awaiting_moderation=True),
                name="discussion_awaiting_idx",
            )
        ]

    def __str__(self):
        # Wagtail's audit log stores this as the label: never the text or a name.
        return f"Comment #{self.pk} on page {self.object_pk}"

    @property
    def userinfo(self):
        """What django-contrib-comments shows of the poster: the public name only.

        The original reads the email and the private first and last names.
        """
        return {"name": self.author_name, "email": "", "url": ""}

    @property
    def author_name(self):
        """The author's current display name; nothing personal survives a deleted account."""
        if self.user_id is None:
            return _("Former member")
        return self.user.public_name

    @property
    def is_visible(self):
        return self.is_public and not self.is_removed

    @property
    def is_hidden(self):
        return not self.is_public and not self.is_removed and not self.awaiting_moderation

    @property
    def page_id(self):
        """The id of the content page this comment is about, or ``None``."""
        return int(self.object_pk) if self.object_pk.isdigit() else None


class ReportReason(models.TextChoices):
    SPAM = "spam", gettext_lazy("Spam or advertising")
    ABUSIVE = "abusive", gettext_lazy("Abusive or harassing")
    PRIVATE_INFORMATION = "private", gettext_lazy("Shares someone's private information")
    MISINFORMATION = "misinformation", gettext_lazy("Medical misinformation")
    OTHER = "other", gettext_lazy("Something else")


class CommentReport(models.Model):
    """A member's report that a comment breaks the guidelines.

    Only Editors see who reported (in the moderation queue); nothing about a
    report is shown on the site or in the API. A report is resolved when an
    Editor decides about the comment.
    """

    Reason = ReportReason

    comment = models.ForeignKey(PageComment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    text = models.CharField(max_length=REPORT_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="discussion_one_report_per_member"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values),
                name="discussion_report_reason_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["comment"],
                condition=Q(resolved_at__isnull=True),
                name="discussion_open_report_idx",
            )
        ]

    def __str__(self):
        return f"Report #{self.pk} on comment #{self.comment_id}"


class ThreadMute(models.Model):
    """``user`` wants no more emails about replies in the thread started by ``thread``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_threads"
    )
    thread = models.ForeignKey(PageComment, on_delete=models.CASCADE, related_name="mutes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"], name="discussion_one_mute_per_thread"
            )
        ]

    def __str__(self):
        return f"Mute of thread #{self.thread_id} by {self.user_id}"
