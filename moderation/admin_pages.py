"""Wagtail's page listings as restricted staff see them: no filter by owner or editor.

The explorer and the per-type page listing offer filters by "Owner" and
"Edited by", whose choices are every account that owns or ever edited any page
on the site, members with nothing but drafts among them. Ticking one lists
that member's pages across the whole tree, which would tie an anonymous
question to the account that asked it. A restricted staff member
(``moderation.admin_privacy.is_restricted``) gets neither filter and no such
list; the other filters are Wagtail's. Superusers keep both.

Kindred's viewset takes the place of Wagtail's default page viewset (it is
registered after it, for the same base ``Page`` model); every other view is
Wagtail's.
"""

from wagtail.admin.views.pages import listing
from wagtail.admin.viewsets.pages import PageViewSet

from moderation.admin_privacy import is_restricted

# The filters whose choices name accounts.
ACCOUNT_FILTERS = ("owner", "edited_by")


class PageFilterSet(listing.GenericPageFilterSet):
    """Wagtail's page filters, without those that name accounts for a restricted staff member."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and is_restricted(request.user):
            for name in ACCOUNT_FILTERS:
                self.filters.pop(name, None)


class KindredPageViewSet(PageViewSet):
    """Wagtail's default page viewset; its listings (the explorer, the per-type
    listing) filter with ``PageFilterSet``."""

    filterset_class = PageFilterSet
