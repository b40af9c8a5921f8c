"""Plain-language explanations for YAML syntax errors, with the line to look at."""

from __future__ import annotations

import yaml

_PREFIX = "invalid YAML: "


def _line(mark: yaml.Mark | None) -> int | None:
    return None if mark is None else mark.line + 1


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _explain(err: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    problem = err.problem or ""
    context = err.context or ""
    at_problem = _line(err.problem_mark) or _line(err.context_mark)
    at_context = _line(err.context_mark) or at_problem
    if "mapping values are not allowed" in problem:
        return at_problem, (
            "a ':' is not allowed here; wrap a value that contains ': ' in quotes, "
            "or check the line above for a missing ':' or wrong indentation"
        )
    if "cannot start any token" in problem:
        char = _char_at(text, err.problem_mark)
        if char == "\t":
            return at_problem, "tab character; indent with spaces, not tabs"
        return at_problem, f"a value cannot start with '{char}'; wrap the value in quotes"
    if "escape character" in problem:
        return at_problem, (
            "unknown escape sequence in a double-quoted value; "
            "use single quotes for text with backslashes"
        )
    if "quoted scalar" in context:
        return at_context, "this quoted value is never closed; add the closing quote"
    if "flow mapping" in context:
        return at_context, "this '{' is never closed; add the matching '}'"
    if "flow sequence" in context:
        return at_context, "this '[' is never closed; add the matching ']'"
    if "block mapping" in context:
        return at_problem, "bad indentation; line this key up with the keys above it"
    if "block collection" in context:
        return at_problem, "bad indentation; line this entry up with the list items above it"
    if "single document" in context:
        return at_problem, "only one YAML document is allowed per file; remove the '---' line"
    if "undefined alias" in problem:
        return (
            at_problem,
            "this alias ('*name') has no anchor ('&name') above it",
        )
    detail = f"{problem} ({context})" if problem and context else problem or context
    return at_problem, detail


def explain_yaml_error(err: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """Return the 1-based line to point at and a message that says what to fix."""
    line, message = _explain(err, text)
    return line, _PREFIX + message
