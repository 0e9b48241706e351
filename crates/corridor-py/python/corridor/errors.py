"""The exceptions of the corridor package.

Every error the library reports is a :class:`CorridorError`; the two a caller usually handles
have classes of their own:

* :class:`BadInput`: the query itself is wrong (an unknown place, country code, passage or mode,
  a place that cannot be attached to the network with the allowed modes, an origin inside an
  avoided country...). Also a :class:`ValueError`. ``suggestions`` lists the closest known place
  names for an unknown place.
* :class:`NoRoute`: the query is valid but no route satisfies its constraints. ``hint`` says, when
  the planner finds one, which single exclusion blocks every route.

The exceptions pickle with their attributes, so they cross process boundaries (Dask workers).
"""

from __future__ import annotations

from typing import Iterable, List, Optional

__all__ = ["CorridorError", "BadInput", "NoRoute"]


class CorridorError(Exception):
    """Any error of the corridor library (a corrupt network file, a stopped computation...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.message,))


class BadInput(CorridorError, ValueError):
    """The query is invalid; ``suggestions`` holds the closest place names for an unknown place."""

    def __init__(self, message: str, suggestions: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.suggestions: List[str] = list(suggestions)

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.message, self.suggestions))


class NoRoute(CorridorError):
    """No route satisfies the constraints; ``hint`` names the exclusion that blocks it, if known."""

    def __init__(
        self,
        message: str,
        origin: Optional[str] = None,
        destination: Optional[str] = None,
        hint: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.origin = origin
        self.destination = destination
        self.hint = hint

    def __reduce__(self):  # type: ignore[override]
        return (type(self), (self.message, self.origin, self.destination, self.hint))
