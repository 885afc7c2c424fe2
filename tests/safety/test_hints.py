"""Personal-data hints around the detector: names, a page as text, the writer's preview,
and the writing forms that load the script (issue 15)."""

from django.urls import reverse

from wagtail.rich_text import RichText

import pytest

from safety.hints import (
    Hint,
    HintedPart,
    body_text,
    names_allowed_for,
    page_hints,
    personal_data_hints,
)
from tests.authoring.conftest import with_consent
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = 'src="/static/js/personal-data.js"'
CONFIG = f'data-personal-data-url="{reverse("safety:personal_data_hints")}"'


@pytest.fixture
def writer(portal):
    return with_consent(UserFactory(group="Members", display_name="Sarah Connolly"))


def test_the_names_a_writer_may_mention_are_their_own(portal):
    staff = UserFactory(
        username="hbarraclough", display_name="Dr B", first_name="Helen", last_name="Barraclough"
    )

    assert names_allowed_for(staff) == ["Dr B", "hbarraclough", "Helen Barraclough"]
    assert names_allowed_for(None) == []


def test_a_writer_is_told_of_others_names_not_their_own(writer):
    text = "I am Sarah Connolly; my carer Tom Whitaker drives me."

    hints = personal_data_hints(text=text, author=writer)

    assert [(h.kind, h.text) for h in hints] == [("name", "Tom Whitaker")]
    assert all(isinstance(h, Hint) for h in hints)
    named = personal_data_hints(text=text, author=writer, anonymous=True)
    assert ("name", "Sarah Connolly") in [(h.kind, h.text) for h in named]


def test_a_body_becomes_text_one_block_per_paragraph(blog_index):
    page = BlogPageFactory(
        parent=blog_index,
        body=[
            ("heading", {"text": "Who to call", "level": "h2"}),
            (
                "paragraph",
                RichText(
                    "<p>Ring <b>07700&nbsp;900123</b> &amp; ask.</p>"
                    "<ul><li>one</li><li>two</li></ul>"
                ),
            ),
            ("quote", {"text": "Call me", "attribution": "Tom Whitaker"}),
        ],
    )

    assert body_text(page) == (
        "Who to call\n\nRing 07700\xa0900123 & ask.\none\ntwo\n\nCall me\n\nTom Whitaker"
    )


def test_marked_text_is_escaped_around_and_inside_the_mark():
    text = "<i>07700 900123</i>"
    part = HintedPart(
        name="Body",
        text=text,
        hints=[Hint(start=3, end=15, text="07700 900123", kind="phone", label="Phone <number>")],
    )

    assert str(part.highlighted) == (
        '&lt;i&gt;<mark class="pd-mark" id="pd-hint-body-1" title="Phone &lt;number&gt;">'
        "07700 900123</mark>&lt;/i&gt;"
    )


def test_page_hints_check_title_summary_and_body(blog_index, writer):
    page = BlogPageFactory(
        parent=blog_index,
        author=writer,
        title="Call 07700 900123",
        summary="Mail jo@example.org",
        body=[("paragraph", RichText("<p>Born on 3 March 1980.</p>"))],
    )

    parts = page_hints(page=page)

    assert [(p.name, [h.kind for h in p.hints]) for p in parts] == [
        ("Title", ["phone"]),
        ("Summary", ["email"]),
        ("Body", ["date_of_birth"]),
    ]


# --- The writer's preview shows them without JavaScript ---


def test_the_preview_lists_the_hints(client, writer, story_index):
    story = ExperienceStoryPageFactory(
        parent=story_index,
        author=writer,
        publish=False,
        title="My week",
        body=[("paragraph", RichText("<p>Ring me on 07700 900123. I am Sarah Connolly.</p>"))],
    )
    client.force_login(writer)

    html = client.get(reverse("authoring:preview", args=[story.pk])).content.decode()

    assert 'id="personal-data-hints"' in html
    assert "Body: this looks like personal data:" in html
    assert (
        '<span class="pd-label">Phone number</span> <span class="pd-text">“07700 900123”</span>'
        in (html)
    )
    assert "“Sarah Connolly”" not in html


def test_a_preview_without_personal_data_says_nothing(client, writer, story_index):
    story = ExperienceStoryPageFactory(parent=story_index, author=writer, publish=False)
    client.force_login(writer)

    html = client.get(reverse("authoring:preview", args=[story.pk])).content.decode()

    assert "personal-data-hints" not in html


def test_a_published_page_shows_no_hints(client, writer, story_index):
    story = ExperienceStoryPageFactory(
        parent=story_index,
        author=writer,
        body=[("paragraph", RichText("<p>Ring me on 07700 900123.</p>"))],
    )
    client.force_login(writer)

    html = client.get(story.url).content.decode()

    assert "personal-data-hints" not in html


# --- The writing forms load the script ---


@pytest.mark.parametrize("kind", ["blog", "story"])
def test_the_writing_forms_load_the_script(client, writer, portal, kind):
    client.force_login(writer)

    html = client.get(reverse("authoring:write_new", args=[kind])).content.decode()

    assert SCRIPT in html
    assert CONFIG in html
    # Inside the form, so the script finds the fields it checks.
    start = html.index('<form method="post" class="form"')
    form = html[start : html.index("</form>", start)]
    assert CONFIG in form


def test_the_edit_form_loads_the_script(client, writer, blog_index):
    post = BlogPageFactory(parent=blog_index, author=writer, publish=False)
    client.force_login(writer)

    html = client.get(reverse("authoring:edit", args=[post.pk])).content.decode()

    assert SCRIPT in html and CONFIG in html


def test_the_ask_page_loads_the_script(client, writer, question_index):
    client.force_login(writer)

    html = client.get(reverse("questions:ask")).content.decode()

    assert SCRIPT in html and CONFIG in html
