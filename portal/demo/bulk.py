"""Synthetic items for benchmarks: the same published pages, made a thousand at a time.

``add_child`` then ``save_revision().publish()`` costs a dozen queries and
tens of milliseconds per item (tree lock, three table inserts, the revision,
the log entry, the reference index, the search index, signals), about 40
items a second. A 100,000-item site needs hundreds a second, so
``synthetic_items_bulk_create`` writes, per batch, exactly the rows that path
would have left behind, each kind of row in one statement run per row by
``executemany`` (``_statement``: each value prepared as ``save`` and
``bulk_create`` prepare it):

* the tree: treebeard's materialised path for consecutive children of each
  section, computed with treebeard's own helpers (``_get_path``,
  ``_str2int``), and the section's ``numchild`` raised once per batch;
* ``wagtailcore_page`` rows, then the ``core_contentpage`` and specific rows
  with their parent pointer set: Django refuses ``bulk_create`` on
  multi-table children only because it would have to insert the parents
  first, which is done here;
* tags, the revision (``serializable_data()`` of the page as it was when
  saved, as ``save_revision`` stores it), the ``latest_revision`` and
  ``live_revision`` pointers, the "wagtail.create" and "wagtail.publish" log
  entries, the reference index (Wagtail's own extraction,
  ``ReferenceIndex._extract_references_from_object``) and rating summaries;
* the search index: modelsearch's SQLite backend's entries directly
  (``_sqlite_entries_write``; the stemmed FTS table follows by trigger),
  every other backend through its ``add_items``, the call ``update_index``
  makes, given the pages in memory.

The rows of a batch are computed from a plan (``_Planner``: the paths, ids
reserved from each table's own counter, the tags) without a query, so that
forked worker processes compute them while this process writes the batch
before (``_computed``); the ids are written with the rows, nothing is read
back.

What it does not do is send ``page_published``: nobody follows synthetic
items, and an import announcing 100,000 items to the authors' followers is
not what a benchmark wants. ``synthetic_item_publish`` is the one-at-a-time
path, kept as the reference the bulk path is tested against
(tests/portal/test_seed_bulk.py).
"""

import itertools
import multiprocessing
import os
import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import Length
from django.test.utils import override_settings
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
        # Otherwise add_child (one by one) or _batch_rows gives it its section's.
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


# Fields whose database value is the attribute itself when it holds one of the
# given Python types (or None): their ``get_db_prep_save`` only converts other
# values, and their ``pre_save`` is ``Field.pre_save``. A ``ForeignKey`` writes
# its ``_id`` attribute: its target's id, an int here.
_TEXT, _WHOLE = (str,), (int,)
_AS_IS = {
    models.AutoField: _WHOLE,
    models.BigAutoField: _WHOLE,
    models.BigIntegerField: _WHOLE,
    models.BooleanField: (bool,),
    models.CharField: _TEXT,
    models.ForeignKey: _WHOLE,
    models.IntegerField: _WHOLE,
    models.PositiveIntegerField: _WHOLE,
    models.PositiveSmallIntegerField: _WHOLE,
    models.SlugField: _TEXT,
    models.SmallIntegerField: _WHOLE,
    models.TextField: _TEXT,
}


def _value_preparer(field) -> Callable[[object], object]:
    """How a value of ``field`` becomes what the database takes: ``get_db_prep_save``,
    or for a field in ``_AS_IS`` holding a value of its type the value itself, which
    is what that call returns (the calls were most of building a batch's rows)."""

    def prepared(value):
        return field.get_db_prep_save(value, connection=connection)

    kinds = _AS_IS.get(type(field))
    if kinds is None:
        return prepared
    kinds = (*kinds, type(None))

    def as_is(value):
        return value if type(value) in kinds else prepared(value)

    return as_is


def _value_reader(field) -> Callable[[object], object]:
    """How ``_statement`` reads ``field``'s database value from an object, as ``save``
    does: ``pre_save``, then ``get_db_prep_save`` (``_value_preparer``). Where
    ``pre_save`` is ``Field.pre_save``, what it returns is the attribute."""
    prepare = _value_preparer(field)
    if type(field).pre_save is not models.Field.pre_save:
        return lambda obj: prepare(field.pre_save(obj, add=True))
    attname = field.attname
    return lambda obj: prepare(getattr(obj, attname))


class _ValueRows:
    """Rows of ``model`` given as values by attribute name, for the tables a batch
    fills most (two history entries a page, a reference per tag and author), where
    building a model instance per row cost more than its row.

    Each value is prepared as ``_statement`` prepares an object's; a value not
    given is the field's default, as the model's ``__init__`` would set it. For
    models whose fields' ``pre_save`` adds nothing (no ``auto_now``).
    """

    def __init__(self, model) -> None:
        self.model = model
        self.fields = _columns(model, own_id=False)
        if any(
            getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in self.fields
        ):
            raise ValueError(f"{model.__name__} has a field whose pre_save sets it.")
        self.preparers = [(f.attname, f.get_default, _value_preparer(f)) for f in self.fields]
        self.rows: list[list] = []

    def add(self, **values) -> None:
        self.rows.append(
            [
                prepare(values[attname] if attname in values else default())
                for attname, default, prepare in self.preparers
            ]
        )

    def statement(self) -> tuple[str, list[list]]:
        return _insert_sql(self.model, self.fields), self.rows


def _insert_sql(model, fields: list) -> str:
    """One row's ``INSERT`` of ``fields`` into ``model``'s table, for ``executemany``."""
    quote = connection.ops.quote_name
    return "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, quoted
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )


def _statement(model, objs: list, fields: list) -> tuple[str, list[list]]:
    """One ``INSERT`` of ``fields`` and its rows, one per object, for ``executemany``.

    Each value is prepared as ``bulk_create`` and ``save`` prepare it
    (``pre_save``, then ``get_db_prep_save``, or the plain value where that is
    what they return: ``_value_reader``); what is left out is the compiler's
    per-value placeholder assembly and SQLite's 999-parameter statements (~30
    rows of a page each), which were a quarter of seeding's CPU time:
    ``executemany`` parses the statement once and binds each row.
    """
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    readers = [_value_reader(f) for f in fields]
    return _insert_sql(model, fields), [[read(obj) for read in readers] for obj in objs]


def _columns(model, *, own_id: bool, local: bool = False) -> list:
    """The columns ``bulk_create`` would write: not a generated one, nor an automatic
    id unless it is given (``own_id``; a one-to-one primary key is always given)."""
    meta = model._meta
    fields = meta.local_concrete_fields if local else meta.concrete_fields
    return [
        f for f in fields if not f.generated and (own_id or not (f is meta.pk and f.db_returning))
    ]


def _reserve_ids(model, count: int) -> list[int]:
    """``count`` ids of ``model``'s table that no other insert will be given.

    Taken from the table's own counter, as an insert would take them, so the
    rows of a batch can be computed, references between them included, before
    anything is written (and in another process: ``synthetic_items_bulk_create``).
    PostgreSQL: the sequence's next values (not necessarily consecutive if
    someone else inserts meanwhile). SQLite: Django's tables are
    ``AUTOINCREMENT``, whose counter in ``sqlite_sequence`` is the largest id
    ever given; raising it reserves the ids below.
    """
    if count == 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"Reserving ids on {connection.vendor}.")
        with transaction.atomic():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            if found is None:  # a table nothing was ever inserted into
                cursor.execute(
                    f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) "  # noqa: S608
                    f"FROM {connection.ops.quote_name(table)}"
                )
                (last,) = cursor.fetchone()
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last + count]
                )
            else:
                (last,) = found
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last + count, table]
                )
    return list(range(last + 1, last + count + 1))


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


def _as_returned(model, page: Page) -> None:
    """The columns the database fills (``db_default``, e.g. the rating score) as it returns them.

    ``save`` sets them from its ``INSERT ... RETURNING``, and the revision
    serialises them so: a decimal at the column's scale (``3.0000``, not ``3.0``).
    """
    for f in model._meta.local_concrete_fields:
        if f.db_returning and not f.primary_key and isinstance(f, models.DecimalField):
            value = getattr(page, f.attname)
            setattr(page, f.attname, value.quantize(Decimal(1).scaleb(-f.decimal_places)))


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


@dataclass
class _Plan:
    """Where a batch's items go and the ids their rows take, decided by the writer."""

    items: list[SyntheticItem]
    page_ids: list[int]
    revision_ids: list[int]
    tag_row_ids: list[int]
    paths: list[str]  # each item's place in the tree, consecutive last children
    tags: dict[str, Tag]
    content_types: dict[type, ContentType]  # the page models, for_concrete_model=False too
    draw_search_fields: bool  # a database search backend is configured (``_index``)
    extract_sqlite_text: bool  # modelsearch's SQLite backend is: its entries' text too
    pages_back: bool  # another backend indexes the page objects (else ``_IndexText``)


@dataclass
class _IndexText:
    """What indexing a page in modelsearch's SQLite backend needs, without the page.

    When that backend is the only one, a worker sends this back instead of the
    page: pickling and unpickling the pages was most of what passing a batch cost.
    """

    model: type[ContentPage]
    pk: int
    sqlite_index_text: tuple[str, str, str]


@dataclass
class _Batch:
    """A batch as rows ready to write, and its pages for the search index."""

    pages: list  # the pages, or only their ``_IndexText`` (``_Plan.pages_back``)
    statements: list[tuple[str, list[list]]]
    new_children: dict[int, int]  # section id: how many items it gains
    computed_by: int = field(default_factory=os.getpid)  # the process


class _Planner:
    """Plans batches one after another: tree paths continue, ids are reserved, tags exist."""

    def __init__(self) -> None:
        self.next_step: dict[int, int] = {}  # section id: the step of its next child
        backends = _search_backends()
        self.draw_search_fields = any(_database_index_backend(b) for b in backends)
        self.extract_sqlite_text = any(_sqlite_index_backend(b) for b in backends)
        self.pages_back = not (
            self.extract_sqlite_text and all(_sqlite_index_backend(b) for b in backends)
        )

    def plan(self, items: list[SyntheticItem]) -> _Plan:
        tags = _tag_objects({name for item in items for name in item.tags})
        paths = []
        for item in items:
            section = item.section
            if section.pk not in self.next_step:
                last = Page.objects.get(pk=section.pk).get_last_child()
                step = Page._str2int(last.path[-Page.steplen :]) if last is not None else 0
                self.next_step[section.pk] = step + 1
            step = self.next_step[section.pk]
            self.next_step[section.pk] = step + 1
            paths.append(Page._get_path(section.path, section.depth + 1, step))
        models_used = {item.model for item in items}
        content_types = {
            model: ContentType.objects.get_for_model(model, for_concrete_model=False)
            for page_model in models_used
            for model in (page_model, *page_model._meta.get_parent_list())
        }
        return _Plan(
            items=items,
            page_ids=_reserve_ids(Page, len(items)),
            revision_ids=_reserve_ids(Revision, len(items)),
            tag_row_ids=_reserve_ids(ContentPageTag, sum(len(item.tags) for item in items)),
            paths=paths,
            tags=tags,
            content_types=content_types,
            draw_search_fields=self.draw_search_fields,
            extract_sqlite_text=self.extract_sqlite_text,
            pages_back=self.pages_back,
        )


def _batch_rows(plan: _Plan) -> _Batch:
    """Every row publishing the plan's items one by one would leave, computed without a query.

    A pure function of the plan (``_work_start`` makes a query in a worker an
    error), so it runs in the writer or in a worker process alike.
    """
    content_types = plan.content_types
    page_type = content_types[Page]
    pages, tag_rows, revisions, ratings = [], [], [], []
    log_entries, references = _ValueRows(PageLogEntry), _ValueRows(ReferenceIndex)
    new_children: dict[int, int] = {}
    tag_row_ids = iter(plan.tag_row_ids)
    sqlite_backend = (
        next(b for b in _search_backends() if _sqlite_index_backend(b))
        if plan.extract_sqlite_text
        else None
    )
    for item, page_id, revision_id, path in zip(
        plan.items, plan.page_ids, plan.revision_ids, plan.paths, strict=True
    ):
        section = item.section
        new_children[section.pk] = new_children.get(section.pk, 0) + 1
        page = _build(item)
        page.id = page_id
        _set_parent_pointers(page)
        page.path, page.depth, page.numchild = path, section.depth + 1, 0
        page.url_path = f"{section.url_path}{page.slug}/"
        if item.locale is None:
            page.locale_id = section.locale_id  # as add_child's default
        page.content_type = content_types[item.model]
        page.draft_title = page.title
        # The row as publishing leaves it (the revision pointers follow below).
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = item.first_published_at
        page.listed_at = item.first_published_at  # as ContentPage.save copies it
        page.latest_revision_created_at = item.first_published_at
        for model in (*page._meta.get_parent_list(), type(page)):
            _as_returned(model, page)
        # Every child relation held in memory (the tags, nothing else), so
        # serialising, the reference index and the search index read no database.
        for relation in get_all_child_relations(page):
            setattr(page, relation.get_accessor_name(), [])
        tagged = [
            ContentPageTag(id=next(tag_row_ids), tag=plan.tags[name], content_object_id=page_id)
            for name in item.tags
        ]
        page.tagged_items = tagged
        tag_rows += tagged
        # The revision holds the page as save_revision saw it: in the tree, not yet live.
        revision = Revision(
            id=revision_id,
            content_type=page.content_type,
            base_content_type=page_type,
            object_id=str(page_id),
            user=item.author,
            created_at=item.first_published_at,
            content=_as_saved_before_publishing(page),
            object_str=str(page),
        )
        revisions.append(revision)
        page.latest_revision = page.live_revision = revision
        # The page's history as add_child and publish() write it: created by its
        # author, then published (by nobody: an import, not a person's action).
        for action, user, logged_revision in (
            ("wagtail.create", item.author, None),
            ("wagtail.publish", None, revision),
        ):
            log_entries.add(
                page_id=page_id,
                content_type_id=page.content_type_id,
                label=page.get_admin_display_title(),
                action=action,
                timestamp=item.first_published_at,
                user_id=user.pk if user is not None else None,
                revision_id=logged_revision.pk if logged_revision is not None else None,
                content_changed=True,
                data={},
            )
        own_types = [content_types[model] for model in (type(page), *page._meta.get_parent_list())]
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        ):
            references.add(
                content_type_id=own_types[0].pk,
                base_content_type_id=own_types[-1].pk,
                object_id=str(page_id),
                to_content_type_id=to_type,
                to_object_id=to_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
        if item.rating is not None:
            ratings.append(_rating_summary(page_id, item.rating))
        if plan.draw_search_fields:
            page.drawn_search_fields = _fields_drawn_once(page)
        if plan.extract_sqlite_text:
            page.sqlite_index_text = _sqlite_index_text(page, sqlite_backend)
        pages.append(page)
    # The tables in the order save() fills them; the revision pointers of a
    # page name a revision written after it (foreign keys are checked at commit).
    statements = [_statement(Page, pages, _columns(Page, own_id=True))]
    for model in (ContentPage, *sorted({type(p) for p in pages}, key=lambda m: m.__name__)):
        mine = [page for page in pages if isinstance(page, model)]
        statements.append(_statement(model, mine, _columns(model, own_id=True, local=True)))
    statements += [
        _statement(ContentPageTag, tag_rows, _columns(ContentPageTag, own_id=True)),
        _statement(Revision, revisions, _columns(Revision, own_id=True)),
        log_entries.statement(),
        references.statement(),
        _statement(RatingSummary, ratings, _columns(RatingSummary, own_id=False)),
    ]
    if not plan.pages_back:
        pages = [_IndexText(type(page), page.pk, page.sqlite_index_text) for page in pages]
    return _Batch(pages=pages, statements=statements, new_children=new_children)


def _batch_write(batch: _Batch) -> None:
    with connection.cursor() as cursor:
        for sql, rows in batch.statements:
            if rows:
                cursor.executemany(sql, rows)
    for section_id, count in batch.new_children.items():
        Page.objects.filter(pk=section_id).update(numchild=F("numchild") + count)


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


def _search_backends() -> list:
    return list(get_search_backends(with_auto_update=False))


def _database_index_backend(backend_or_index) -> bool:
    """modelsearch's database backends (and their indexes), and Kindred's subclasses of them
    (search.backends: each item in its own language, issue 18)."""
    return any(
        cls.__module__.startswith("modelsearch.backends.database")
        for cls in type(backend_or_index).__mro__
    )


def _sqlite_index_backend(backend) -> bool:
    """modelsearch's own SQLite backend, whose entries ``_index`` writes itself."""
    if connection.vendor != "sqlite":
        return False
    from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex

    return backend.index_class is SQLiteIndex


def _sqlite_index_text(page: ContentPage, backend) -> tuple[str, str, str]:
    """The title, autocomplete and body text of the page's SQLite index entry, as
    ``SQLiteIndex.add_items`` extracts them with its ``ObjectIndexer``.

    Its three properties each walk every search field (the tags' manager
    built again each time) and keep their own kind; here one walk over the
    same fields, in the same order, keeps all three, each field's value
    drawn once (``page.drawn_search_fields``).
    """
    from modelsearch.backends.database.sqlite.sqlite import ObjectIndexer

    page.get_search_fields = partial(list, page.drawn_search_fields)
    try:
        indexer = ObjectIndexer(page, backend)
    finally:
        del page.get_search_fields
    title, complete, body = [], [], []
    for search_field in indexer.search_fields:
        for current, value in indexer.prepare_field(page, search_field):
            if isinstance(current, index.SearchField):
                (title if current.field_name == "title" else body).append(value)
            if isinstance(current, index.AutocompleteField):
                complete.append(value)
    return " ".join(title), " ".join(complete), " ".join(body)


@dataclass
class _IndexState:
    """What indexing carries from one batch to the next (see ``_index``)."""

    deferred: dict = field(default_factory=dict)  # (backend, index type): (index, refresh)
    # The SQLite index's titles longer than nothing: how many, and their total length.
    title_lengths: tuple[int, int] | None = None


def _sqlite_entries_write(indexed: dict[type, list[ContentPage]], state: _IndexState) -> None:
    """Write the batch's SQLite index entries with the text its worker extracted.

    What ``SQLiteIndex.add_items`` writes for pages it has not indexed before,
    then its title norm refresh (``lavg / ld``, the average title length over
    the title's length) done on the new entries as they are written: the
    refresh updates every entry still at the default norm, and on SQLite an
    update of an entry rewrites its full-text row (modelsearch's trigger), so
    deferring it to the end of a run rewrote all 100,000 rows once more. The
    average, kept as a running total, is the one a refresh after the batch
    would compute.
    """
    # The index's own model (wagtail.search's on a Wagtail site), imported on SQLite only.
    from modelsearch.backends.database.sqlite.sqlite import IndexEntry

    if state.title_lengths is None:
        found = (
            IndexEntry.objects.annotate(length=Length("title"))
            .filter(length__gt=0)
            .aggregate(count=Count("pk"), total=Sum("length"))
        )
        state.title_lengths = (found["count"], found["total"] or 0)
    count, total = state.title_lengths
    lengths = [len(page.sqlite_index_text[0]) for pages in indexed.values() for page in pages]
    count += sum(1 for length in lengths if length > 0)
    total += sum(lengths)
    state.title_lengths = (count, total)
    average = total / count if count else 0
    entries = []
    for model, pages in indexed.items():
        content_type = ContentType.objects.get_for_model(model)
        for page in pages:
            title, autocomplete, body = page.sqlite_index_text
            entries.append(
                IndexEntry(
                    content_type=content_type,
                    object_id=str(page.pk),
                    title_norm=average / len(title) if title else 1.0,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
            )
    sql, rows = _statement(IndexEntry, entries, _columns(IndexEntry, own_id=False))
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _index(pages: list[ContentPage], state: _IndexState) -> None:
    """Index the batch on every configured backend, as update_index does.

    The pages are the ones just written, with their tags in memory, not read
    back: ``get_indexed_objects`` only says which of them are indexed. On the
    database backends each page offers its search fields with their values
    drawn once (``_fields_drawn_once``, in ``_batch_rows``): the same text, a
    third of the work. modelsearch's SQLite backend gets the entries whose
    text the workers extracted (``_sqlite_entries_write``).

    The other database backends end each ``add_items`` by recomputing the
    title norms, two scans of the whole index table: harmless once per save,
    quadratic over a hundred batches of 100,000 items. Here each index's
    recomputation is deferred to the end of the run (``state.deferred``), as
    update_index's rebuilder does once after all its chunks; it updates the
    entries still at the default norm, which are exactly the new ones.
    """
    by_model: dict[type, list[ContentPage]] = {}
    for page in pages:
        model = page.model if isinstance(page, _IndexText) else type(page)
        by_model.setdefault(model, []).append(page)
    indexed = {}
    for model, batch in by_model.items():
        wanted = set(
            model.get_indexed_objects()
            .prefetch_related(None)
            .filter(pk__in=[page.pk for page in batch])
            .values_list("pk", flat=True)
        )
        indexed[model] = [page for page in batch if page.pk in wanted]
    for backend in _search_backends():
        if _sqlite_index_backend(backend):
            _sqlite_entries_write(indexed, state)
            continue
        for model, objs in indexed.items():
            search_index = backend.get_index_for_model(model)
            refresh = getattr(type(search_index), "_refresh_title_norms", None)
            if refresh is not None:
                search_index._refresh_title_norms = lambda full=False: None
                state.deferred[(id(backend), type(search_index))] = (search_index, refresh)
            database = _database_index_backend(search_index)
            if database:
                for page in objs:
                    page.get_search_fields = partial(list, page.drawn_search_fields)
            try:
                search_index.add_items(model, objs)
            finally:
                if database:
                    for page in objs:
                        del page.get_search_fields


def _refuse_queries(execute, sql, params, many, context):
    raise RuntimeError(f"A bulk seeding worker must not query the database: {sql}")


def _work_start() -> None:
    """A worker process computes rows (``_batch_rows``) and never touches the database.

    It is forked with the writer's open connection, which only the writer
    may use: any query here is an error rather than a second user of it.
    """
    for conn in connections.all(initialized_only=True):
        conn.execute_wrappers.append(_refuse_queries)


def _batches(items: Iterable[SyntheticItem], size: int) -> Iterator[list[SyntheticItem]]:
    batch: list[SyntheticItem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _computed(plans: Iterator[_Plan], workers: int) -> Iterator[_Batch]:
    """Each plan's rows, in order: in this process, or in ``workers`` forked processes.

    The first batch is always computed here: it fills the per-process caches
    (content types, Wagtail's reference and search registries) that the forked
    workers then inherit, so they need no database. Workers compute a few
    batches ahead of the writer, never more (their results wait in memory).
    """
    first = next(plans, None)
    if first is None:
        return
    yield _batch_rows(first)
    second = next(plans, None)  # no workers started for a single batch
    if second is None:
        return
    plans = itertools.chain([second], plans)
    if workers == 0:
        yield from map(_batch_rows, plans)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=workers, initializer=_work_start) as pool:
        pending: deque = deque()
        for plan in plans:
            pending.append(pool.apply_async(_batch_rows, (plan,)))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def synthetic_items_bulk_create(
    *,
    items: Iterable[SyntheticItem],
    progress: Callable[[int], object] | None = None,
    batch_size: int = BATCH_SIZE,
    workers: int = 0,
) -> int:
    """Publish ``items`` a batch at a time (one transaction each); returns how many.

    This process plans each batch (its tree paths, reserved ids, tags) and
    writes it; computing its rows, most of the work, can run in ``workers``
    forked processes meanwhile (``_computed``; 0: all in this process).
    """
    done = 0
    index_state = _IndexState()
    with _bulk_connection():
        planner = _Planner()
        plans = (planner.plan(batch) for batch in _batches(items, batch_size))
        for batch in _computed(plans, workers):
            with transaction.atomic():
                _batch_write(batch)
                _index(batch.pages, index_state)
                # Bulk inserts send no signal: visitors' cached pages learn of them here (issue 17).
                pagecache.invalidate(pagecache.ALL)
            done += len(batch.pages)
            if progress is not None:
                progress(len(batch.pages))
        for search_index, refresh in index_state.deferred.values():
            refresh(search_index)
    return done


# SQLite's page cache while writing in bulk, in KiB (its default is 2 MiB): the
# tables' and indexes' pages a batch touches stay in memory instead of being
# read again from the file at every batch.
BULK_SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def _bulk_connection() -> Iterator[None]:
    """The connection as a bulk writer wants it, for the run, then as it was.

    No query log: with ``DEBUG`` on (``make run``) Django's debug cursor
    records every statement and, on SQLite, asks the database to quote each
    one's parameters for the record, for a log of 100,000 items' statements
    nobody reads. On SQLite, a larger page cache (``BULK_SQLITE_CACHE_KIB``).
    """
    sqlite = connection.vendor == "sqlite"
    with override_settings(DEBUG=False):
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                (cache_size,) = cursor.fetchone()
                cursor.execute(f"PRAGMA cache_size = -{BULK_SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            if sqlite:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
