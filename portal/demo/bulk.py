"""Synthetic items for benchmarks: the same published pages, made a thousand at a time.

``add_child`` then ``save_revision().publish()`` costs a dozen queries and
tens of milliseconds per item (tree lock, three table inserts, the revision,
the log entry, the reference index, the search index, signals), about 40
items a second. A 100,000-item site needs hundreds a second, so
``synthetic_items_bulk_create`` writes, per batch, exactly the rows that path
would have left behind, each kind of row in one statement (``_insert_plain``:
one ``INSERT`` run per row by ``executemany``, each value prepared by its
field's ``pre_save`` and ``get_db_prep_save`` as ``save`` and ``bulk_create``
prepare it; the ids the batch needs are read back by a key unique to the new
rows, ``_insert_numbered``):

* the tree: treebeard's materialised path for consecutive children of each
  section, computed with treebeard's own helpers (``_get_path``,
  ``_str2int``), and the section's ``numchild`` raised once per batch;
* ``wagtailcore_page`` rows (their ids read back by path), then the
  ``core_contentpage`` and specific rows with their parent pointer set:
  Django refuses ``bulk_create`` on multi-table children only because it
  would have to insert the parents first, which is done here;
* tags, the revision (``serializable_data()`` of the page as it was when
  saved, as ``save_revision`` stores it), the ``latest_revision`` and
  ``live_revision`` pointers, the "wagtail.publish" log entry, the reference
  index (Wagtail's own extraction, ``ReferenceIndex._extract_references_from_object``)
  and rating summaries;
* the search index through each configured backend's ``add_items``, the call
  ``update_index`` makes (on SQLite the stemmed FTS table follows by trigger),
  given the pages in memory.

What it does not do is send ``page_published``: nobody follows synthetic
items, and an import announcing 100,000 items to the authors' followers is
not what a benchmark wants. ``synthetic_item_publish`` is the one-at-a-time
path, kept as the reference the bulk path is tested against
(tests/portal/test_seed_bulk.py).
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from modelcluster.models import get_all_child_relations
from modelsearch import index
from modelsearch.backends import get_search_backends
from taggit.models import Tag
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex, Revision

import pagecache
from blogs.models import BlogPage, ExpertArticlePage
from core import roles
from core.models import Condition, ContentPage
from core.models.content import ContentPageTag
from experience_stories.models import ExperienceStoryPage
from portal.demo import content, content_de
from ratings.models import RatingSummary

SYNTHETIC_TOPICS = [
    "fatigue",
    "relapses",
    "sleep",
    "work",
    "exercise",
    "diet",
    "mobility",
    "mental health",
    "research",
    "carers",
]
SLUG_PREFIX = "synthetic-"
BATCH_SIZE = 1000
# One item in ten is written in German (issue 18), so listings, the language
# filter and German search have German items at every size: the fifth of each
# ten, so even a run of nine (tests/portal/test_seed_bulk.py) holds one.
GERMAN_EVERY = 10
GERMAN_AT = 5


@dataclass
class SyntheticItem:
    """What one synthetic item is made of, drawn before either path builds it."""

    model: type[ContentPage]
    section: Page
    number: int
    title: str
    summary: str
    author: object
    paragraphs: list[str]
    first_published_at: datetime
    tags: list[str]
    condition: Condition | None = None
    rating: tuple[int, int, float] | None = None  # count, total, bayesian score
    locale: Locale | None = None  # None: its section's (the default language)
    extra: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return f"{SLUG_PREFIX}{self.number}"


def synthetic_item_specs(
    *,
    count: int,
    accounts: dict,
    sections: dict,
    seed: int = 2026,
    now: datetime | None = None,
) -> Iterator[SyntheticItem]:
    """Draw ``count`` items after the synthetic ones already there, reproducibly.

    Text reuses the demo vocabulary so search and tag listings have realistic
    material; six items in ten carry a rating summary so "top rated" orders
    something; one in ten is written in German (``_in_german``).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible filler, not security
    authors = [accounts["member1"], accounts["member2"], accounts["expert"]]
    conditions = list(Condition.objects.order_by("pk"))
    sources = content.BLOG_POSTS + content.EXPERT_ARTICLES + content.STORIES
    kinds = [
        (BlogPage, sections[roles.BLOGS]),
        (ExpertArticlePage, sections[roles.EXPERT_ARTICLES]),
        (ExperienceStoryPage, sections[roles.EXPERIENCES]),
    ]
    start = Page.objects.filter(slug__startswith=SLUG_PREFIX).count()
    # One query for the whole run: each item then carries the object, no query per item.
    german = Locale.objects.filter(language_code=content_de.LANGUAGE).first()
    # Whole seconds: a timestamp the way both databases store it, so the two paths agree.
    now = (now or timezone.now()).replace(microsecond=0)
    for offset in range(count):
        number = start + offset + 1
        model, section = kinds[number % len(kinds)]
        source = rng.choice(sources)
        topic = rng.choice(SYNTHETIC_TOPICS)
        item = SyntheticItem(
            model=model,
            section=section,
            number=number,
            title=f"{source['title']} ({topic}, no. {number})",
            summary=source["summary"],
            author=rng.choice(authors),
            paragraphs=rng.sample(source["paragraphs"], k=min(2, len(source["paragraphs"]))),
            first_published_at=now - timedelta(minutes=number),
            tags=list(dict.fromkeys([topic, rng.choice(SYNTHETIC_TOPICS)])),
        )
        if model is ExpertArticlePage:
            item.extra["credentials"] = "Consultant neurologist"
        if model is ExperienceStoryPage and conditions:
            item.condition = rng.choice(conditions)
        if rng.random() < 0.6:
            votes = rng.randint(1, 40)
            total = votes * rng.randint(2, 5)
            item.rating = (votes, total, round((5 * 3.0 + total) / (5 + votes), 4))
        if german is not None and number % GERMAN_EVERY == GERMAN_AT:
            _in_german(item, locale=german, accounts=accounts)
        yield item


GERMAN_SOURCES = content_de.BLOG_POSTS + content_de.EXPERT_ARTICLES + content_de.STORIES
GERMAN_TOPIC = dict(zip(SYNTHETIC_TOPICS, content_de.SYNTHETIC_TOPICS, strict=True))


def _in_german(item: SyntheticItem, *, locale: Locale, accounts: dict) -> None:
    """Rewrite ``item`` (drawn in English) as a German one: German text, tags and locale.

    Chosen from the German demo items by the item's number, not drawn, so the
    random sequence, and with it every other item, is the same as without
    German items; German words let search on every backend find them.
    """
    turn = item.number // GERMAN_EVERY
    source = GERMAN_SOURCES[turn % len(GERMAN_SOURCES)]
    tags = [GERMAN_TOPIC[name] for name in item.tags]
    paragraphs = source["paragraphs"]
    item.title = f"{source['title']} ({tags[0]}, Nr. {item.number})"
    item.summary = source["summary"]
    item.paragraphs = [paragraphs[(turn + n) % len(paragraphs)] for n in range(2)]
    item.tags = tags
    item.locale = locale
    if item.model is ExpertArticlePage:
        item.extra["credentials"] = "Fachärztin für Neurologie"
    else:
        # The demo's German-speaking member, where the accounts include her.
        item.author = accounts.get("mitglied", item.author)


def _build(item: SyntheticItem) -> ContentPage:
    from portal.demo.seed import _body

    page = item.model(
        title=item.title,
        slug=item.slug,
        summary=item.summary,
        author=item.author,
        owner=item.author,
        body=_body(item.paragraphs),
        live=False,
        **item.extra,
    )
    if item.condition is not None:
        page.condition = item.condition
    if item.locale is not None:
        # Otherwise add_child (one by one) or _bulk_batch gives it its section's.
        page.locale = item.locale
    return page


def _tag_objects(names: Iterable[str]) -> dict[str, Tag]:
    """The tags by name, created as taggit would (its save makes the slug)."""
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=set(names))}
    for name in names:
        if name not in tags:
            tags[name] = Tag.objects.create(name=name)
    return tags


def _rating_summary(page_id: int, rating: tuple[int, int, float]) -> RatingSummary:
    votes, total, score = rating
    return RatingSummary(page_id=page_id, count=votes, total=total, bayesian_score=score)


def synthetic_item_publish(item: SyntheticItem) -> ContentPage:
    """Publish one item the ordinary way: add_child, save_revision, publish.

    Then dated to ``first_published_at`` as the demo's backdating does, so the
    listings are spread over time rather than all "just now".
    """
    with transaction.atomic():
        page = _build(item)
        tags = _tag_objects(item.tags)
        # One add() per tag keeps their order (one add() of several iterates a set).
        for name in item.tags:
            page.tags.add(tags[name])
        item.section.add_child(instance=page)
        revision = page.save_revision(user=item.author)
        revision.publish()
        when = item.first_published_at
        Revision.objects.filter(pk=revision.pk).update(created_at=when)
        PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=when)
        ContentPage.objects.filter(pk=page.pk).update(
            first_published_at=when, last_published_at=when, latest_revision_created_at=when
        )
        if item.rating is not None:
            _rating_summary(page.pk, item.rating).save()
    return page


def _insert_plain(model, objs: list, fields: list | None = None) -> None:
    """Insert rows whose ids nobody reads back: one prepared statement, run per row.

    Each value is prepared as ``bulk_create`` and ``save`` prepare it
    (``pre_save``, then ``get_db_prep_save``); what is left out is the
    compiler's per-value placeholder assembly and SQLite's 999-parameter
    statements (~30 rows of a page each), which were a quarter of seeding's
    CPU time: ``executemany`` parses the statement once and binds each row.
    Without ``fields``, the columns ``bulk_create`` would write: every
    concrete one but a generated column or an unset automatic id.
    """
    if not objs:
        return
    meta = model._meta
    if fields is None:
        fields = [
            f
            for f in meta.concrete_fields
            if not f.generated and not (f is meta.pk and f.db_returning)
        ]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, quoted
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection=connection) for f in fields]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_numbered(model, objs: list, key: tuple[str, ...], **scope) -> None:
    """``_insert_plain``, then each object's new id read back by ``key`` within ``scope``.

    ``key`` is unique among the new rows and matches no older row in ``scope``
    (a page's path; a new page's revision, tags).
    """
    _insert_plain(model, objs)
    first = {getattr(obj, key[0]) for obj in objs}
    found = model._base_manager.filter(**scope, **{f"{key[0]}__in": first}).values_list(*key, "pk")
    ids = {tuple(row[:-1]): row[-1] for row in found}
    for obj in objs:
        setattr(obj, model._meta.pk.attname, ids[tuple(getattr(obj, name) for name in key)])
        obj._state.adding, obj._state.db = False, connection.alias


def _insert_rows(model, pages: list[Page]) -> None:
    """Insert ``model``'s own table rows (parent pointer included) for saved parents.

    Then, as ``save`` does with the values its ``INSERT ... RETURNING`` gives
    back, the columns the database fills (``db_default``, e.g. the content
    table's rating score) are set on the pages from the rows: the revision
    serialises them as the database returns them (``3.0000``, not ``3.0``).
    """
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    _insert_plain(model, pages, fields)
    returned = [f for f in fields if f.db_returning and not f.primary_key]
    if not returned:
        return
    rows = model._base_manager.filter(pk__in=[page.pk for page in pages])
    values = {row[0]: row[1:] for row in rows.values_list("pk", *(f.attname for f in returned))}
    for page in pages:
        for returned_field, value in zip(returned, values[page.pk], strict=True):
            setattr(page, returned_field.attname, value)


def _set_parent_pointers(page: Page) -> None:
    # What Model._save_parents does after each parent insert: every
    # multi-table pointer (contentpage.page_ptr, blogpage.contentpage_ptr) is the page's id.
    for model in page._meta.get_parent_list():
        for link in model._meta.parents.values():
            if link is not None:
                setattr(page, link.attname, page.id)
    for link in page._meta.parents.values():
        if link is not None:
            setattr(page, link.attname, page.id)


def _next_steps(section: Page, count: int) -> tuple[list[str], int]:
    """Paths for ``count`` new last children of ``section``, as ``add_child`` would give."""
    last = section.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last is not None else 0
    depth = section.depth + 1
    return [Page._get_path(section.path, depth, step + n) for n in range(1, count + 1)], depth


# What the page looked like when save_revision serialised it: in the tree, not
# yet live, never published, no revision yet (publishing, then the backdating,
# change these on the row afterwards).
BEFORE_PUBLISHING = {
    "live": False,
    "has_unpublished_changes": False,
    "first_published_at": None,
    "listed_at": None,
    "last_published_at": None,
    "latest_revision_created_at": None,
    "latest_revision": None,
    "live_revision": None,
}


def _as_saved_before_publishing(page: Page) -> dict:
    published = {name: getattr(page, name) for name in BEFORE_PUBLISHING}
    for name, value in BEFORE_PUBLISHING.items():
        setattr(page, name, value)
    try:
        return page.serializable_data()
    finally:
        for name, value in published.items():
            setattr(page, name, value)


def _bulk_batch(items: list[SyntheticItem]) -> list[ContentPage]:
    page_type = ContentType.objects.get_for_model(Page)
    tags = _tag_objects({name for item in items for name in item.tags})
    pages = []
    by_section: dict[int, list[tuple[SyntheticItem, ContentPage]]] = {}
    for item in items:
        page = _build(item)
        by_section.setdefault(item.section.pk, []).append((item, page))
        pages.append(page)
    # The tree, section by section, as consecutive last children.
    for entries in by_section.values():
        section = Page.objects.get(pk=entries[0][0].section.pk)
        paths, depth = _next_steps(section, len(entries))
        for (item, page), path in zip(entries, paths, strict=True):
            page.path, page.depth, page.numchild = path, depth, 0
            page.url_path = f"{section.url_path}{page.slug}/"
            if item.locale is None:
                page.locale_id = section.locale_id  # as add_child's default
            page.content_type = ContentType.objects.get_for_model(item.model)
            page.draft_title = page.title
            # The row as publishing leaves it (the revision pointers follow below).
            page.live, page.has_unpublished_changes = True, False
            page.first_published_at = page.last_published_at = item.first_published_at
            page.listed_at = item.first_published_at  # as ContentPage.save copies it
            page.latest_revision_created_at = item.first_published_at
        Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + len(entries))
    # The revision holds the page as save_revision saw it: in the tree, not yet live.
    _insert_numbered(Page, pages, ("path",))
    for page in pages:
        _set_parent_pointers(page)
    for model in (ContentPage, *sorted({type(p) for p in pages}, key=lambda m: m.__name__)):
        _insert_rows(model, [p for p in pages if isinstance(p, model)])
    tagged = [
        ContentPageTag(tag=tag, content_object_id=page.pk)
        for item, page in zip(items, pages, strict=True)
        for tag in (tags[name] for name in item.tags)
    ]
    _insert_numbered(ContentPageTag, tagged, ("content_object_id", "tag_id"))
    per_page: dict[int, list[ContentPageTag]] = {}
    for row in tagged:
        per_page.setdefault(row.content_object_id, []).append(row)
    revisions = []
    for item, page in zip(items, pages, strict=True):
        # Every child relation held in memory (the tags just made, nothing
        # else), so serialising and the reference index read no database.
        for relation in get_all_child_relations(page):
            setattr(page, relation.get_accessor_name(), [])
        page.tagged_items = per_page.get(page.pk, [])
        revisions.append(
            Revision(
                content_type=page.content_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                user=item.author,
                created_at=item.first_published_at,
                content=_as_saved_before_publishing(page),
                object_str=str(page),
            )
        )
    _insert_numbered(Revision, revisions, ("object_id",), base_content_type=page_type)
    # Both pointers in one statement: each page's revision is its only one.
    only_revision = Revision.objects.filter(
        base_content_type=page_type, object_id=Cast(OuterRef("pk"), CharField())
    ).values("pk")[:1]
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision=Subquery(only_revision), live_revision=Subquery(only_revision)
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    # The page's history as add_child and publish() write it: created by its
    # author, then published (by nobody: an import, not a person's action).
    _insert_plain(
        PageLogEntry,
        [
            PageLogEntry(
                page_id=page.pk,
                content_type=page.content_type,
                label=page.get_admin_display_title(),
                action=action,
                timestamp=page.first_published_at,
                user=user,
                revision=revision,
                content_changed=True,
                data={},
            )
            for item, page, revision in zip(items, pages, revisions, strict=True)
            for action, user, revision in (
                ("wagtail.create", item.author, None),
                ("wagtail.publish", None, revision),
            )
        ],
    )
    references = []
    for page in pages:
        content_types = [
            ContentType.objects.get_for_model(model, for_concrete_model=False)
            for model in [type(page), *page._meta.get_parent_list()]
        ]
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        ):
            references.append(
                ReferenceIndex(
                    content_type=content_types[0],
                    base_content_type=content_types[-1],
                    object_id=str(page.pk),
                    to_content_type_id=to_type,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
    _insert_plain(ReferenceIndex, references)
    _insert_plain(
        RatingSummary,
        [
            _rating_summary(page.pk, item.rating)
            for item, page in zip(items, pages, strict=True)
            if item.rating is not None
        ],
    )
    return pages


class _Drawn:
    """A search field with its value drawn from the object once (see ``_fields_drawn_once``)."""

    def __init__(self, field, obj):
        self.__dict__.update(field.__dict__)
        self.value = field.get_value(obj)

    def get_value(self, obj):
        return self.value


class _DrawnSearchField(_Drawn, index.SearchField):
    pass


class _DrawnAutocompleteField(_Drawn, index.AutocompleteField):
    pass


def _fields_drawn_once(page: ContentPage) -> list:
    """The page's search fields, each text field's value drawn once.

    The database backends' ``ObjectIndexer`` walks every field three times (for
    the title, the autocomplete and the body), each time extracting the
    StreamField's text again; the values are the same each time. Related and
    filter fields are left as they are (the tags are in memory).
    """
    drawn = []
    for search_field in type(page).get_search_fields():
        if isinstance(search_field, index.SearchField):
            search_field = _DrawnSearchField(search_field, page)
        elif isinstance(search_field, index.AutocompleteField):
            search_field = _DrawnAutocompleteField(search_field, page)
        drawn.append(search_field)
    return drawn


def _index(pages: list[ContentPage], deferred: dict) -> None:
    """Index the batch on every configured backend, as update_index does.

    The pages are the ones just written, with their tags in memory, not read
    back: ``get_indexed_objects`` only says which of them are indexed. On the
    database backends each page offers its search fields with their values
    drawn once (``_fields_drawn_once``): the same text, a third of the work.

    The database backends end each ``add_items`` by recomputing the title
    norms, two scans of the whole index table: harmless once per save,
    quadratic over a hundred batches of 100,000 items. Here each index's
    recomputation is deferred to the end of the run (``deferred``), as
    update_index's rebuilder does once after all its chunks; it updates the
    entries still at the default norm, which are exactly the new ones.
    """
    by_model: dict[type, list[ContentPage]] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    indexed = {}
    for model, batch in by_model.items():
        wanted = set(
            model.get_indexed_objects()
            .prefetch_related(None)
            .filter(pk__in=[page.pk for page in batch])
            .values_list("pk", flat=True)
        )
        indexed[model] = [page for page in batch if page.pk in wanted]
    for backend in get_search_backends(with_auto_update=False):
        for model, objs in indexed.items():
            search_index = backend.get_index_for_model(model)
            refresh = getattr(type(search_index), "_refresh_title_norms", None)
            if refresh is not None:
                search_index._refresh_title_norms = lambda full=False: None
                deferred[(id(backend), type(search_index))] = (search_index, refresh)
            # modelsearch's database indexes, and Kindred's subclasses of them
            # (search.backends: each item in its own language, issue 18).
            database = any(
                cls.__module__.startswith("modelsearch.backends.database")
                for cls in type(search_index).__mro__
            )
            if database:
                for page in objs:
                    page.get_search_fields = partial(list, _fields_drawn_once(page))
            try:
                search_index.add_items(model, objs)
            finally:
                if database:
                    for page in objs:
                        del page.get_search_fields


def synthetic_items_bulk_create(
    *,
    items: Iterable[SyntheticItem],
    progress: Callable[[int], object] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Publish ``items`` a batch at a time (one transaction each); returns how many."""
    done = 0
    batch: list[SyntheticItem] = []
    deferred: dict = {}

    def flush() -> None:
        nonlocal done
        with transaction.atomic():
            pages = _bulk_batch(batch)
            _index(pages, deferred)
            # Bulk inserts send no signal: visitors' cached pages learn of them here (issue 17).
            pagecache.invalidate(pagecache.ALL)
        done += len(batch)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    for search_index, refresh in deferred.values():
        refresh(search_index)
    return done
