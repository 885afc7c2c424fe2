"""One-time submission tokens (issue 10, finding 13: a double click created two items).

Every form that creates something carries a token made when the form was
shown. The first submission with a token records a receipt, in the same
transaction as what it creates; a repeat (a double click, a resent request,
two requests at once) finds the receipt and is answered with what the first
one made. The unique constraint is what makes concurrent repeats safe.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class SubmissionReceipt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    # What was submitted (a hash of the form's fields): the same form posted
    # again with other words is a new submission, not a repeat.
    fingerprint = models.CharField(max_length=64)
    # What the first submission created; empty until it has.
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "token", "fingerprint"], name="submission_receipt_once"
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="submission_receipt_created")]

    def __str__(self):
        return f"Submission {self.token} by user {self.user_id}"

    @property
    def created_object(self):
        """What the first submission created, or None (nothing yet, or since deleted)."""
        if self.content_type_id is None or self.object_id is None:
            return None
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None
