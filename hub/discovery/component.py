"""The ``discovery:`` section: the zeroconf browser that feeds integrations' discoveries.

.. code-block:: yaml

    discovery:
      enabled: true
      interfaces: [192.168.1.10]   # default: every interface
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from zeroconf import InterfaceChoice

from hub.config import cv
from hub.discovery.zeroconf_browser import (
    ZEROCONF_BROWSER,
    Interfaces,
    ZeroconfBrowser,
    service_types_by_domain,
)

if TYPE_CHECKING:
    from hub.core.hub import Hub

_LOGGER = logging.getLogger(__name__)

CONFIG_SCHEMA = vol.Schema(
    vol.All(
        cv.empty_mapping,
        {
            vol.Optional("enabled", default=True): cv.boolean,
            vol.Optional("interfaces", default=list): vol.All(cv.ensure_list, [cv.string]),
        },
    )
)


def interfaces_from_config(config: dict[str, Any]) -> Interfaces:
    """The zeroconf interface choice for a validated section (all interfaces by default)."""
    addresses: list[str] = list(config["interfaces"])
    return addresses or InterfaceChoice.All


async def async_setup(hub: Hub, config: dict[str, Any] | None) -> None:
    """Start browsing the service types listed by the installed integrations."""
    section = CONFIG_SCHEMA(config or {})
    if not section["enabled"]:
        _LOGGER.info("Zeroconf discovery is disabled")
        return
    owners = service_types_by_domain(hub.plugins.manifests())
    browser = ZeroconfBrowser(hub, owners, interfaces=interfaces_from_config(section))
    hub.data[ZEROCONF_BROWSER] = await hub.enter(browser)

    async def forget() -> None:
        hub.data.pop(ZEROCONF_BROWSER)

    hub.on_stop(forget)
