"""schema.org structured data (JSON-LD) for the pages of public items (issue 18).

Crawlers read it; it says nothing a visitor does not read on the page itself:

- only on an item a visitor may read (``core.selectors.page_readable_by`` with
  an anonymous reader), served as the live page (never a draft or a preview),
  so a member reading a members-only or community item gets no markup at all;
- a member is named only where their profile is public, by the name the byline
  shows, with the profile's address; an anonymous item (or question) names no
  author, not even its pseudonym; an expert and a medical reviewer are named as
  the page names them;
- the medical review is the one the review workflow recorded on the live
  revision (``MedicalReviewMixin``: the approval of the medical step,
  ``moderation.workflow.publish_reviewed``).

Plain functions from a page to a dict; ``json_ld`` renders one for a ``<script>``
element, escaped so that nothing in a title or name can close it. They read only
what the page loads anyway (its author and profile for the byline, an expert
article's reviewer for its review line, a question's answers for the list), so
the markup adds no query to an item page.
"""

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Site

from blogs.models import BlogPage, ExpertArticlePage
from core.languages import language_of
from core.models import Audience, ContentPage
from core.routing import is_routed
from core.selectors import page_readable_by
from experience_stories.models import ExperienceStoryPage
from questions.models import QuestionPage
from social.selectors import author_profile

SCHEMA_ORG = "https://schema.org"
# The text of a question or an answer: the words, without markup, this long at most.
MAX_TEXT = 5000
# As Django's ``json_script``: nothing in the data can close the script element
# (``</script>``), open a comment (``<!--``) or start an entity.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# The schema.org type of each kind of item; other pages carry none.
ITEM_TYPES: dict[type[ContentPage], str] = {
    ExpertArticlePage: "MedicalWebPage",
    BlogPage: "BlogPosting",
    ExperienceStoryPage: "Article",
    QuestionPage: "QAPage",
}


def item_structured_data(
    page: ContentPage, *, request: HttpRequest | None, qa: Any = None
) -> dict | None:
    """The schema.org data of the item ``page`` as a visitor reads it; None where it has none.

    None unless ``page`` is one of ``ITEM_TYPES``, is the live page the router
    fetched (not a draft or preview) and a visitor may read it. ``qa`` is a
    question page's ``QuestionPageView`` (its answers); a question without one
    carries none.
    """
    item_type = ITEM_TYPES.get(type(page))
    if item_type is None or not is_routed(page):
        return None
    if request is not None and getattr(request, "is_preview", False):
        return None
    if not page_readable_by(user=AnonymousUser(), page=page):
        return None
    site = Site.find_for_request(request) if request is not None else None
    data = _page_data(page, item_type=item_type, request=request, site=site)
    if isinstance(page, QuestionPage):
        if qa is None:
            return None
        data["mainEntity"] = _question(page, qa, request=request, site=site)
    elif isinstance(page, ExpertArticlePage):
        _add(data, "author", _expert_author(page, request=request, site=site))
        _add_medical_review(data, page, site=site)
    else:
        _add(data, "author", _member_author(page, request=request, site=site))
    return data


def json_ld(data: dict) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` element, escaped like json_script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # <, > and & as \u escapes (as json_script does): the text cannot close the
    # element, open a comment or an entity, and parses back to the same data.
    escaped = text.translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))  # noqa: S308


def _page_data(
    page: ContentPage, *, item_type: str, request: HttpRequest | None, site: Site | None
) -> dict:
    """What every item's page says of itself: title, summary, dates, address, language,
    and the site that publishes it."""
    data = {
        "@context": SCHEMA_ORG,
        "@type": item_type,
        "headline": page.title,
        "description": page.summary,
        "url": page.get_full_url(request=request),
    }
    _add(data, "datePublished", _datetime(page.first_published_at))
    _add(data, "dateModified", _datetime(page.last_published_at or page.first_published_at))
    data["inLanguage"] = _language(page)
    data["publisher"] = _publisher(site)
    return data


def _add(data: dict, key: str, value: Any) -> None:
    if value not in (None, "", []):
        data[key] = value


def _datetime(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _language(page: ContentPage) -> str:
    """The item's language as a BCP 47 tag ("en-GB", "de"): its locale (issue 18).

    The routing query fetches the locale with the page (``core.routing``), so
    this reads no row of its own on an item's page.
    """
    language, _, region = language_of(page).partition("-")
    return f"{language}-{region.upper()}" if region else language


def _publisher(site: Site | None) -> dict:
    """The site as an ``Organization``: its name and its home's address."""
    name = (site.site_name if site is not None else "") or getattr(
        settings, "WAGTAIL_SITE_NAME", "Kindred"
    )
    publisher = {"@type": "Organization", "name": name}
    if site is not None:
        publisher["url"] = f"{site.root_url}/"
    return publisher


def _absolute(path: str, *, request: HttpRequest | None, site: Site | None) -> str:
    if site is not None:
        return f"{site.root_url}{path}"
    return request.build_absolute_uri(path) if request is not None else path


def _public_profile_url(
    page: ContentPage, *, request: HttpRequest | None, site: Site | None
) -> str | None:
    """The address of the author's profile if a visitor may see it (the byline's link),
    else None; None for an anonymous item. Loads the author and profile the byline
    reads next (``author_profile`` keeps them on the page)."""
    profile = author_profile(viewer=AnonymousUser(), item=page)
    if profile is None:
        return None
    return _absolute(profile.get_absolute_url(), request=request, site=site)


def _member_author(
    page: ContentPage, *, request: HttpRequest | None, site: Site | None
) -> dict | None:
    """The member who wrote ``page``, only where their profile is public: the byline's
    name and the profile's address. None for an anonymous item or a hidden profile."""
    profile_url = _public_profile_url(page, request=request, site=site)
    if profile_url is None:
        return None
    return {"@type": "Person", "name": page.byline, "url": profile_url}


def _expert_author(
    page: ExpertArticlePage, *, request: HttpRequest | None, site: Site | None
) -> dict | None:
    """The clinician who wrote an expert article, as its byline names them (with their
    credentials); their profile's address only where it is public."""
    if page.is_anonymous or page.author_id is None:
        return None
    profile_url = _public_profile_url(page, request=request, site=site)
    if page.author is None:
        return None
    author = {"@type": "Person", "name": page.byline}
    _add(author, "jobTitle", page.credentials)
    _add(author, "url", profile_url)
    return author


def _add_medical_review(data: dict, page: ExpertArticlePage, *, site: Site | None) -> None:
    """``reviewedBy`` and ``lastReviewed`` from the medical approval of the live version.

    The reviewer as the review line names them; a reviewer whose account is
    gone as the site's medical team (the line says "a Kindred medical
    reviewer"). Nothing when the live version had no medical approval.
    """
    if page.medically_reviewed_at is None:
        return
    reviewer = page.medically_reviewed_by
    if reviewer is not None:
        data["reviewedBy"] = {"@type": "Person", "name": reviewer.public_name}
    else:
        data["reviewedBy"] = _publisher(site)
    data["lastReviewed"] = timezone.localdate(page.medically_reviewed_at).isoformat()


def plain_text(body: Any, *, fallback: str = "") -> str:
    """The words of a body StreamField without markup, at most ``MAX_TEXT`` characters."""
    if not body:
        return fallback
    parts = body.stream_block.get_searchable_content(body)
    text = " ".join(strip_tags(str(part)) for part in parts if part)
    return " ".join(text.split())[:MAX_TEXT] or fallback


def _question(
    page: QuestionPage, qa: Any, *, request: HttpRequest | None, site: Site | None
) -> dict:
    """The ``Question`` of a public question page with the answers a visitor reads there."""
    answers = [view for view in qa.answers if _public_answer(view.answer)]
    question = {
        "@type": "Question",
        "name": page.title,
        "text": plain_text(page.body, fallback=page.summary),
        "answerCount": len(answers),
    }
    _add(question, "dateCreated", _datetime(page.first_published_at))
    _add(question, "author", _member_author(page, request=request, site=site))
    page_url = page.get_full_url(request=request)
    accepted = [view for view in answers if view.is_accepted]
    suggested = [view for view in answers if not view.is_accepted]
    if accepted:
        question["acceptedAnswer"] = _answer(accepted[0], page_url=page_url)
    if suggested:
        question["suggestedAnswer"] = [_answer(view, page_url=page_url) for view in suggested]
    return question


def _public_answer(answer: ContentPage) -> bool:
    """Whether a visitor reads ``answer`` under its public question: the answers were read
    for this reader (published, unrestricted), and an answer's audience is its question's;
    this keeps a member's reading of the page from ever adding one that is not for everyone."""
    return answer.live and answer.audience == Audience.EVERYONE


def _answer(view: Any, *, page_url: str) -> dict:
    """One published answer as the question page shows it (``AnswerView``)."""
    answer = view.answer
    data = {
        "@type": "Answer",
        "text": plain_text(answer.body, fallback=answer.summary),
        "upvoteCount": view.helpful_count,
        # Where it is read: its place under the question (its own address redirects there).
        "url": f"{page_url}#answer-{answer.pk}",
    }
    _add(data, "dateCreated", _datetime(answer.first_published_at))
    if answer.author is not None:
        # As the answer's byline names the expert.
        data["author"] = {"@type": "Person", "name": answer.author.public_name}
    return data
