"""Request input to search parameters: hostile or malformed input falls back, never raises."""

from django.http import QueryDict

from search.params import MAX_PAGE, SearchParams, clean_query, search_params, search_terms


def test_clean_query_strips_control_characters_and_bounds_the_length():
    assert clean_query("  heat\x00and\u202efatigue\u200b ") == "heat and fatigue"
    assert len(clean_query("x" * 10_000)) == 200
    assert clean_query(["a list"]) == ""
    assert clean_query(None) == ""


def test_search_terms_reach_no_backend_query_syntax():
    assert search_terms('"fatigue" AND (heat* -cold) title:x ^2') == "fatigue AND heat cold title 2"
    assert search_terms("a walk in a park") == "walk in park"
    assert search_terms("a") == "a"
    assert search_terms("!!! ***") == ""
    assert len(search_terms(" ".join(f"w{n}" for n in range(100))).split()) == 16


def test_search_params_fall_back_to_defaults_on_bad_input():
    data = QueryDict(
        "q=heat&type=nonsense&tag=<b>&condition=ok-slug&sort=drop&page=abc&sort[]=x", mutable=True
    )

    params = search_params(data)

    assert params == SearchParams(query="heat", condition="ok-slug")
    assert search_params({"q": "x", "page": "-3"}).page == 1
    assert search_params({"q": "x", "page": "10" * 20}).page == MAX_PAGE
    assert search_params({"q": "x", "type": "story", "sort": "rating"}).url_params() == {
        "q": "x",
        "type": "story",
        "sort": "rating",
    }
