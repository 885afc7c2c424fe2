from wagtail import hooks

from authoring.kinds import WRITING_KINDS

from .kinds import ANSWER, QUESTION


@hooks.register(WRITING_KINDS)
def question_kinds():
    return [QUESTION, ANSWER]
