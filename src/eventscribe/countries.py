"""Countries as users type them: "IRQ", "iq", "Iraq", "Côte d'Ivoire" -> ISO 3166 alpha-3.

The store keeps alpha-3 codes; the command line (`events --country`) and the API
(`?country=`) accept a code or a name and refuse anything else with a suggestion, so a
filter never answers with a silent empty list.
"""

from __future__ import annotations

import difflib
from functools import lru_cache


class UnknownCountry(ValueError):
    """Not a country code or name; ``suggestion`` is the closest name's (code, name), if any."""

    def __init__(self, value: str, suggestion: tuple[str, str] | None) -> None:
        hint = f" (did you mean {suggestion[0]}, {suggestion[1]}?)" if suggestion else ""
        super().__init__(f"no country {value!r}: give an ISO 3166 alpha-3 code such as IRQ or a country name{hint}")
        self.suggestion = suggestion


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, str]]:
    import pycountry

    out: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name:
                out[name.lower()] = (c.alpha_3, getattr(c, "common_name", None) or c.name)
    return out


@lru_cache(maxsize=1024)
def resolve_country(value: str) -> str:
    """The alpha-3 code for a code (alpha-2/alpha-3/numeric) or name; :class:`UnknownCountry`
    otherwise."""
    import pycountry

    text = value.strip()
    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        pass
    close = difflib.get_close_matches(text.lower(), _names(), n=1, cutoff=0.75)
    raise UnknownCountry(value, _names()[close[0]] if close else None)


def country_names() -> list[tuple[str, str]]:
    """(alpha-3, name) of every country, by name: for pickers."""
    return sorted({v for v in _names().values()}, key=lambda v: v[1])
