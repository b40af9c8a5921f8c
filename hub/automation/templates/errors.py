"""The one error a template raises, whatever went wrong inside it."""

from __future__ import annotations

from hub.core.errors import HubError


class TemplateError(HubError):
    """A template that does not parse, fails while rendering, or exceeds a render limit."""
