"""What a staff member's admin may list or name (least privilege, issue 10 finding 2).

Members' drafts, rejected items and unsubmitted new versions belong to their
author until they are sent for review. In the Wagtail admin a non-superuser
sees a page only when one of these holds (``admin_visible_pages``):

- it is live, has no unpublished changes and is for everyone (everything it
  shows is public: not a members-only or community item, not an unlisted community);
- it waits for this user's own review decision (their review queue);
- they may edit it by their group's page permissions and it is not a member
  item, or they saved its newest version themselves.

One rule serves every surface: the page permission policy Wagtail's explorer,
page search, admin API and site history ask (``VisiblePagePermissionPolicy``),
the page chooser (a hook in ``moderation.wagtail_hooks``), and the views addressed by
a page id, which this module's middleware answers with the admin's "not found"
when the page is not visible, exactly as for a page that does not exist. Page
bulk actions and Wagtail's page reports are for superusers only; the tag
autocomplete offers non-superusers only tags on live pages.

An account may go by a pseudonym in front of restricted staff (an anonymous
asker, ``questions``): for the views addressed by a page id the middleware asks
``moderation.selectors.reviewer_pseudonyms`` which accounts the page or the
pages above it hide, and names them so (``core.pseudonyms``) until the
response is written. The page listings offer no filter by owner or editor
to them (``moderation.admin_pages``).

Superusers see everything, as Wagtail shows it.
"""

import re

from django.apps import apps
from django.db.models import Exists, IntegerField, OuterRef, Q
from django.db.models.functions import Cast
from django.http import Http404, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found

from taggit.models import Tag
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import page_permission_policy

from core import pseudonyms
from core.models import Audience, CommunityPage, ContentPage
from core.models.content import ContentPageTag

ADMIN_ACCESS = "wagtailadmin.access_admin"

# Control characters (NUL included) begin no tag.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# Longest tag Wagtail stores (taggit's ``Tag.name``): a longer term matches nothing.
TAG_TERM_MAX_LENGTH = 100

# Views addressed by a page id: the id's keyword in their URL.
# ``pk``: the revisions comparison names its page so.
PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "pk")
PAGE_ID_URL_NAMES = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
}
TAG_AUTOCOMPLETE_URL_NAMES = {
    "wagtailadmin_tag_autocomplete",
    "wagtailadmin_tag_model_autocomplete",
}
# Wagtail's own reports list pages of every status (latest draft titles
# included): superusers only. Kindred's search reports live elsewhere.
PAGE_REPORTS_NAMESPACE = "wagtailadmin_reports"
PAGE_REPORT_MENU_NAMES = {
    "locked-pages",
    "workflows",
    "workflow-tasks",
    "site-history",
    "aging-pages",
    "page-types-usage",
}


def is_restricted(user):
    """Whether ``user`` is staff whose admin is limited here (not a superuser)."""
    return user.is_authenticated and user.is_active and not user.is_superuser


def _review_queue_page_ids(user):
    # Imported here: moderation imports the page models this module's
    # importers (wagtail_hooks) load first.
    from moderation.selectors import review_queue

    return (
        review_queue(user=user)
        .annotate(page_pk=Cast("workflow_state__object_id", output_field=IntegerField()))
        .values("page_pk")
    )


def admin_visible_pages(*, user):
    """The pages ``user`` may see listed or named in the admin, as a queryset.

    All pages for superusers; otherwise see the module docstring.
    """
    pages = Page.objects.all()
    if not is_restricted(user):
        return pages
    editable = page_permission_policy.instances_user_has_any_permission_for(
        user, {"change", "publish"}
    )
    member_item = Q(pk__in=ContentPage.objects.values("pk"))
    # Issue 12: live is not public any more. A live item for members or for
    # one community, and an unlisted community, show only to those whose work
    # needs them (the review queue; the managers' own community pages).
    not_for_everyone = Q(
        pk__in=ContentPage.objects.exclude(audience=Audience.EVERYONE).values("pk")
    ) | Q(pk__in=CommunityPage.objects.filter(is_listed=False).values("pk"))
    return pages.filter(
        (Q(live=True, has_unpublished_changes=False) & ~not_for_everyone)
        | Q(pk__in=_review_queue_page_ids(user))
        | (Q(pk__in=editable.values("pk")) & (~member_item | Q(latest_revision__user=user)))
    )


def is_admin_visible(*, user, page_id):
    """Whether ``user`` may see page ``page_id`` in the admin (``admin_visible_pages``)."""
    return admin_visible_pages(user=user).filter(pk=page_id).exists()


class VisiblePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with "explorable" pages limited to ``admin_visible_pages``.

    Wagtail's explorer listing, page search, admin API and site-history report
    all list what ``explorable_instances`` returns.
    """

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        if not is_restricted(user):
            return pages
        return pages.filter(pk__in=admin_visible_pages(user=user).values("pk"))


def admin_not_found(request):
    """The admin's own "not found" page, as Wagtail answers for a missing page id."""
    response = page_not_found(request, Http404(), template_name="wagtailadmin/404.html")
    add_never_cache_headers(response)
    return response


def _plausible_tag_term(request):
    """Whether the autocomplete's ``term`` could begin a tag: short, no control characters."""
    term = request.GET.get("term", "")
    return len(term) <= TAG_TERM_MAX_LENGTH and not CONTROL_CHARACTERS.search(term)


def live_tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete, offering only tags on live pages.

    Tags on drafts exist in the database only while the page is unpublished:
    they must not be suggested to staff who may not read the draft.
    Two queries at most, whatever the number of tags or pages.
    """
    if (app_name or model_name) and (app_name, model_name) != ("taggit", "tag"):
        return admin_not_found(request)
    term = request.GET.get("term", "").strip()
    if not term or not _plausible_tag_term(request):
        return JsonResponse([], safe=False)
    # On a live item for everyone: a community's tags are its members' (issue 12).
    on_live_page = ContentPageTag.objects.filter(
        tag=OuterRef("pk"), content_object__live=True, content_object__audience=Audience.EVERYONE
    )
    names = (
        Tag.objects.filter(Exists(on_live_page), name__istartswith=term)
        .order_by("name")
        .values_list("name", flat=True)[:TAGS_AUTOCOMPLETE_LIMIT]
    )
    return JsonResponse(list(names), safe=False)


def _is_page_model(app_label, model_name):
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return False
    return issubclass(model, Page)


def _page_ids(match):
    if match.url_name in PAGE_ID_URL_NAMES or "wagtailadmin_pages" in match.namespaces:
        return [match.kwargs[name] for name in PAGE_ID_KWARGS if name in match.kwargs]
    return []


class AdminLeastPrivilegeMiddleware:
    """Answers admin requests a restricted staff member's work does not need.

    Runs before the view (``process_view``) for signed-in staff with admin
    access only: everyone else meets Wagtail's own admin-access check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The pseudonyms ``process_view`` sets end with this response.
        with pseudonyms.scope():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        # Cheap tests first: most requests are not for these admin views.
        if match is None or not _is_guarded(match, view_kwargs):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.has_perm(ADMIN_ACCESS):
            return None
        # A term no tag can start with (a NUL byte, which PostgreSQL refuses
        # outright) is answered here for superusers too.
        if match.url_name in TAG_AUTOCOMPLETE_URL_NAMES and (
            is_restricted(user) or not _plausible_tag_term(request)
        ):
            response = live_tag_autocomplete(request, **view_kwargs)
            add_never_cache_headers(response)
            return response
        if not is_restricted(user):
            return None
        if PAGE_REPORTS_NAMESPACE in match.namespaces or match.url_name == "wagtail_bulk_action":
            # Bulk actions on pages: only superusers act on pages in bulk; to
            # anyone else every id is missing, so a refusal names no page.
            return admin_not_found(request)
        page_ids = _page_ids(match)
        for page_id in page_ids:
            if not is_admin_visible(user=user, page_id=page_id):
                return admin_not_found(request)
        if page_ids:
            pseudonyms.show_as(_pseudonyms_about(page_ids))
        return None


def _pseudonyms_about(page_ids) -> dict[int, str]:
    """{account id: pseudonym} for the accounts hidden on these pages or any page above them,
    so that an answer's pages hide its question's anonymous asker too."""
    from moderation.selectors import reviewer_pseudonyms

    paths = Page.objects.filter(pk__in=page_ids).values_list("path", flat=True)
    steplen = Page.steplen
    above = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    names = {}
    for accounts in reviewer_pseudonyms(pages=Page.objects.filter(path__in=above)).values():
        names.update(accounts)
    return names


def _is_guarded(match, view_kwargs):
    """Whether the middleware has anything to say about this URL (no query)."""
    return (
        match.url_name in TAG_AUTOCOMPLETE_URL_NAMES
        or PAGE_REPORTS_NAMESPACE in match.namespaces
        or (
            match.url_name == "wagtail_bulk_action"
            and _is_page_model(view_kwargs.get("app_label"), view_kwargs.get("model_name"))
        )
        or bool(_page_ids(match))
    )
