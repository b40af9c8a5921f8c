"""Automations in Home Assistant syntax: triggers, conditions, actions, traces, templates.

The section is set up by :mod:`hub.automation.component`; :mod:`hub.automation.engine` holds
the loaded automations; :mod:`hub.automation.templates` renders Jinja2 templates.
"""
