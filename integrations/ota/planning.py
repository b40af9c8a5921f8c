"""Choosing a rollout's devices and splitting them into groups (canary first)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

from hub.api import DeviceEntry


def select_targets(
    devices: Sequence[DeviceEntry],
    *,
    model: str,
    area: str | None = None,
    device_ids: Sequence[str] | None = None,
    percentage: float = 100.0,
) -> list[DeviceEntry]:
    """Devices of ``model`` (in ``area``, among ``device_ids``), then ``percentage`` of them.

    The order is a stable hash of the device id, so the same share picks the same devices
    and canaries are not always the oldest devices.
    """
    wanted = set(device_ids) if device_ids is not None else None
    matching = [
        d
        for d in devices
        if d.model == model
        and (area is None or d.area == area)
        and (wanted is None or d.id in wanted)
    ]
    matching.sort(key=lambda d: hashlib.sha256(d.id.encode()).digest())
    keep = math.ceil(len(matching) * percentage / 100.0)
    return matching[:keep]


def split_groups(
    device_ids: Sequence[str], canary: tuple[str, float], cumulative: Sequence[float]
) -> list[list[str]]:
    """Canary group (a count or a share) then groups reaching ``cumulative`` % of all devices."""
    total = len(device_ids)
    kind, value = canary
    first = math.ceil(total * value / 100.0) if kind == "percent" else int(value)
    bounds = [min(first, total)]
    for share in cumulative:
        bounds.append(max(bounds[-1], min(total, math.ceil(total * share / 100.0))))
    bounds[-1] = total
    groups: list[list[str]] = []
    start = 0
    for end in bounds:
        if end > start:
            groups.append(list(device_ids[start:end]))
            start = end
    return groups
