"""The one backoff of the package: between a write that lost a race and its next attempt, and
between the retries of what DynamoDB left unprocessed."""

import random
import time


def backoff(attempt: int, base: float = 0.02, cap: float = 1.0) -> None:
    """Sleep before attempt `attempt + 1`: exponential, with full jitter so that writers that
    collided do not collide again in step."""
    time.sleep(random.uniform(0, min(cap, base * 2**attempt)))  # noqa: S311
