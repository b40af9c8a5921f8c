"""Retry policy: which failures are retried, and when the next attempt is due."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aiohttp

from .model import DeliveryError

MAX_RETRY_AFTER = 24 * 3600.0
"""A server's ``Retry-After`` beyond this (seconds) is capped."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``schedule[n]`` is the delay before attempt ``n + 1``; its length is the attempt limit.

    ``jitter`` spreads each delay by up to ± that fraction.
    """

    schedule: tuple[float, ...]
    jitter: float = 0.1

    @property
    def max_attempts(self) -> int:
        """How many attempts a delivery gets."""
        return len(self.schedule)

    def delay_before(self, attempt: int, rng: random.Random) -> float | None:
        """Seconds to wait before ``attempt`` (1-based), or ``None`` when out of attempts."""
        if attempt < 1 or attempt > len(self.schedule):
            return None
        base = self.schedule[attempt - 1]
        if base <= 0 or self.jitter <= 0:
            return max(0.0, base)
        return max(0.0, base * (1 + rng.uniform(-self.jitter, self.jitter)))


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one attempt ended."""

    ok: bool
    retry: bool = False
    disable: bool = False
    status: int | None = None
    retry_after: float | None = None
    error: str | None = None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(text)))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return min(MAX_RETRY_AFTER, max(0.0, when.timestamp() - now))


def http_status_error(
    status: int, reason: str, headers: Mapping[str, str], now: float
) -> DeliveryError | None:
    """Classify an HTTP response: ``None`` for 2xx, else the error to raise.

    429 and 5xx are transient (``Retry-After`` honoured); 410 disables the target; other
    4xx and every 3xx (redirects are not followed) are permanent.
    """
    if 200 <= status < 300:
        return None
    message = f"HTTP {status} {reason}".strip()
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(headers.get("Retry-After"), now)
        return DeliveryError(message, status=status, retry_after=retry_after)
    if status == 410:
        return DeliveryError(message, status=status, disable=True)
    return DeliveryError(message, status=status, permanent=True)


def classify(error: BaseException) -> Outcome:
    """Turn what a platform raised into an :class:`Outcome`.

    :class:`DeliveryError` says it itself; network errors and timeouts are transient; an
    error carrying an HTTP ``status`` (``aiohttp.ClientResponseError``) is judged by it;
    anything else is a permanent failure.
    """
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, DeliveryError):
        return Outcome(
            ok=False,
            retry=not error.permanent,
            disable=error.disable,
            status=error.status,
            retry_after=error.retry_after,
            error=str(error),
        )
    if isinstance(error, aiohttp.ClientResponseError):
        headers = dict(error.headers or {})
        classified = http_status_error(error.status, error.message, headers, 0.0)
        if classified is not None:
            return classify(classified)
    if isinstance(error, TimeoutError):
        return Outcome(ok=False, retry=True, error="timed out")
    if isinstance(error, aiohttp.ClientError | OSError):
        return Outcome(ok=False, retry=True, error=text)
    return Outcome(ok=False, retry=False, error=text)


DEFAULT_SCHEDULE: Sequence[float] = (
    0.0,
    5.0,
    300.0,
    1800.0,
    7200.0,
    18000.0,
    36000.0,
    50400.0,
    72000.0,
    86400.0,
)
"""Standard Webhooks' example: now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h."""
