"""The addresses of asking, answering and thanking. The Questions section and each
question are Wagtail pages (/questions/, /questions/<slug>/); ``ask`` is a slug
no question takes (``questions.models.RESERVED_SLUGS``)."""

from django.urls import path

from .views import answering, asking

app_name = "questions"

urlpatterns = [
    # Members (views/asking.py)
    path("questions/ask/", asking.ask, name="ask"),
    path("answers/<int:pk>/accept/", asking.accept, name="accept"),
    path("answers/<int:pk>/helpful/", asking.helpful, name="helpful"),
    # Verified clinicians (views/answering.py)
    path("experts/questions/", answering.open_questions, name="open"),
    path("experts/questions/<int:pk>/claim/", answering.claim, name="claim"),
    path("experts/questions/<int:pk>/release/", answering.release, name="release"),
    path("experts/questions/<int:pk>/answer/", answering.answer, name="answer"),
    path("experts/areas/", answering.areas, name="areas"),
]
