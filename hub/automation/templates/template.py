"""``Template``: a Jinja2 source bound to a hub, rendered with limits and typed results."""

from __future__ import annotations

import contextlib
import json
import re
from ast import literal_eval
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.exceptions import SecurityError

from hub.automation.templates.environment import environment_for
from hub.automation.templates.errors import TemplateError
from hub.automation.templates.render_info import (
    CURRENT_BUDGET,
    DEFAULT_LIMITS,
    RenderBudget,
    RenderInfo,
    TemplateLimits,
)

if TYPE_CHECKING:
    from hub.core.hub import Hub

_IS_NUMERIC = re.compile(r"^[+-]?(?!0\d)\d*(?:\.\d*)?(?:[eE][+-]?\d+)?$")
_MAX_LITERAL = 10_000
_MARKERS = ("{{", "{%", "{#")


def is_template_string(value: str) -> bool:
    """True if ``value`` contains Jinja2 markup."""
    return any(marker in value for marker in _MARKERS)


def parse_result(text: str) -> Any:
    """Turn rendered text into a number, boolean, list or mapping when it is exactly one.

    ``"42"`` → ``42``, ``"True"`` → ``True``, ``"[1, 2]"`` → ``[1, 2]``; text with a
    leading zero (``"0123"``) or anything else stays text, as in Home Assistant.
    """
    stripped = text.strip()
    if not stripped or len(stripped) > _MAX_LITERAL:
        return stripped
    try:
        result = literal_eval(stripped)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return stripped
    if isinstance(result, str | complex | bytes):
        return stripped
    if (
        isinstance(result, int | float)
        and not isinstance(result, bool)
        and _IS_NUMERIC.match(stripped) is None
    ):
        return stripped
    return result


class Template:
    """A template source bound to ``hub``; compiled on first render and cached.

    ``render`` returns parsed results (see :func:`parse_result`); a failure of any kind
    (syntax, a missing default, a sandbox violation, a limit) raises :class:`TemplateError`.
    """

    __slots__ = ("_compiled", "hub", "is_static", "limits", "source")

    def __init__(self, source: str, hub: Hub, *, limits: TemplateLimits = DEFAULT_LIMITS) -> None:
        self.source = str(source)
        self.hub = hub
        self.limits = limits
        self.is_static = not is_template_string(self.source)
        self._compiled: jinja2.Template | None = None

    def __repr__(self) -> str:
        return f"<Template {self.source!r}>"

    def ensure_valid(self) -> None:
        """Compile now; raise :class:`TemplateError` on a syntax error."""
        self._compile()

    def _compile(self) -> jinja2.Template:
        if self._compiled is None:
            try:
                self._compiled = environment_for(self.hub).from_string(self.source)
            except jinja2.TemplateSyntaxError as err:
                raise TemplateError(
                    f"invalid template (line {err.lineno}): {err.message}"
                ) from None
        return self._compiled

    def render_text(self, variables: Mapping[str, Any] | None = None) -> str:
        """Render to text without parsing the result."""
        return self.render_with_info(variables, parse=False)[0]  # type: ignore[no-any-return]

    def render(self, variables: Mapping[str, Any] | None = None, *, parse: bool = True) -> Any:
        """Render with ``variables``; parse the text into a typed value unless ``parse=False``."""
        return self.render_with_info(variables, parse=parse)[0]

    def render_with_info(
        self, variables: Mapping[str, Any] | None = None, *, parse: bool = True
    ) -> tuple[Any, RenderInfo]:
        """Render and also return what the render read (entities, domains, time)."""
        budget = RenderBudget(self.limits)
        if self.is_static:
            return (parse_result(self.source) if parse else self.source), budget.info
        compiled = self._compile()
        token = CURRENT_BUDGET.set(budget)
        try:
            text = self._generate(compiled, variables or {})
        except TemplateError:
            raise
        except SecurityError as err:
            raise TemplateError(f"not allowed in a template: {err}") from None
        except jinja2.TemplateError as err:
            raise TemplateError(f"template error: {err}") from None
        except RecursionError:
            raise TemplateError("template recursion is too deep") from None
        except Exception as err:  # any failure inside a render is the template's failure
            raise TemplateError(f"{type(err).__name__}: {err}") from None
        finally:
            CURRENT_BUDGET.reset(token)
        return (parse_result(text) if parse else text), budget.info

    def _generate(self, compiled: jinja2.Template, variables: Mapping[str, Any]) -> str:
        limit = self.limits.max_output
        size = 0
        parts: list[str] = []
        for chunk in compiled.generate(variables):
            size += len(chunk)
            if size > limit:
                raise TemplateError(f"template output exceeds {limit} characters")
            parts.append(chunk)
        return "".join(parts)

    def render_with_value(
        self, value: Any, variables: Mapping[str, Any] | None = None, *, parse: bool = True
    ) -> Any:
        """Render with ``value`` (and ``value_json`` when it is JSON), as MQTT templates do."""
        merged = dict(variables or {})
        merged["value"] = value
        with contextlib.suppress(TypeError, ValueError):
            merged["value_json"] = json.loads(value)
        return self.render(merged, parse=parse)


def render_complex(value: Any, hub: Hub, variables: Mapping[str, Any] | None = None) -> Any:
    """Render every template string inside nested mappings and lists.

    Text without template markup is returned as written; :class:`Template` objects and
    template strings are rendered and their results parsed.
    """
    if isinstance(value, Template):
        return value.render(variables)
    if isinstance(value, str):
        if is_template_string(value):
            return Template(value, hub).render(variables)
        return value
    if isinstance(value, Mapping):
        return {
            render_complex(key, hub, variables): render_complex(item, hub, variables)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [render_complex(item, hub, variables) for item in value]
    return value
