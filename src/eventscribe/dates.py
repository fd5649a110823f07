"""Date expressions in news sentences, resolved against the publication date.

News text dates events mostly relative to the day the article appeared ("on
Friday", "yesterday", "last week"), so every relative expression is resolved
against ``published``. The grammar is hand-written regular expressions: they
are fast (a sentence in microseconds), they only fire on date-shaped text (so
"85 targets", "Tower 22" or "Resolution 2334" are never dates) and their
resolution rules are written down here. ``dateparser`` is used only by
:func:`parse_published`, where the input is known to be a date and may come in
any of the formats feeds and HTML metadata use.

Resolution rules (the event-record contract):

* Past preference. An expression that could point either way resolves to the
  past: a weekday ("on Friday", "Tuesday night", "early on Sunday") is the most
  recent such day on or before ``published`` (``published`` itself when it is
  that weekday); "in January" is the most recent January on or before the
  publication month. Only explicit future wording resolves forward: "next
  Friday" (the first Friday strictly after ``published``), "next week/month",
  "later this week/month/year", "tomorrow".
* "last Tuesday" is the most recent Tuesday strictly before ``published``;
  "last January" the most recent January strictly before the publication month.
* A day and month without a year ("Feb. 02", "on 3 March") takes the
  publication year, unless that lands more than 31 days after ``published``;
  then the previous year (so "Dec. 28" in a January article is last December,
  while "Feb. 8" in an article of Feb. 1 stays an upcoming date).
* Ranges. "last week" is the Monday-Sunday week before the publication week
  (precision ``week``); "this week" / "earlier this week" run from that
  Monday; "over the weekend" is the most recent Saturday-Sunday that starts on
  or before ``published``; "last month", "in January", "January 2024" are whole
  months (precision ``month``); "in 2019" and "last year" whole years.
  Ranges of the current period ("this week", "earlier this month",
  "in January" read in January, "this year", "the past week") end at
  ``published``: a reported event has already happened. "earlier this
  week/month/year" end the day before publication (or on it, if the period
  starts that day).
* "between Monday and Friday of last week" / "from Tuesday to Thursday" are
  day-precision ranges (without "of last/this week": the most recent such
  span ending on or before ``published``).
* "two days ago" is exact (precision ``day``); "N weeks ago" is the Monday-
  Sunday week containing ``published - 7N`` (precision ``week``); "N months
  ago"/"N years ago" the whole month/year. A bare "days ago" / "a few days ago"
  is the week before publication (``published - 7`` .. ``published - 1``,
  precision ``week``).
* "last night" and "overnight" without a weekday: "last night" is
  ``published - 1``; "overnight" runs ``published - 1`` .. ``published``.
* Clock times ("at 4:00 p.m. (EST)", "around 3 a.m. local time", "1600 GMT")
  are attached to an adjacent date expression as ``time`` (24-hour ``"HH:MM"``
  plus the zone if given, e.g. ``"16:00 EST"``, ``"03:00 local"``) and the
  span grows to cover them. A time with no adjacent date is dropped.
* Without ``published`` only absolute dates (with a year, or ISO) resolve;
  relative expressions and day-month without a year are skipped.
* Spans cover the date words themselves, with their modifiers ("early on
  Sunday", "Tuesday night", "last month", "two days ago", "over the weekend")
  but without a leading "on"/"in". Offsets are relative to the string passed
  in plus ``offset``.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass

from .model import DatePrecision, DateRange, Span
from .textfold import folded

__all__ = ["find_dates", "event_date", "statement_date", "parse_published", "date_time_spans"]

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

_MONTH_NUM = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAY_NUM = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}
# Small numbers for "two days ago" (kept here so dates.py does not depend on counts.py).
_SMALL_NUM = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}
_TZ = (
    "EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|EET|EEST|WAT|EAT|CAT|"
    "IST|PKT|MSK|JST|KST|AEST|AEDT|SAST|AST|ICT|WIB"
)

# Month names are matched case-sensitively (capitalised) so "may", "march" the
# verb/noun never match; only abbreviations take a period ("Feb.").
_MON = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:1[0-9]|20)\d{2}(?!\d)"  # 1000-2099: "the 1857 uprising", "in 1648"
_NUMW = r"(?:\d{1,2}|" + "|".join(_SMALL_NUM) + r"|a\s+few|several|few)"

# Words that may follow a bare "in 2019"; another lowercase word ending in -s
# ("in 2000 troops") suggests the number is a quantity, not a year.
_YEAR_FOLLOWERS = frozenset(
    "and or but when after before the a an as to that with while in on at for "
    "of by from amid during until which who whose was were had has have is are "
    "it its he she they we i his her their there this than".split()
)

# --------------------------------------------------------------------------
# Patterns. Each has a resolver below; overlaps are settled longest-first.
# --------------------------------------------------------------------------

_F = re.IGNORECASE
_P_ISO = re.compile(
    r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
    r"(?:[T ](?P<hh>[0-2]\d):(?P<mm>[0-5]\d)(?::\d{2}(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_P_SLASH_ISO = re.compile(r"\b(?P<y>(?:19|20)\d{2})/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\d/])")
# "Friday, February 2, 2024", "Feb. 02", "March 3-5"
_P_MDY = re.compile(
    rf"\b(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\s+(?P<day>{_DAY})"
    rf"(?:\s*[-–]\s*(?P<day2>{_DAY}))?(?:,?\s+(?P<year>{_YEAR}))?"
)
# "2 February 2024", "on 3 March", "Sunday, 3 March", "the 3rd of March"
_P_DMY = re.compile(
    rf"\b(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<day>{_DAY})(?:\s*[-–]\s*(?P<day2>{_DAY}))?"
    rf"\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?"
)
# "January 2024", "early March 2023", "mid-May 2022"
_P_MY = re.compile(rf"\b(?:(?:early|late|mid)[\s-]+)?(?P<mon>{_MON})(?:\s+of)?,?\s+(?P<year>{_YEAR})")
# "in January", "last January", "since early March", "January's"
_P_MON_CTX = re.compile(
    rf"\b(?P<lead>(?i:in|since|during|by|until|till|through|throughout|from|last|this|"
    rf"before|after|of|early|late|mid|the|earlier\s+in|late\s+in|early\s+in))(?P<sep>[\s-]+)"
    rf"(?P<mod>(?:early|late|mid)[\s-]+)?(?P<mon>{_MON})(?!\s*\d)",
    # the lead is case-insensitive, the month must be capitalised: checked in code
)
_P_MON_POSS = re.compile(rf"\b(?P<mon>{_MON})'s\b")
# "in 2019", "since early 2014", "2019's"
_P_YEAR = re.compile(
    rf"\b(?P<lead>[Ii]n|[Ss]ince|[Dd]uring|[Bb]y|[Uu]ntil|[Tt]hrough|[Tt]hroughout|[Ff]rom|[Bb]efore|"
    rf"[Aa]fter|[Oo]f|[Tt]he|[Ee]arly|[Ll]ate|[Mm]id|[Ss]ummer|[Ww]inter|[Ss]pring|[Aa]utumn|[Ff]all)"
    rf"(?P<sep>[\s-]+)(?P<mod>(?:early|late|mid)[\s-]+)?(?P<year>{_YEAR})(?![\d,.]\d)"
)
_P_YEAR_POSS = re.compile(rf"\b(?P<year>{_YEAR})'s\b")
# "early on Sunday", "late Saturday night", "last Tuesday", "next Friday", "overnight Saturday"
_P_WEEKDAY = re.compile(
    r"\b(?:(?P<pre>(?:[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)(?:\s+on)?|[Ll]ast|[Nn]ext|[Tt]his|"
    r"[Oo]vernight(?:\s+on)?|[Pp]ast)\s+)?"
    rf"(?P<wd>{_WD})(?:'s)?(?:\s+(?P<part>morning|afternoon|evening|night|overnight))?\b"
)
# "between Monday and Friday of last week", "from Tuesday to Thursday"
_P_WD_RANGE = re.compile(
    rf"\b(?i:between|from)\s+(?P<wd1>{_WD})\s+(?i:and|to|until|through|till)\s+(?P<wd2>{_WD})"
    r"(?:\s+(?:of\s+)?(?P<which>last|this|the\s+previous|the\s+past)\s+week)?\b"
)
_P_DAYWORD = re.compile(
    r"\b(?P<pre>(?:earlier|later|early|late)\s+)?(?P<w>yesterday|today|tonight|tomorrow)\b"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?",
    _F,
)
_P_THIS_PART = re.compile(r"\b(?:this|earlier\s+this)\s+(?:morning|afternoon|evening)\b", _F)
_P_LAST_NIGHT = re.compile(r"\blast\s+night\b|\bovernight\b", _F)
_P_PERIOD = re.compile(
    r"\b(?:(?P<mod>early|late|mid)\s+)?(?P<which>last|this|past|previous|earlier\s+this|"
    r"later\s+this|next|earlier\s+in\s+the|later\s+in\s+the)\s+(?P<unit>week|month|year|weekend)\b",
    _F,
)
_P_WEEKEND = re.compile(r"\b(?P<which>over|during|at|on)\s+the\s+weekend\b", _F)
_P_AGO = re.compile(
    rf"\b(?:(?P<n>{_NUMW})\s+)?(?P<unit>days?|weeks?|months?|years?)\s+ago\b", _F
)
# Clock times.
_P_TIME = re.compile(
    r"\b(?P<h>[01]?\d)(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>[ap]\.m\.|[ap]m\b|[ap]\.m\b)"
    rf"(?:\s*\(?(?P<tz>{_TZ})\b\)?|\s+(?P<local>local\s+time))?"
    rf"|\b(?P<h24>[0-2]\d):?(?P<m24>[0-5]\d)\s*(?:hours?\s*)?(?:\(?(?P<tz24>{_TZ})\b\)?|(?P<local24>local\s+time))"
    r"|\b(?P<named>noon|midday|midnight)\b",
    _F,
)
# Between a time and its date only these filler words may stand.
_GAP_OK = re.compile(
    r"^[\s,(]*(?:(?:at|on|of|around|about|approximately|roughly|shortly|just|after|before|"
    r"local|time|\(|\))[\s,]*)*$",
    _F,
)
_PREV_WORD = re.compile(r"(\w+)\W*$")
# "since the 2021 coup", "until last year's election": skip articles between the lead and the date
_PREV_LEAD = re.compile(r"(\w+)\W+(?:(?:the|a|an|this|that|last|its|their)\W+)?$", re.IGNORECASE)

_RANK: dict[str, int] = {"day": 0, "week": 1, "month": 2, "year": 3}


@dataclass
class _Hit:
    """A resolved date expression, before it becomes a DateRange."""

    s: int
    e: int
    start: dt.date
    end: dt.date
    precision: DatePrecision
    time: str | None = None
    is_time: bool = False


# --------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _recent_weekday(pub: dt.date, wd: int, strict: bool) -> dt.date:
    back = (pub.weekday() - wd) % 7
    if strict and back == 0:
        back = 7
    return pub - dt.timedelta(days=back)


def _next_weekday(pub: dt.date, wd: int) -> dt.date:
    ahead = (wd - pub.weekday()) % 7 or 7
    return pub + dt.timedelta(days=ahead)


def _clip(start: dt.date, end: dt.date, pub: dt.date) -> tuple[dt.date, dt.date]:
    """End a current-period range at publication: reported events already happened."""
    end = min(end, pub)
    return start, max(end, start)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _infer_year(month: int, day: int, pub: dt.date) -> int | None:
    """Year of a day-month with no year: publication year unless >31 days ahead."""
    cand = _safe_date(pub.year, month, day)
    if cand is None:
        return pub.year - 1 if _safe_date(pub.year - 1, month, day) else None
    return pub.year - 1 if (cand - pub).days > 31 else pub.year


def _month_of(token: str) -> int:
    return _MONTH_NUM[token.rstrip(".").lower()]


# --------------------------------------------------------------------------
# Resolvers: one per pattern; each returns _Hit or None
# --------------------------------------------------------------------------


def _r_iso(m: re.Match, pub: dt.date | None) -> _Hit | None:
    d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if d is None:
        return None
    time = None
    if m.groupdict().get("hh"):
        tz = m["tz"]
        zone = " UTC" if tz == "Z" else (f" {tz}" if tz else "")
        time = f"{int(m['hh']):02d}:{m['mm']}{zone}"
    return _Hit(m.start(), m.end(), d, d, "day", time)


def _r_day_month(m: re.Match, pub: dt.date | None) -> _Hit | None:
    month = _month_of(m["mon"])
    day = int(re.match(r"\d+", m["day"]).group())
    day2 = int(re.match(r"\d+", m["day2"]).group()) if m["day2"] else day
    if day2 < day:
        return None
    if m["year"]:
        year = int(m["year"])
    elif pub is not None:
        year = _infer_year(month, day, pub)
        if year is None:
            return None
    else:
        return None
    start, end = _safe_date(year, month, day), _safe_date(year, month, day2)
    if start is None or end is None:
        return None
    return _Hit(m.start(), m.end(), start, end, "day")


def _r_month_year(m: re.Match, pub: dt.date | None) -> _Hit | None:
    start, end = _month_range(int(m["year"]), _month_of(m["mon"]))
    return _Hit(m.start(), m.end(), start, end, "month")


def _resolve_bare_month(month: int, pub: dt.date, strict: bool) -> tuple[dt.date, dt.date]:
    year = pub.year if (month < pub.month or (month == pub.month and not strict)) else pub.year - 1
    start, end = _month_range(year, month)
    return _clip(start, end, pub)


def _r_month_ctx(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None or not m["mon"][0].isupper():
        return None
    lead = m["lead"].lower()
    month = _month_of(m["mon"])
    start, end = _resolve_bare_month(month, pub, strict=(lead == "last"))
    # The span keeps "last"/"this"/"early"/"mid" but drops a plain preposition.
    keep_lead = lead in {"last", "this", "early", "late", "mid"}
    s = m.start() if keep_lead else (m.start("mod") if m["mod"] else m.start("mon"))
    return _Hit(s, m.end(), start, end, "month")


def _r_month_poss(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None:
        return None
    start, end = _resolve_bare_month(_month_of(m["mon"]), pub, strict=False)
    return _Hit(m.start(), m.end() - 2, start, end, "month")


def _year_followed_ok(text: str, end: int) -> bool:
    nxt = re.match(r"\s*([A-Za-z]+)?", text[end:])
    word = nxt.group(1) if nxt else None
    if word is None or word[0].isupper() or word in _YEAR_FOLLOWERS:
        return True
    return not word.endswith("s")  # "in 2000 troops" is a quantity


# People counted in hundreds look like old years ("a crowd of 1200 people"): before 1900 a
# bare year needs a lead that dates ("in 1848", "the 1857 uprising") and no such follower.
_OLD_YEAR_BAD_LEADS = frozenset({"of", "by"})
_COUNTED_FOLLOWERS = frozenset("people police personnel troops staff children men women soldiers".split())


def _old_year_ok(text: str, m: re.Match) -> bool:
    if m["lead"].lower() in _OLD_YEAR_BAD_LEADS:
        return False
    nxt = re.match(r"\s*([A-Za-z]+)", text[m.end():])
    return nxt is None or nxt.group(1).lower() not in _COUNTED_FOLLOWERS


def _r_year(m: re.Match, pub: dt.date | None, text: str) -> _Hit | None:
    if not _year_followed_ok(text, m.end()):
        return None
    y = int(m["year"])
    if y < 1900 and not _old_year_ok(text, m):
        return None
    lead = m["lead"].lower()
    s = m.start() if lead in {"early", "late", "mid", "summer", "winter", "spring", "autumn", "fall"} \
        else (m.start("mod") if m["mod"] else m.start("year"))
    return _Hit(s, m.end(), dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def _r_year_poss(m: re.Match, pub: dt.date | None) -> _Hit | None:
    y = int(m["year"])
    return _Hit(m.start(), m.end() - 2, dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def _r_weekday(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None:
        return None
    wd = _WEEKDAY_NUM[m["wd"].lower()]
    pre = (m["pre"] or "").lower()
    if pre == "next":
        day = _next_weekday(pub, wd)
    else:
        day = _recent_weekday(pub, wd, strict=pre in {"last", "past"})
    e = m.end()
    if m.group(0).endswith("'s"):
        e -= 2
    return _Hit(m.start(), e, day, day, "day")


def _r_wd_range(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None:
        return None
    wd1, wd2 = _WEEKDAY_NUM[m["wd1"].lower()], _WEEKDAY_NUM[m["wd2"].lower()]
    which = (m["which"] or "").lower()
    if which:
        monday = _week_of(pub)[0] - dt.timedelta(days=0 if which == "this" else 7)
        start, end = monday + dt.timedelta(days=wd1), monday + dt.timedelta(days=wd2)
        if end < start:
            return None
    else:
        end = _recent_weekday(pub, wd2, strict=False)
        start = end - dt.timedelta(days=(wd2 - wd1) % 7)
    return _Hit(m.start(), m.end(), start, end, "day")


def _r_dayword(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None:
        return None
    w = m["w"].lower()
    delta = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[w]
    d = pub + dt.timedelta(days=delta)
    return _Hit(m.start(), m.end(), d, d, "day")


def _r_this_part(m: re.Match, pub: dt.date | None) -> _Hit | None:
    return None if pub is None else _Hit(m.start(), m.end(), pub, pub, "day")


def _r_last_night(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None:
        return None
    prev = pub - dt.timedelta(days=1)
    end = prev if m.group(0).lower().startswith("last") else pub
    return _Hit(m.start(), m.end(), prev, end, "day")


def _weekend(pub: dt.date, strict: bool) -> tuple[dt.date, dt.date]:
    sat = _recent_weekday(pub, 5, strict=False)
    if strict and pub.weekday() >= 5:  # "last weekend" read on a weekend: the one before
        sat -= dt.timedelta(days=7)
    return _clip(sat, sat + dt.timedelta(days=1), pub)


def _r_period(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None:
        return None
    which = " ".join(m["which"].lower().split())
    unit = m["unit"].lower()
    prec: DatePrecision = "week" if unit == "weekend" else unit  # type: ignore[assignment]
    if unit == "weekend":
        if which == "next":
            sat = _next_weekday(pub, 5)
            start, end = sat, sat + dt.timedelta(days=1)
        else:
            start, end = _weekend(pub, strict=which in {"last", "past", "previous"})
        return _Hit(m.start(), m.end(), start, end, prec)
    if unit == "week":
        cur = _week_of(pub)
        prev = _week_of(pub - dt.timedelta(days=7))
        nxt = _week_of(pub + dt.timedelta(days=7))
    elif unit == "month":
        cur = _month_range(pub.year, pub.month)
        prev = _month_range(*_shift_month(pub.year, pub.month, -1))
        nxt = _month_range(*_shift_month(pub.year, pub.month, 1))
    else:
        cur = (dt.date(pub.year, 1, 1), dt.date(pub.year, 12, 31))
        prev = (dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31))
        nxt = (dt.date(pub.year + 1, 1, 1), dt.date(pub.year + 1, 12, 31))
    one_day = dt.timedelta(days=1)
    if which in {"last", "previous"}:
        start, end = prev
    elif which == "next":
        start, end = nxt
    elif which == "this":
        start, end = _clip(*cur, pub)
    elif which == "past":
        span = {"week": 7, "month": 30, "year": 365}[unit]
        start, end = pub - dt.timedelta(days=span), pub
    elif which.startswith("earlier"):
        start = cur[0]
        end = max(start, pub - one_day)
    else:  # later this / later in the
        start, end = min(pub + one_day, cur[1]), cur[1]
    return _Hit(m.start(), m.end(), start, end, prec)


def _r_weekend(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None:
        return None
    start, end = _weekend(pub, strict=False)
    return _Hit(m.start(), m.end(), start, end, "week")


def _r_ago(m: re.Match, pub: dt.date | None) -> _Hit | None:
    if pub is None:
        return None
    unit = m["unit"].lower().rstrip("s")
    raw = (m["n"] or "").lower()
    raw = " ".join(raw.split())
    if raw and raw.isdigit():
        n: int | None = int(raw)
    else:
        n = _SMALL_NUM.get(raw)  # None for "", "a few", "several"
    if n is None:
        if unit != "day":
            return None  # "weeks ago", "years ago": too vague to place
        return _Hit(m.start(), m.end(), pub - dt.timedelta(days=7), pub - dt.timedelta(days=1), "week")
    if unit == "day":
        d = pub - dt.timedelta(days=n)
        return _Hit(m.start(), m.end(), d, d, "day")
    if unit == "week":
        start, end = _week_of(pub - dt.timedelta(days=7 * n))
        return _Hit(m.start(), m.end(), start, end, "week")
    if unit == "month":
        start, end = _month_range(*_shift_month(pub.year, pub.month, -n))
        return _Hit(m.start(), m.end(), start, end, "month")
    y = pub.year - n
    return _Hit(m.start(), m.end(), dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def _time_of(m: re.Match) -> str:
    """Normalise a clock-time match to "HH:MM[ ZONE]"."""
    if m["named"]:
        return "00:00" if m["named"].lower() == "midnight" else "12:00"
    if m["h24"] is not None:
        h, mi, tz, local = int(m["h24"]), m["m24"], m["tz24"], m["local24"]
    else:
        h, mi, tz, local = int(m["h"]), m["m"] or "00", m["tz"], m["local"]
        pm = m["ap"].lower().startswith("p")
        if h == 12:
            h = 12 if pm else 0
        elif pm:
            h += 12
    zone = f" {tz.upper()}" if tz else (" local" if local else "")
    return f"{h:02d}:{mi}{zone}"


_RESOLVERS = (
    (_P_ISO, _r_iso),
    (_P_SLASH_ISO, _r_iso),
    (_P_MDY, _r_day_month),
    (_P_DMY, _r_day_month),
    (_P_MY, _r_month_year),
    (_P_MON_POSS, _r_month_poss),
    (_P_YEAR_POSS, _r_year_poss),
    (_P_WEEKDAY, _r_weekday),
    (_P_WD_RANGE, _r_wd_range),
    (_P_DAYWORD, _r_dayword),
    (_P_THIS_PART, _r_this_part),
    (_P_LAST_NIGHT, _r_last_night),
    (_P_PERIOD, _r_period),
    (_P_WEEKEND, _r_weekend),
    (_P_AGO, _r_ago),
)

# Cheap pre-check: a sentence without any of these cannot hold a date.
_PRECHECK_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
                   "today", "tonight", "tomorrow", "week", "month", "year", "night", "ago", "morning",
                   "afternoon", "evening", "noon", "midnight", "midday")
_PRECHECK = re.compile(rf"\d|{_MON}|" + "|".join(_PRECHECK_WORDS), _F)

# Case-insensitive searches for plain words are answered on the lower-cased text (``folded``):
# a regular expression of alternatives under IGNORECASE tries every word at every position (the
# pre-check took 80 us on a sentence without a date, substring tests take 2).
_DIGIT = re.compile(r"\d")
_MONTH_LOWER = re.compile(_MON.lower())
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _may_hold_date(text: str) -> bool:
    """``_PRECHECK.search(text)``, without the regular expression on most texts."""
    low = folded(text)
    if low is None:
        return _PRECHECK.search(text) is not None
    return (_DIGIT.search(text) is not None or any(w in low for w in _PRECHECK_WORDS)
            or (any(m in low for m in _MONTH_STEMS) and _MONTH_LOWER.search(low) is not None))


@functools.lru_cache(maxsize=4096)
def _collect_cached(text: str, pub: dt.date | None) -> tuple[_Hit, ...]:
    """Each trigger of a sentence asks for its dates: read them once."""
    return tuple(_collect(text, pub))


# A word (or digit) every match of a pattern holds, with the pattern's own case rule: a pattern
# whose cue the sentence lacks is not run. Most sentences name no month, weekday or "ago", and
# the patterns are the costly part of reading dates (about 100 us a sentence when all run).
# Case-sensitive cues are patterns; the others are words, in any case (see ``folded``).
_CUES: dict[str, re.Pattern | tuple[str, ...]] = {
    "digit": _DIGIT,
    "month": re.compile(_MON),
    "weekday": re.compile(_WD),
    "dayword": ("yesterday", "today", "tonight", "tomorrow"),
    "daypart": ("morning", "afternoon", "evening"),
    "night": ("night",),
    "unit": ("week", "month", "year"),
    "weekend": ("weekend",),
    "ago": ("ago",),
}
_CUE_WORDS_ANY_CASE = {cue: re.compile("|".join(words), _F) for cue, words in _CUES.items() if isinstance(words, tuple)}


def _cue_present(cue: str, text: str, low: str | None) -> bool:
    test = _CUES[cue]
    if not isinstance(test, tuple):
        return test.search(text) is not None
    if low is None:
        return _CUE_WORDS_ANY_CASE[cue].search(text) is not None
    return any(w in low for w in test)
_PATTERN_CUES = {
    _P_ISO: ("digit",), _P_SLASH_ISO: ("digit",), _P_MDY: ("month", "digit"), _P_DMY: ("month", "digit"),
    _P_MY: ("month", "digit"), _P_MON_POSS: ("month",), _P_YEAR_POSS: ("digit",), _P_WEEKDAY: ("weekday",),
    _P_WD_RANGE: ("weekday",), _P_DAYWORD: ("dayword",), _P_THIS_PART: ("daypart",), _P_LAST_NIGHT: ("night",),
    _P_PERIOD: ("unit",), _P_WEEKEND: ("weekend",), _P_AGO: ("ago",), _P_MON_CTX: ("month",), _P_YEAR: ("digit",),
}


def _collect(text: str, pub: dt.date | None) -> list[_Hit]:
    hits: list[_Hit] = []
    present: dict[str, bool] = {}
    low = folded(text)

    def may_match(pattern: re.Pattern) -> bool:
        for cue in _PATTERN_CUES[pattern]:
            if cue not in present:
                present[cue] = _cue_present(cue, text, low)
            if not present[cue]:
                return False
        return True

    for pattern, resolve in _RESOLVERS:
        if not may_match(pattern):
            continue
        for m in pattern.finditer(text):
            hit = resolve(m, pub)
            if hit is not None:
                hits.append(hit)
    if may_match(_P_MON_CTX):
        for m in _P_MON_CTX.finditer(text):
            hit = _r_month_ctx(m, pub)
            if hit is not None:
                hits.append(hit)
    if may_match(_P_YEAR):
        for m in _P_YEAR.finditer(text):
            hit = _r_year(m, pub, text)
            if hit is not None:
                hits.append(hit)
    return hits


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest of overlapping expressions ("Friday, Feb. 2" over "Friday")."""
    chosen: list[_Hit] = []
    for h in sorted(hits, key=lambda h: (-(h.e - h.s), _RANK[h.precision], h.s)):
        if all(h.e <= c.s or h.s >= c.e for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.s)


def _attach_times(text: str, hits: list[_Hit]) -> None:
    """Give each clock time to the date expression it stands next to."""
    for m in _P_TIME.finditer(text):
        if any(m.start() < h.e and m.end() > h.s for h in hits):
            continue  # inside a date expression (e.g. ISO datetime)
        best: _Hit | None = None
        best_gap = 10**9
        for h in hits:
            if h.time is not None:
                continue
            if h.s >= m.end():
                gap = text[m.end():h.s]
            elif h.e <= m.start():
                gap = text[h.e:m.start()]
            else:
                continue
            if len(gap) <= 30 and _GAP_OK.match(gap) and len(gap) < best_gap:
                best, best_gap = h, len(gap)
        if best is not None:
            best.time = _time_of(m)
            best.s, best.e = min(best.s, m.start()), max(best.e, m.end())


def _to_range(text: str, h: _Hit, offset: int) -> DateRange:
    """A new record each time (callers may change theirs). Plain construction: pydantic's
    validation runs in Rust and is about twice as fast as its Python ``model_construct``."""
    return DateRange(
        start=h.start, end=h.end, precision=h.precision, time=h.time,
        span=Span(start=offset + h.s, end=offset + h.e, text=text[h.s:h.e]),
    )


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def find_dates(text: str, published: dt.date | None, offset: int = 0) -> list[DateRange]:
    """Every date expression of ``text``, resolved, in text order.

    ``published`` anchors relative expressions; without it only absolute dates
    resolve. Span offsets are ``offset`` plus the position in ``text``.
    """
    return [_to_range(text, h, offset) for h in _dated(text, published)]


@functools.lru_cache(maxsize=4096)
def _dated(text: str, published: dt.date | None) -> tuple[_Hit, ...]:
    """The chosen date expressions of a sentence, read once: every trigger of the sentence
    asks for them (event date, statement date), and the grammar is the costly part."""
    if not text or not _may_hold_date(text):
        return ()
    hits = _select([dataclasses.replace(h) for h in _collect_cached(text, published)])  # _attach_times edits hits
    _attach_times(text, hits)
    return tuple(hits)


_MASK_ANCHOR = dt.date(2000, 6, 15)


def date_time_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that are dates or clock times, resolved or not.

    For other extractors (counts) to skip: the "3" of "3 March", the "2019" of
    "in 2019", the "two" of "two days ago", the "4" of "4 p.m.". A fixed
    anchor date stands in for the publication date, so relative expressions
    are found too; only the positions are returned.
    """
    if not text or not _may_hold_date(text):
        return []
    spans = [(h.s, h.e) for h in _collect(text, _MASK_ANCHOR)]
    spans += [(m.start(), m.end()) for m in _P_TIME.finditer(text)]
    return sorted(spans)


def parse_published(value: str) -> dt.date | None:
    """A publication date from metadata: ISO date/datetime or any common format.

    ISO forms are parsed directly; anything else ("Thu, 14 Mar 2024 10:00:00
    GMT", "March 14, 2024", "14/03/2024") goes through dateparser (English,
    day-first for ambiguous numeric dates, no relative words). Returns None for
    empty or unparseable input.
    """
    if not value or not value.strip():
        return None
    v = value.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return None
    return _parse_published_fallback(v)


def _parse_published_fallback(v: str) -> dt.date | None:
    parser = _date_data_parser()
    if parser is None:
        return None
    data = parser.get_date_data(v)
    return data.date_obj.date() if data and data.date_obj else None


_DDP = None


def _date_data_parser():
    """A shared dateparser DateDataParser (imported lazily: it is slow to load)."""
    global _DDP
    if _DDP is None:
        try:
            from dateparser.date import DateDataParser
        except ImportError:  # pragma: no cover - dateparser is a dependency
            return None
        _DDP = DateDataParser(
            languages=["en"],
            settings={
                "PREFER_DATES_FROM": "past",
                "DATE_ORDER": "DMY",
                "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
            },
        )
    return _DDP


# Which of a sentence's dates is its event's date lives in event_dates.py.
from .event_dates import event_date, statement_date  # noqa: E402  (re-exported)
