from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = "Ask an expert"

    def ready(self) -> None:
        # Experts hear of new questions in their areas, askers of answers.
        from . import signals

        signals.connect()
