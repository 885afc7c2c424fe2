"""Reading rendered pages in tests."""

import re

# Each render masks the CSRF token (the header's log-out form has one) afresh:
# 64 random letters and digits, which may spell any short word.
CSRF_TOKEN_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def without_csrf_tokens(content: str | bytes) -> str:
    """The page's text with its CSRF token values taken out, so two renders compare equal."""
    if isinstance(content, bytes):
        content = content.decode()
    return CSRF_TOKEN_VALUE.sub("", content)
