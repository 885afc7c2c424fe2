"""Shared fragments: what every page shows the same way for everyone, kept in the cache.

A fragment (the header's sections and the footer, a feature's site-wide policy)
is stored under a key that carries a *version*; a change that could alter it
writes a new version (``bump``), so the next request reads it afresh. No key is
ever walked or deleted, and the cache may be shared by many processes (Redis):
the version lives in the same cache. The receivers that bump are connected in
``core.apps.ready`` (the core's own fragments) and in each feature's ``ready``.

Bumps are generous (any page but an item or a community saved, deleted, moved,
published or unpublished forgets the navigation): such writes are rare next to
reads, and a fragment read afresh is never wrong.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import BaseCache

from core import versions

# The cache alias for what can be recomputed at the cost of a render: fragments,
# remembered routes (core.routing) and visitors' stored pages (pagecache). It is
# kept apart from "default", whose throttle counters must never be evicted to make
# room (portal/settings/base.py, CACHES).
CACHE_ALIAS = versions.CACHE_ALIAS
PREFIX = "kindred:fragment:"
TIMEOUT = 24 * 60 * 60
NAVIGATION = "navigation"
TAGS = "tags"


def store() -> BaseCache:
    """The cache that fragments, routes and stored pages live in (``CACHE_ALIAS``)."""
    return versions.store()


def _version_key(name: str) -> str:
    return f"{PREFIX}version:{name}"


def bump(*names: str) -> None:
    """Give each fragment in ``names`` a new version (``core.versions.bump``).

    Inside a transaction the new version is this thread's own until the commit
    publishes a fresh one, so a fragment computed from rows that then roll back
    is never read by anyone (issue 17, item 10).
    """
    versions.bump(*(_version_key(name) for name in names))


def cached(name: str, part: str, compute: Callable[[], Any], *, also: tuple = ()) -> Any:
    """``compute()``'s value for ``part`` of fragment ``name``, from the cache when current.

    ``also`` names more versions the value depends on (a bump of any of them misses).
    """
    keys = [_version_key(each) for each in (name, *also)]
    found = versions.ensure(keys)
    key = f"{PREFIX}{name}:{':'.join(found[each] or '' for each in keys)}:{part}"
    value = store().get(key)
    if value is None:
        value = compute()
        store().set(key, value, timeout=TIMEOUT)
    return value


def bumper(*names: str) -> Callable[..., None]:
    """A signal receiver that bumps ``names`` whatever it is sent."""

    def receiver(**kwargs) -> None:
        bump(*names)

    receiver.__name__ = f"bump_{'_'.join(names)}"
    return receiver


_navigation_changed = bumper(NAVIGATION)
_tags_changed = bumper(TAGS)


def page_tags_name(page_id: int) -> str:
    """The fragment version of one item's tags (its tagging rows changed)."""
    return f"{TAGS}:page:{int(page_id)}"


def _page_tagging_changed(sender, instance=None, **kwargs) -> None:
    page_id = getattr(instance, "content_object_id", None)
    if page_id is not None:
        bump(page_tags_name(page_id))


def _page_changed(sender, instance=None, **kwargs) -> None:
    """Bump the navigation for a page that can be in it or above what is.

    Items (content pages, under a section) and communities (under the
    directory) are never in the header or the footer, nor above a page that
    is, whatever happens to them; every other page (home, sections, the site's
    information pages at any depth) may be.
    """
    from wagtail.models import Page

    from core.models import CommunityPage, ContentPage

    if isinstance(instance, Page) and not isinstance(instance, (ContentPage, CommunityPage)):
        bump(NAVIGATION)


PERMISSIONS = "permissions"
# What Django's ModelBackend keeps on a user for the length of a request.
_PERMISSION_ATTRS = ("_user_perm_cache", "_group_perm_cache")


def hydrate_permissions(user) -> None:
    """Give the signed-in ``user`` their permission sets from the cache (issue 17).

    Django's ModelBackend reads a person's own and their groups' permissions in
    two queries on each request that asks (Wagtail's user bar, the review-queue
    link); they are kept here under the ``permissions`` version, which every
    change of a group, a permission or someone's groups bumps (``connect``), so
    a withdrawn right is gone on the next request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_superuser:
        return
    if any(hasattr(user, attr) for attr in (*_PERMISSION_ATTRS, "_perm_cache")):
        return

    def compute():
        from django.contrib.auth.backends import ModelBackend

        backend = ModelBackend()
        return (
            frozenset(backend.get_user_permissions(user)),
            frozenset(backend.get_group_permissions(user)),
        )

    own, groups = cached(
        PERMISSIONS, f"user:{user.pk}", compute, also=(user_permissions_name(user.pk),)
    )
    user._user_perm_cache = set(own)
    user._group_perm_cache = set(groups)
    user._perm_cache = set(own) | set(groups)


_permissions_changed = bumper(PERMISSIONS)


def user_permissions_name(user_id: int) -> str:
    """The fragment version of one person's permission sets."""
    return f"{PERMISSIONS}:user:{int(user_id)}"


def _someones_permissions_changed(sender, instance=None, model=None, pk_set=None, **kw) -> None:
    """Someone's groups or own permissions changed: theirs alone are forgotten.

    From the person's side (``user.groups.add``) ``instance`` is the person;
    from the group's (``group.user_set.add``) the people are ``pk_set``; a row
    of the link table written directly names its ``user_id``; a ``clear()``
    from the group's side names nobody, so everyone's are forgotten.
    """
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if isinstance(instance, user_model):
        ids = [instance.pk]
    elif getattr(instance, "user_id", None) is not None:
        ids = [instance.user_id]
    elif model is user_model and pk_set:
        ids = list(pk_set)
    else:
        bump(PERMISSIONS)
        return
    bump(*(user_permissions_name(pk) for pk in ids))


def connect() -> None:
    """Connect the core's bumps: the navigation and tags change with pages, restrictions,
    sites and tags (``core.apps.ready``)."""
    from django.db.models.signals import post_delete, post_save

    from taggit.models import Tag
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from core.models import ContentPageTag
    from core.routing import forget_routes

    post_save.connect(_page_changed, dispatch_uid="kindred_fragments_page_saved")
    post_delete.connect(_page_changed, dispatch_uid="kindred_fragments_page_deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"kindred_fragments_nav_{id(signal)}")
    for model in (PageViewRestriction, Site):
        post_save.connect(_navigation_changed, sender=model, dispatch_uid=f"kindred_nav_{model}")
        post_delete.connect(_navigation_changed, sender=model, dispatch_uid=f"kindred_nav_d{model}")
    # A tag renamed or deleted: every item's tags; an item's tagging: that item's.
    post_save.connect(_tags_changed, sender=Tag, dispatch_uid="kindred_tags_tag")
    post_delete.connect(_tags_changed, sender=Tag, dispatch_uid="kindred_tags_tag_d")
    post_save.connect(_page_tagging_changed, sender=ContentPageTag, dispatch_uid="kindred_tagged")
    post_delete.connect(
        _page_tagging_changed, sender=ContentPageTag, dispatch_uid="kindred_tagged_d"
    )
    # Someone's groups or own permissions, a group's permissions, a group or permission gone.
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed

    user_model = get_user_model()
    for through, receiver in (
        (user_model.groups.through, _someones_permissions_changed),
        (user_model.user_permissions.through, _someones_permissions_changed),
        (Group.permissions.through, _permissions_changed),
    ):
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"kindred_perms_{through}")
        # Rows of the link table written directly (bulk deletes, an account's erasure).
        post_save.connect(receiver, sender=through, dispatch_uid=f"kindred_pt_{through}")
        post_delete.connect(receiver, sender=through, dispatch_uid=f"kindred_ptd_{through}")
    for model in (Group, Permission):
        post_save.connect(_permissions_changed, sender=model, dispatch_uid=f"kindred_pm_{model}")
        post_delete.connect(_permissions_changed, sender=model, dispatch_uid=f"kindred_pm_d{model}")
    # A page deleted or moved: remembered addresses are forgotten (core.routing).
    post_page_move.connect(forget_routes, dispatch_uid="kindred_routes_moved")
    post_delete.connect(_forget_routes_for_pages, dispatch_uid="kindred_routes_deleted")


def _forget_routes_for_pages(sender, instance=None, **kwargs) -> None:
    from wagtail.models import Page

    from core.routing import forget_routes

    if isinstance(instance, Page):
        forget_routes()
