"""What bumps what: every model's saves and deletions, unless it never shows on a public page.

Generic on purpose: a model added later bumps ``all`` by default, so forgetting
it here costs renders, never a stale page. Connected per model in
``PagecacheConfig.ready`` (not to every sender at once): a model on
``IGNORED`` keeps Django's fast bulk deletion, which any ``post_delete``
receiver for it would switch off.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from .tags import ALL, LISTINGS, invalidate, page_tag

# Rows that no public page shows: logs, sessions, queues, records of access
# and consent, caches, workflow bookkeeping, private safety and compliance
# records, search's query log, the share log. Their writes bump nothing.
IGNORED = frozenset(
    {
        # Sessions and sign-in bookkeeping.
        "sessions.Session",
        "usersessions.UserSession",
        "account.EmailAddress",
        "account.EmailConfirmation",
        "accounts.Consent",
        "accounts.ConsentEvent",
        "core.SubmissionReceipt",
        # Outbox, worker, tasks, notifications.
        "core.OutboundEmail",
        "core.WorkerHeartbeat",
        "django_tasks_database.DBTaskResult",
        "social.Notification",
        "social.NotificationPreference",
        # Logs and records.
        "wagtailcore.ModelLogEntry",
        "wagtailcore.PageLogEntry",
        "wagtailcore.PageSubscription",
        "audit.AccessRecord",
        "compliance.DataExport",
        "compliance.ErasureRequest",
        "safety.SafetyCase",
        "safety.CaseNote",
        "discussion.CommentReport",
        "discussion.ThreadMute",
        "django_comments.CommentFlag",
        "sharing.ShareCount",
        "ratings.RaterBrowser",
        # Follows, blocks and mutes: they change only what a signed-in member sees
        # (the follow buttons, their feed, who shows to whom), never a stored page:
        # visitors see no follow button, follower count or follower list on one.
        "social.MemberFollow",
        "social.TopicFollow",
        "social.MemberBlock",
        "social.MemberMute",
        # Search's query log and index (the index follows page saves, which bump).
        "kindred_search.ZeroResultQueryDay",
        "wagtailsearchpromotions.Query",
        "wagtailsearchpromotions.QueryDailyHits",
        "wagtailsearch.IndexEntry",
        "wagtailsearch.SQLiteFTSIndexEntry",
        "wagtailcore.ReferenceIndex",
        # Drafts and the review workflow: nothing public until a publish (which bumps).
        "wagtailcore.Revision",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
        "wagtailcore.Comment",
        "wagtailcore.CommentReply",
        "wagtailcore.UploadedFile",
        "wagtailadmin.Admin",
        "wagtailadmin.EditingSession",
        "wagtailadmin.FormState",
        # Made while a page renders (an image's size); the image itself bumps.
        "wagtailimages.Rendition",
    }
)

# Rows that show on one item's page and on listings' cards (counts, stars), and
# where to find that item's id on the row.
PAGE_SCOPED = {
    "discussion.PageComment": "object_pk",
    "django_comments_xtd.XtdComment": "object_pk",
    "django_comments.Comment": "object_pk",
    "ratings.Rating": "page_id",
    "ratings.RatingSummary": "page_id",
}

# Saves that touch only these fields change nothing a visitor sees.
QUIET_FIELDS = {
    "accounts.User": frozenset({"last_login", "password"}),
}
# A page's draft bookkeeping (save_revision, locks); publishing saves more fields.
PAGE_DRAFT_FIELDS = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
        "wagtail_admin_comments",
    }
)


def _is_page(model) -> bool:
    from wagtail.models import Page

    return issubclass(model, Page)


def tags_for(model, instance) -> set[str]:
    """The tags a write of ``instance`` (a ``model``) bumps; empty for a quiet one."""
    label = model._meta.label
    if label in IGNORED:
        return set()
    field = PAGE_SCOPED.get(label)
    if field is not None:
        try:
            return {page_tag(int(getattr(instance, field))), LISTINGS}
        except (TypeError, ValueError):
            return {ALL}
    return {ALL}


# Rows that belong to one page and show only where that page does: while the page
# is not live they are on no public page (publishing it bumps; unpublishing too).
PAGE_ROWS = {"core.ContentPageTag": "content_object"}


def _on_no_live_page(sender, instance) -> bool:
    """Whether ``instance`` is a row of a page that is not live (a draft's tags)."""
    field_name = PAGE_ROWS.get(sender._meta.label)
    if field_name is None:
        return False
    field = sender._meta.get_field(field_name)
    if field.is_cached(instance):
        # The page being saved with its rows (modelcluster): its own ``live`` flag.
        page = getattr(instance, field_name)
        return page is not None and not page.live
    page_id = getattr(instance, field.attname)
    return not field.related_model.objects.filter(pk=page_id, live=True).exists()


def _saved(sender, instance, update_fields=None, created=False, **kwargs):
    # A page created as a draft is on no public page (its publish bumps; an
    # unpublish sends its own signal). Writers saving drafts all day would
    # otherwise empty every visitor's cache (the load test saw it).
    if created and _is_page(sender) and not instance.live:
        return
    if update_fields:
        quiet = QUIET_FIELDS.get(sender._meta.label)
        if quiet is None and _is_page(sender):
            quiet = PAGE_DRAFT_FIELDS
        if quiet is not None and set(update_fields) <= quiet:
            return
    if _on_no_live_page(sender, instance):
        return
    invalidate(*tags_for(sender, instance))


def _deleted(sender, instance, **kwargs):
    if _on_no_live_page(sender, instance):
        return
    invalidate(*tags_for(sender, instance))


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_") and sender._meta.label not in IGNORED:
        invalidate(ALL)


def _page_changed(sender=None, **kwargs):
    invalidate(ALL)


def connect() -> None:
    """Connect the receivers (PagecacheConfig.ready); each once, whatever calls it."""
    for model in apps.get_models():
        label = model._meta.label
        if label in IGNORED:
            continue
        post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache.save.{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"pagecache.delete.{label}")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache.m2m")
    page_published.connect(_page_changed, dispatch_uid="pagecache.published")
    page_unpublished.connect(_page_changed, dispatch_uid="pagecache.unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="pagecache.moved")
