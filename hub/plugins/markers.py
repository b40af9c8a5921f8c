"""pluggy markers for the ``fieldhub`` project."""

from __future__ import annotations

from typing import Final

import pluggy

PROJECT_NAME: Final = "fieldhub"
ENTRY_POINT_GROUP: Final = "fieldhub.integrations"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
