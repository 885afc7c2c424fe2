"""Per-site choices a community manager makes in the Wagtail admin (Settings menu)."""

from django.db import models
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="group")
class CommunitySettings(BaseSiteSetting):
    """How open this community is to people who have not signed in."""

    allow_anonymous_ratings = models.BooleanField(
        gettext_lazy("Accept ratings from visitors who are not signed in"),
        default=False,
        help_text=gettext_lazy(
            "Off: visitors are invited to sign in to rate (one account, one vote). "
            "On: visitors may also rate without an account, once per browser (remembered "
            "by a signed cookie, so clearing cookies allows another vote), at most 20 new "
            "visitor ratings per item an hour and 10 attempts per address; a browser a "
            "member signed in with rates only signed in. Their ratings count in the same "
            "average."
        ),
    )

    panels = [FieldPanel("allow_anonymous_ratings")]

    class Meta:
        verbose_name = gettext_lazy("community settings")
