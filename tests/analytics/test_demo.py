"""The demo fills both analytics pages, with some counts of people large enough to show."""

import csv
import io

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from portal.demo.seed import demo_seed

pytestmark = pytest.mark.django_db


def test_the_demo_fills_both_pages(client):
    demo_seed()
    demo_seed()  # a second run adds no readers
    assert get_user_model().objects.filter(username__startswith="reader").count() == 8
    client.force_login(get_user_model().objects.get(username="manager"))

    weeks = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("kindred_analytics:community"), {"download": "community-weeks"}
                ).content.decode()
            )
        )
    )
    searches = client.get(
        reverse("kindred_analytics:community"), {"download": "zero-result-searches"}
    ).content.decode()
    review = client.get(reverse("kindred_analytics:review"), {"download": "decision-times"})

    active = [row[1] for row in weeks[1:]]
    assert any(value.isdigit() and int(value) >= 5 for value in active)
    assert "cooling vest" in searches and "blue badge parking" in searches
    assert len(list(csv.reader(io.StringIO(review.content.decode())))) > 1
