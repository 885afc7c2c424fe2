from .pages import BlogPageFactory, ExperienceStoryPageFactory, ExpertArticlePageFactory
from .users import UserFactory

__all__ = [
    "BlogPageFactory",
    "ExperienceStoryPageFactory",
    "ExpertArticlePageFactory",
    "UserFactory",
]
