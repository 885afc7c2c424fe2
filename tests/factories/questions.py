import factory

from questions.models import AnswerPage, ExpertVerification, QuestionPage

from .pages import ContentPageFactory, letters
from .users import UserFactory


class QuestionPageFactory(ContentPageFactory):
    """A question under ``parent`` (the Questions section); ``conditions=[...]`` sets them
    before its first revision, so they are part of what is published."""

    # In letters, as ContentPageFactory's titles: no number that looks like personal data.
    title = factory.Sequence(lambda n: f"Can I keep working with MS, question {letters(n)}?")
    summary = "I was diagnosed last year and wonder how others manage their jobs."

    class Meta:
        model = QuestionPage


class AnswerPageFactory(ContentPageFactory):
    """An answer under ``parent`` (its question): the question's title and audience unless given."""

    summary = "A verified clinician's answer."

    class Meta:
        model = AnswerPage

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        kwargs["title"] = f"Answer to {parent.title}"
        kwargs["slug"] = f"answer-{AnswerPage.objects.count() + 1}"
        kwargs.setdefault("audience", parent.audience)
        kwargs.setdefault("community", parent.community)
        return super()._create(model_class, *args, parent=parent, **kwargs)


class ExpertVerificationFactory(factory.django.DjangoModelFactory):
    """The verification record of a clinician (``user``: someone in the Experts group)."""

    class Meta:
        model = ExpertVerification
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, group="Experts")
    profession = "Neurologist"
    registration_body = "General Medical Council"
    registration_number = factory.Sequence(lambda n: f"GMC{7000000 + n}")

    @factory.post_generation
    def conditions(verification, create, extracted, **kwargs):
        if create and extracted:
            verification.conditions.set(extracted)
