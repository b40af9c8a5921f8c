"""Jinja2 templates in an immutable sandbox, as in Home Assistant.

``Template(source, hub).render(variables)`` renders with the hub's states and clock;
``render_complex`` renders nested data; every failure is a :class:`TemplateError`.
"""

from hub.automation.templates.environment import check_syntax
from hub.automation.templates.errors import TemplateError
from hub.automation.templates.render_info import RenderInfo, TemplateLimits
from hub.automation.templates.template import (
    Template,
    is_template_string,
    parse_result,
    render_complex,
)

__all__ = [
    "RenderInfo",
    "Template",
    "TemplateError",
    "TemplateLimits",
    "check_syntax",
    "is_template_string",
    "parse_result",
    "render_complex",
]
