import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminPageForm

# The rich text editor keys each block (<p data-block-key="x1y2z">): not the text.
BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def _rules_text(html: str | None) -> str:
    return BLOCK_KEY.sub("", html or "").strip()


WIDENING_REFUSED = gettext_lazy("Reviewers may narrow an item's audience, not widen it.")


class ContentPageForm(WagtailAdminPageForm):
    """Admin form for content pages: whoever writes a page is its author; reviewers may
    narrow its audience, never widen it.

    Only superusers see the author field (see ``AuthorshipMixin``); for
    everyone else the author is the person creating the page. Setting it on
    the instance before Wagtail saves means the row and the first revision
    agree.

    The audience is compared with the version being edited (Wagtail's edit
    form holds the newest revision): anyone but a superuser may only narrow
    it (``audience_is_narrowing``), because a wider audience is what the
    author asked reviewers to approve, not something a reviewer grants. A
    community audience needs its community, and an author who is an active
    member there (otherwise publication would be refused anyway).
    """

    # The item's language (issue 18): Wagtail's ``Page.locale``, which is not
    # editable as a model field (Wagtail sets it from the parent in translated
    # trees; Kindred keeps one tree and lets the writer say, core.languages).
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[],
        # Left out of a submission (an older form, a script), the item keeps its own.
        required=False,
        help_text=gettext_lazy("The language this item is written in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.languages import content_languages

        instance = self.instance
        self.audience_before = (instance.audience, instance.community_id) if instance.pk else None
        self.fields["language"].choices = list(content_languages().items())
        locale = instance.locale if instance.locale_id else None
        self.fields["language"].initial = locale.language_code if locale else None

    def clean(self):
        cleaned = super().clean()
        from wagtail.models import Locale

        from core.models import Audience, CommunityMembership, audience_is_narrowing

        language = cleaned.get("language")
        if language:
            # The choices are the content languages, each with its locale (core.languages).
            self.instance.locale = Locale.objects.get(language_code=language)

        audience, community = cleaned.get("audience"), cleaned.get("community")
        if audience not in Audience.values:
            # Not sent, or blank in a draft save (Wagtail defers required
            # fields for drafts): the version keeps the audience it had.
            if self.audience_before is not None:
                cleaned["audience"] = self.instance.audience
                cleaned["community"] = self.instance.community
            return cleaned
        if audience != Audience.COMMUNITY:
            cleaned["community"] = community = None
        elif community is None:
            self.add_error("community", _("Choose the community whose members may read it."))
            return cleaned
        user = self.for_user
        widening = self.audience_before is not None and not audience_is_narrowing(
            old_audience=self.audience_before[0],
            old_community_id=self.audience_before[1],
            new_audience=audience,
            new_community_id=community.pk if community else None,
        )
        if widening and not (user is not None and user.is_superuser):
            self.add_error("audience", WIDENING_REFUSED)
        author_id = self.instance.author_id
        if (
            community is not None
            and author_id is not None
            and not CommunityMembership.objects.filter(
                user_id=author_id, community=community, state=CommunityMembership.State.ACTIVE
            ).exists()
        ):
            self.add_error(
                "community",
                _("The author is not a member of “%(community)s”, so it cannot be published there.")
                % {"community": community.title},
            )
        return cleaned

    def save(self, commit=True):
        page = super().save(commit=False)
        if page.author_id is None and self.for_user is not None:
            page.author = self.for_user
        if commit:
            page.save()
        return page


class CommunityPageForm(WagtailAdminPageForm):
    """Admin form for a community: a change of its rules is a new version of them.

    Members accepted a version (``CommunityMembership.rules_version``); when
    the text changes, the version grows by one and every member is asked to
    accept again before writing or commenting there. The text is compared
    with the version being edited (the latest revision), not with what the
    editor widget reports as changed, and without the block keys the editor
    adds on its round trip, which change no word.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules_before = self.instance.rules

    def save(self, commit=True):
        page = super().save(commit=False)
        if page.pk and _rules_text(page.rules) != _rules_text(self.rules_before):
            page.rules_version = (page.rules_version or 0) + 1
        if commit:
            page.save()
        return page
