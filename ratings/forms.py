"""Parsing what the star widget posts."""

from django import forms

from .models import SCORE_CHOICES
from .services import INVALID_SCORE_MESSAGE


class RatingForm(forms.Form):
    """One score from 1 to 5, as the radio inputs send it.

    Only the exact strings "1" to "5" pass: not "4.5", " 4", "04" or digits
    from other scripts (``int("٤")`` is 4 in Python), and not a repeated field.
    """

    score = forms.TypedChoiceField(
        choices=SCORE_CHOICES,
        coerce=int,
        error_messages={"required": INVALID_SCORE_MESSAGE, "invalid_choice": INVALID_SCORE_MESSAGE},
    )

    def clean(self):
        # A QueryDict gives the last of repeated values; a list is not a score.
        if hasattr(self.data, "getlist") and len(self.data.getlist("score")) > 1:
            raise forms.ValidationError(INVALID_SCORE_MESSAGE, code="repeated")
        return super().clean()

    @property
    def message(self):
        """The first error as one sentence for the rater."""
        for errors in self.errors.values():
            return str(errors[0])
        return str(INVALID_SCORE_MESSAGE)
