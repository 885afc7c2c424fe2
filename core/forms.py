import re

from wagtail.admin.forms import WagtailAdminPageForm

# The rich text editor keys each block (<p data-block-key="x1y2z">): not the text.
BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def _rules_text(html: str | None) -> str:
    return BLOCK_KEY.sub("", html or "").strip()


class ContentPageForm(WagtailAdminPageForm):
    """Admin form for content pages: whoever writes a page is its author.

    Only superusers see the author field (see ``AuthorshipMixin``); for
    everyone else the author is the person creating the page. Setting it on
    the instance before Wagtail saves means the row and the first revision
    agree.
    """

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
