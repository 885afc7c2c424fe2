from django.apps import AppConfig


class ExperienceStoriesConfig(AppConfig):
    name = "experience_stories"
    verbose_name = "Experience stories"
