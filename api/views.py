"""The public read API (Wagtail's v2): exactly what a visitor may read, whoever asks.

Every endpoint answers as an anonymous visitor: no authentication class runs,
so a signed-in member's session is never read (no CSRF, nothing personal, the
same bytes as for a visitor). Pages come from ``core.selectors.readable_content``
for a visitor, narrowed to the types ``api.fields`` exposes; every filter that
names a page (``child_of``, ``descendant_of``, ``ancestor_of``,
``translation_of``, ``id``, a detail) looks it up in that same set, so an
unreadable page answers exactly as a page that does not exist. A filter that
narrows by a value (``lang``, ``type``, ``search``) narrows that set, never
widens it.

Only GET, HEAD and OPTIONS are routed; anything else is 405. Responses are JSON
only (no browsable HTML, which would show the session's user and a CSRF token).
The page cache (``pagecache``) never stores them: it stores only HTML and feeds
that a view marked public.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    OrderingFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    ReferenceIndex,
    Site,
    get_page_models,
)

from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer

from core.languages import content_language, content_languages, language_condition
from core.selectors import readable_content
from search.errors import SearchUnavailable
from search.hits import visitor_matching_ids
from search.params import clean_query

from .fields import (
    DETAIL_ONLY_FIELDS,
    EXPOSED_TYPES,
    FILTER_FIELDS,
    PAGE_FIELDS,
    VISITOR,
    exposed_fields,
    is_item_model,
)
from .throttling import ClientRateThrottle

DEFAULT_LIMIT = 20
# The most items one response holds (``?limit=``), and the furthest ``?offset=``
# reaches: a deep OFFSET is a walk over every row before it (at 100,000 items,
# a cheap way to load the server). Settings may change both.
DEFAULT_LIMIT_MAX = 50
DEFAULT_MAX_OFFSET = 1_000


def limit_max() -> int:
    return int(getattr(settings, "KINDRED_API_LIMIT_MAX", DEFAULT_LIMIT_MAX))


def max_offset() -> int:
    return int(getattr(settings, "KINDRED_API_MAX_OFFSET", DEFAULT_MAX_OFFSET))


def _whole_number(request, name: str, default: int) -> int:
    value = request.GET.get(name, "")
    if value == "":
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise BadRequestError(_("%(name)s must be a positive integer") % {"name": name})
    return int(value)


class BoundedPagination(WagtailPagination):
    """Wagtail's ``limit``/``offset`` paging with both bounded, and a bounded count.

    ``meta.total_count`` counts at most as far as the deepest reachable item
    (``max_offset() + limit_max()``); when there are more, it says that many
    and ``meta.total_count_capped`` is true. An offset past ``max_offset()`` is
    a 400 that says how far paging goes.
    """

    def paginate_queryset(self, queryset, request, view=None):
        limit = _whole_number(request, "limit", min(DEFAULT_LIMIT, limit_max()))
        offset = _whole_number(request, "offset", 0)
        if limit > limit_max():
            raise BadRequestError(_("limit cannot be higher than %(max)s") % {"max": limit_max()})
        if offset > max_offset():
            raise BadRequestError(
                _(
                    "offset cannot be higher than %(max)s: narrow the listing instead "
                    "(type, child_of, descendant_of, order)"
                )
                % {"max": max_offset()}
            )
        self.view = view
        reach = max_offset() + limit_max()
        # Unordered: counting needs no sort of every row.
        counted = queryset.order_by()[: reach + 1].count()
        self.capped = counted > reach
        self.total_count = min(counted, reach)
        return list(queryset[offset : offset + limit])

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.capped:
            response.data["meta"]["total_count_capped"] = True
        return response


class EscapedJSONRenderer(JSONRenderer):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026``.

    The same value to any JSON parser; but a title or a body's HTML can never
    read as markup to something that sniffs the bytes (as Django's
    ``json_script`` does). JSON's own syntax uses none of the three, so only
    strings change.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rendered = super().render(data, accepted_media_type, renderer_context)
        return (
            rendered.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")
        )


class ServiceUnavailable(APIException):
    status_code = 503
    default_detail = gettext_lazy("Search is unavailable for a moment; try again shortly.")


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's ``?<field>=`` filter, with a value the field cannot take a 400 (it was a 500)."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValidationError, ValueError, OverflowError) as error:
            raise BadRequestError(
                _("field filter error: a value is not valid for its field")
            ) from error


class NoRandomOrdering(OrderingFilter):
    """Wagtail's ``?order=`` without ``random`` (a sort of every readable row per request)."""

    def filter_queryset(self, request, queryset, view):
        order = request.GET.get("order", "")
        if "random" in order.split(","):
            raise BadRequestError(_("cannot order by 'random'"))
        return super().filter_queryset(request, queryset, view)


# ``?lang=`` is Kindred's name for the language filter (as on the site's own
# listings); ``?locale=`` is Wagtail's, and answers the same (``requested_language``).
LANGUAGE_PARAMETERS = ("lang", "locale")


def requested_language(request) -> str:
    """The content language ``?lang=`` (or ``?locale=``) asks for ("de", "en-gb"), or "" for all.

    Read as the site's listings read it (``core.languages.content_language``:
    "DE", "de-AT" -> "de"; "en" -> "en-gb"), and an empty value means every
    language, as an empty ``limit`` means the default. Unlike the site's
    listings, anything else is a 400, not every language: a program that asks
    for French and gets English and German items would show them as French
    and never know; a person on a listing sees what they got. So are a value
    given twice and both names at once, which could only be guessed between.
    The error names the parameter and the languages there are, never echoes
    the value.
    """
    given = [(name, value) for name in LANGUAGE_PARAMETERS for value in request.GET.getlist(name)]
    if not given:
        return ""
    if len(given) > 1:
        raise BadRequestError(_("give the language once, as lang or as locale"))
    name, value = given[0]
    if value == "":
        return ""
    code = content_language(value)
    if not code:
        raise BadRequestError(
            _("%(name)s must be one of the content languages: %(codes)s")
            % {"name": name, "codes": ", ".join(content_languages())}
        )
    return code


class LanguageFilter:
    """``?lang=`` / ``?locale=``: the pages written in one content language (issue 18).

    Replaces Wagtail's ``LocaleFilter``, which matched the code exactly and
    answered any other value with a 404 (as if the listing did not exist).
    Narrows the listing's readable set by the page's locale (a join with the
    few locale rows, no query of its own), so it combines with every other
    filter; a search asks for the language's hits only (``ReadableSearchFilter``).
    """

    def filter_queryset(self, request, queryset, view):
        code = requested_language(request)
        if not code:
            return queryset
        # ``child_of`` marks its queryset (``descendant_of`` refuses to combine with
        # it); a filter after it keeps the mark, as Wagtail's own filters do.
        child_of = getattr(queryset, "_filtered_by_child_of", None)
        queryset = queryset.filter(language_condition(code))
        if child_of is not None:
            queryset._filtered_by_child_of = child_of
        return queryset


class ReadableSearchFilter:
    """``?search=``: the site search's phase 1 for a visitor, kept to the listing's readable set.

    ``search.hits.visitor_matching_ids`` gives the best ``search.params.MAX_HITS``
    matching items a visitor's audience may see, best first, on whatever
    backend is configured (in the ``?lang=`` language only, so that other
    languages' items take no place among them); the listing (already only
    readable pages, with every other filter applied) keeps those ids, in that
    order unless ``?order=`` is given. Counts therefore cover readable matches only.
    Searches items (what the site's search finds), not sections or site pages.
    A common word's ids are kept until anything public changes, as for the
    site's own search page.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if request.GET.get("search_operator") not in (None, "", "or"):
            raise BadRequestError(_("search_operator must be 'or'"))
        query = clean_query(request.GET.get("search"))
        try:
            ids = (
                visitor_matching_ids(query, user=VISITOR, language=requested_language(request))
                if query
                else []
            )
        except SearchUnavailable as error:
            raise ServiceUnavailable() from error
        queryset = queryset.filter(pk__in=ids)
        if "order" in request.GET or not ids:
            return queryset
        # The backend's ranking, kept in the database so that paging reads one page of rows.
        rank = Case(
            *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)),
            output_field=IntegerField(),
        )
        return queryset.order_by(rank, "pk")


class VisitorViewMixin:
    """What every endpoint shares: no session, JSON, GET/HEAD/OPTIONS, throttled per client."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [EscapedJSONRenderer]
    pagination_class = BoundedPagination
    http_method_names = ["get", "head", "options"]

    @classmethod
    def get_urlpatterns(cls):
        # No ``find/``: a redirect by ``?id=`` or ``?html_path=`` adds nothing a
        # listing's ``?id=`` or a page's address does not, and its path lookup
        # would route through the pages' own serve logic.
        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path("<int:pk>/", cls.as_view({"get": "detail_view"}), name="detail"),
        ]


class PublicPagesAPIViewSet(VisitorViewMixin, PagesAPIViewSet):
    """``/api/v2/pages/``: the pages a visitor may read, of the types ``api.fields`` exposes."""

    filter_backends = [
        CheckedFieldsFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        NoRandomOrdering,
        TranslationOfFilter,
        LanguageFilter,
        ReadableSearchFilter,  # last: it orders by the search's ranking
    ]
    # ``site`` is left out: the API answers for the site the request is for.
    known_query_parameters = (PagesAPIViewSet.known_query_parameters - {"site"}) | {"lang"}
    find_query_parameters = frozenset()
    meta_fields = [
        field for field in PagesAPIViewSet.meta_fields if field not in ("alias_of", "show_in_menus")
    ]
    # ``language`` on every page by default (Wagtail's ``locale`` meta field shows
    # the same code, but only when asked for while WAGTAIL_I18N_ENABLED is off).
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "language"]
    detail_only_fields = DETAIL_ONLY_FIELDS

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields + PAGE_FIELDS + exposed_fields(model))

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        fields = super().get_available_fields(model, db_fields_only=db_fields_only)
        if db_fields_only:
            return [field for field in fields if field in FILTER_FIELDS]
        return fields

    def get_base_queryset(self):
        """The readable pages of the exposed types on this request's site (the one gate)."""
        # Built once per request: its view restrictions are read as it is built.
        if not hasattr(self, "_base_queryset"):
            site = Site.find_for_request(self.request)
            if site is None:
                self._base_queryset = Page.objects.none()
            else:
                pages = Page.objects.descendant_of(site.root_page, inclusive=True)
                # The types left out, as an exclusion: the few pages of those types
                # are skipped as the listing walks its order's index, where an
                # inclusion of the eleven exposed types made the database read and
                # sort every readable page first (1.3 s at 100,000 items).
                self._base_queryset = readable_content(
                    user=VISITOR, queryset=pages.exclude(content_type__in=_hidden_types())
                )
        return self._base_queryset.all()

    def get_queryset(self):
        # Built once per request (the listing and its serializer both ask).
        if not hasattr(self, "_queryset"):
            self._queryset = self._build_queryset()
        return self._queryset.all()

    def _build_queryset(self):
        models = self._requested_models()
        if len(models) == 1:
            model = models[0]
            site = Site.find_for_request(self.request)
            if site is None:
                return model.objects.none()
            if is_item_model(model):
                # The gate on the type's own rows (no subquery of every readable page).
                queryset = readable_content(
                    user=VISITOR,
                    queryset=self._item_queryset(model).descendant_of(
                        site.root_page, inclusive=True
                    ),
                )
            else:
                # Home, sections, site pages: a few rows, found by their type's index.
                content_type = ContentType.objects.get_for_model(model)
                readable = self.get_base_queryset().filter(content_type=content_type)
                queryset = model.objects.filter(pk__in=readable.values("pk"))
            return queryset.select_related("locale").order_by("path")
        queryset = self.get_base_queryset()
        if models:
            queryset = queryset.type(*models)
        return queryset.select_related("locale").order_by("path")

    def _requested_models(self) -> list:
        value = self.request.GET.get("type", "")
        if not value:
            return []
        try:
            models = page_models_from_string(value)
        except (LookupError, ValueError) as error:
            raise BadRequestError(_("type doesn't exist")) from error
        # A type the API does not expose does not exist for it.
        if any(model not in EXPOSED_TYPES for model in models):
            raise BadRequestError(_("type doesn't exist"))
        return list(models)

    def get_object(self):
        if not hasattr(self, "_cached_object"):
            page = self.get_base_queryset().filter(pk=self.kwargs["pk"]).first()
            if page is None:
                raise Http404(_("No page matches the given query."))
            model = page.specific_class
            if is_item_model(model):
                # The byline's author and profile and the tags, loaded with it.
                page = self._item_queryset(model).select_related("locale").get(pk=page.pk)
            else:
                # As ``page.specific`` would, with the locale (``language``) joined.
                page = model.objects.select_related("locale").get(pk=page.pk)
            self._cached_object = page
        return self._cached_object

    @staticmethod
    def _item_queryset(model) -> QuerySet:
        queryset = model.objects.select_related("author__profile", "rating_summary")
        queryset = queryset.prefetch_related("tags")
        if hasattr(model, "condition"):
            queryset = queryset.select_related("condition")
        return queryset


def _hidden_types() -> list[int]:
    """The content types of every page type the API does not expose (the tree's root's too)."""
    exposed = set(EXPOSED_TYPES)
    hidden = [model for model in get_page_models() if model not in exposed]
    return [
        content_type.pk for content_type in ContentType.objects.get_for_models(*hidden).values()
    ]


def _unrestricted_collections() -> QuerySet:
    """Collections with no view restriction on them or on any collection above them."""
    restricted = Collection.objects.none()
    for restriction in CollectionViewRestriction.objects.select_related("collection"):
        restricted = restricted | Collection.objects.descendant_of(
            restriction.collection, inclusive=True
        )
    return Collection.objects.exclude(pk__in=restricted.values("pk"))


def _used_on_readable_pages(model) -> Exists:
    """Whether an object of ``model`` is referenced by a page a visitor may read.

    Wagtail's reference index records what each page's own row references:
    for a live page its published version (a draft's newer images are in its
    revision, not in the row). Asked from the object's few references to the
    pages that hold them (not from every readable page: 230 ms at 100,000 items).
    """
    readable = readable_content(user=VISITOR, queryset=Page.objects.all()).filter(
        pk=Cast(OuterRef("object_id"), IntegerField())
    )
    return Exists(
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(model),
            to_object_id=Cast(OuterRef("pk"), CharField()),
            base_content_type=ContentType.objects.get_for_model(Page),
        ).filter(Exists(readable))
    )


class PublishedFilesMixin(VisitorViewMixin):
    """Images and documents a visitor can already reach: used on a readable page, not restricted."""

    filter_backends = [CheckedFieldsFilter, NoRandomOrdering]
    known_query_parameters = BaseAPIViewSet.known_query_parameters - {
        "search",
        "search_operator",
    }

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        fields = super().get_available_fields(model, db_fields_only=db_fields_only)
        if db_fields_only:
            return [field for field in fields if field in ("id", "title")]
        return fields

    def get_queryset(self):
        # Built once per request: its restrictions are read as it is built.
        if not hasattr(self, "_files"):
            self._files = (
                self.model.objects.filter(collection__in=_unrestricted_collections())
                .filter(_used_on_readable_pages(self.model))
                .order_by("id")
            )
        return self._files.all()

    def get_object(self):
        if not hasattr(self, "_cached_object"):
            found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
            if found is None:
                raise Http404(_("No item matches the given query."))
            self._cached_object = found
        return self._cached_object


class PublicImagesAPIViewSet(PublishedFilesMixin, ImagesAPIViewSet):
    """``/api/v2/images/``: images shown on a page a visitor may read.

    No ``download_url``: that is the original upload, which may carry the
    camera's metadata (place, time, device) that the renditions the pages show
    leave out. No ``tags``: editors' labels, and a query per image.
    """

    model = get_image_model()
    meta_fields = ["type", "detail_url"]
    listing_default_fields = ["id", "type", "detail_url", "title", "width", "height"]
    nested_default_fields = ["id", "type", "detail_url", "title"]


class PublicDocumentsAPIViewSet(PublishedFilesMixin, DocumentsAPIViewSet):
    """``/api/v2/documents/``: documents linked from a page a visitor may read."""

    model = get_document_model()
    # No ``tags``: editors' labels, and a query per document.
    meta_fields = ["type", "detail_url", "download_url"]
    listing_default_fields = ["id", "type", "detail_url", "title", "download_url"]
    nested_default_fields = ["id", "type", "detail_url", "title", "download_url"]
