from wagtail.admin.forms import WagtailAdminPageForm


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
