from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import factory
from allauth.account.models import EmailAddress

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``UserFactory(group="Editors")`` also puts them in that group.

    The email address is recorded as allauth's verified primary address, as if
    confirmed, because mandatory verification refuses sign-in otherwise.
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def group(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))
        if create:
            user.save()

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create and user.email and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
