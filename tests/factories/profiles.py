import factory

from social.models import Profile
from social.services import profile_get_or_create

from .users import UserFactory


class ProfileFactory(factory.django.DjangoModelFactory):
    """A profile made by the real service (so its handle is a real one).

    ``ProfileFactory(user=member, visibility="everyone", conditions=[...])``.
    """

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    bio = "Diagnosed in 2019. Cyclist, slowly."
    visibility = Profile.Visibility.MEMBERS

    @classmethod
    def _create(cls, model_class, *args, user, **kwargs):
        profile = profile_get_or_create(user=user)
        for name, value in kwargs.items():
            setattr(profile, name, value)
        profile.save()
        return profile

    @factory.post_generation
    def conditions(profile, create, extracted, **kwargs):
        if create and extracted:
            profile.conditions.set(extracted)
