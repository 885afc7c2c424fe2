from .pages import BlogPageFactory, ExperienceStoryPageFactory, ExpertArticlePageFactory
from .profiles import ProfileFactory
from .users import UserFactory

__all__ = [
    "BlogPageFactory",
    "ExperienceStoryPageFactory",
    "ExpertArticlePageFactory",
    "ProfileFactory",
    "UserFactory",
]
