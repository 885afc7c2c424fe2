"""The German check (tests/german.py) finds English where a person would read it, and only there."""

import pytest

from tests.german import assert_german, english_words


def test_an_english_sentence_is_found():
    assert [w for w, _ in english_words("<p>Save your changes</p>", content=[])] == [
        "Save",
        "your",
    ]


@pytest.mark.parametrize(
    "html",
    [
        '<input placeholder="Search the site">',
        '<button aria-label="Close the menu">×</button>',
        '<img alt="Your profile picture" src="x.png">',
        '<input type="submit" value="Send">',
        "<title>Sign in · Kindred</title>",
    ],
)
def test_spoken_attributes_and_titles_are_read(html):
    assert english_words(html, content=[])


@pytest.mark.parametrize(
    "html",
    [
        "<p>Die Seite wurde gespeichert. Was will man mehr? Also los, zum Blog und Feed.</p>",
        '<span lang="en-gb">English</span>',
        "<script>var the = 'and';</script>",
        '<p translate="no">the member</p>',
        '<input type="hidden" name="next" value="the">',
        "<!-- the comment -->",
    ],
)
def test_german_and_what_is_not_interface_pass(html):
    assert english_words(html, content=[]) == []


@pytest.mark.django_db
def test_content_strings_are_taken_out_first(member):
    assert (
        english_words("<h2>Living with fatigue: 3 Beiträge</h2>", content=["Living with fatigue"])
        == []
    )
    with pytest.raises(AssertionError, match="English left"):
        assert_german("<p>Read more</p>", allowed=("nothing",))
    member.display_name = "Member Smith"
    member.save()
    assert_german(f"<p>Beitrag von {member.display_name}</p>")
