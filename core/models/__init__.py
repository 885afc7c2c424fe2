"""Models shared by every section: home, the content parent, mixins, taxonomy, the outbox."""

from .background import OutboundEmail, WorkerHeartbeat
from .content import ContentPage, ContentPageTag
from .home import HomePage
from .information import InformationPage
from .mixins import (
    AuthorshipMixin,
    BodyMixin,
    IntroMixin,
    MedicalReviewMixin,
    SummaryMixin,
)
from .sections import SectionIndexPage
from .site_settings import CommunitySettings
from .submissions import SubmissionReceipt
from .taxonomy import Condition

__all__ = [
    "AuthorshipMixin",
    "BodyMixin",
    "CommunitySettings",
    "Condition",
    "ContentPage",
    "ContentPageTag",
    "HomePage",
    "InformationPage",
    "IntroMixin",
    "MedicalReviewMixin",
    "OutboundEmail",
    "SectionIndexPage",
    "SubmissionReceipt",
    "SummaryMixin",
    "WorkerHeartbeat",
]
