"""The member's items: pages, every revision, workflow states, tags left behind.

Removed items are deleted with Wagtail's own ``Page.delete`` (their revisions,
workflow states and search documents go with them: Wagtail's signal handlers
clear the database index, Kindred's ``search.signals`` the engine's). A kept
item keeps only its live revision, scrubbed of its author; the page is saved
again so both indexes hold the version without the member.
"""

from django.contrib.contenttypes.models import ContentType

from taggit.models import Tag
from wagtail.models import Page, Revision, WorkflowState, get_page_models

from core.models import ContentPage, ContentPageTag
from discussion.models import PageComment

from . import Erasure


def _page_content_type_ids() -> list[int]:
    return [ct.pk for ct in ContentType.objects.get_for_models(*get_page_models()).values()]


def _revisions_of(page_id: int):
    return Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page_id)
    )


def _remember_titles(erasure: Erasure, page: ContentPage) -> None:
    """Every title a removed item ever had, for the scrubbing elsewhere."""
    erasure.needle(page.title, title=True)
    erasure.needle(page.draft_title, title=True)
    for content in _revisions_of(page.pk).values_list("content", flat=True):
        if isinstance(content, dict):
            erasure.needle(content.get("title"), title=True)


def _is_kept(erasure: Erasure, page: ContentPage) -> bool:
    """Only a published item is ever kept, and only if the member chose so."""
    return erasure.keep_published and page.live and page.live_revision_id is not None


def _keep_anonymously(erasure: Erasure, page: ContentPage) -> None:
    """The live version stays without its author; every other revision and review goes."""
    specific = page.specific
    live_revision = specific.live_revision
    # Reviews of later drafts: their comments are about text that is going.
    WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)
    ).delete()
    specific.author = None
    specific.owner = None
    specific.latest_revision = live_revision
    specific.has_unpublished_changes = False
    specific.draft_title = specific.title
    specific.locked, specific.locked_by, specific.locked_at = False, None, None
    # save() rather than update(): both search indexes are told of the change.
    specific.save(
        update_fields=[
            "author",
            "owner",
            "latest_revision",
            "has_unpublished_changes",
            "draft_title",
            "locked",
            "locked_by",
            "locked_at",
        ],
        clean=False,
    )
    others = _revisions_of(page.pk).exclude(pk=live_revision.pk)
    erasure.add("revisions_deleted", others.count())
    others.delete()
    content = dict(live_revision.content or {})
    content.update({"author": None, "owner": None, "locked_by": None, "comments": []})
    Revision.objects.filter(pk=live_revision.pk).update(content=content)
    erasure.kept_page_ids.add(page.pk)
    erasure.add("items_kept_anonymously", 1)


def pages_erase(erasure: Erasure) -> None:
    """Remove the member's items, or keep the published ones without their name (their choice)."""
    pages = list(ContentPage.objects.filter(author=erasure.user).order_by("-depth", "pk"))
    for page in pages:
        if not _is_kept(erasure, page):
            _remember_titles(erasure, page)
    for page in pages:
        if _is_kept(erasure, page):
            _keep_anonymously(erasure, page)
            continue
        # A removed question takes the answers beneath it (answers to the member's words).
        descendant_ids = list(
            Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
        )
        erasure.add("revisions_deleted", sum(_revisions_of(pk).count() for pk in descendant_ids))
        tag_ids = list(page.tags.values_list("pk", flat=True))
        page.specific.delete()
        erasure.removed_page_ids.update(descendant_ids)
        erasure.add("items_removed", 1)
        _orphan_tags_delete(erasure, tag_ids)
    # Pages the member only owns in Wagtail's sense (made in the admin as staff) stay
    # the site's; they just stop naming the account's owner.
    erasure.add(
        "pages_unowned",
        Page.objects.filter(owner=erasure.user).update(owner=None),
    )
    erasure.add(
        "pages_unlocked",
        Page.objects.filter(locked_by=erasure.user).update(locked=False, locked_by=None),
    )
    _comments_on_removed_pages_delete(erasure)


def _orphan_tags_delete(erasure: Erasure, tag_ids: list[int]) -> None:
    """A tag only the removed item used names what the member wrote: it goes too."""
    if not tag_ids:
        return
    orphans = Tag.objects.filter(pk__in=tag_ids).exclude(
        pk__in=ContentPageTag.objects.values("tag_id")
    )
    for tag in orphans:
        erasure.needle(tag.name, title=True)
    erasure.add("tags_removed", orphans.delete()[1].get("taggit.Tag", 0))


def _comments_on_removed_pages_delete(erasure: Erasure) -> None:
    """Comments (anyone's) on an item that is gone: nothing shows them, they hold its context."""
    if not erasure.removed_page_ids:
        return
    comments = PageComment.objects.filter(
        content_type_id__in=_page_content_type_ids(),
        object_pk__in=[str(pk) for pk in erasure.removed_page_ids],
    )
    ids = list(comments.values_list("pk", flat=True))
    erasure.removed_comment_ids.update(ids)
    erasure.add("comments_on_removed_items", len(ids))
    comments.delete()
