"""A channel's chat filter settings, checked the same way wherever they come from (the dashboard, the API): each
filter is on or off, may be a dry run (it only records what it would do), and leaves alone viewers at or above its
exempt level. A clear error names the first thing wrong.

Filters: `terms` (the streamer's blocked words, `*` wildcards and `/regex/`, plus the offensive-language list),
`links` (except allowed domains and `!permit`ted viewers), `caps` (emotes ignored), `symbols`, `emotes` (how many
in one message), `repetition` (one word said over and over, or one viewer sending the same message again and again)
and `length`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

import regex

from runtime.custom_commands.spec import LEVELS

FILTERS = ('terms', 'links', 'caps', 'symbols', 'emotes', 'repetition', 'length')
MAX_TERMS, MAX_TERM, MAX_DOMAINS = 500, 100, 100
STEP = regex.compile(r'^(?:warn|delete|timeout:(?P<seconds>\d{1,7}))$')
MAX_TIMEOUT = 1_209_600  # Twitch's longest timeout: two weeks
# moderators and the broadcaster are never filtered (Twitch would not time them out): the lowest exempt level
EXEMPT_LEVELS = {name: LEVELS[name] for name in ('subscriber', 'vip', 'moderator')}


class FilterError(ValueError):
    """Filter settings that cannot be used; the message says why."""


@dataclass(frozen=True)
class FilterRule:
    enabled: bool = False
    dry_run: bool = False  # record what it would do, do nothing
    exempt: str = 'vip'  # viewers at this level and above are not checked (subscriber, vip or moderator)
    limit: int = 0  # caps, symbols: percent of the message; emotes: per message; repetition: times; length: chars
    min_length: int = 0  # caps, symbols: shorter messages are not checked


DEFAULT_RULES = {  # every filter off until the streamer switches it on (Byte must be a moderator to act)
    'terms': FilterRule(exempt='moderator'),
    'links': FilterRule(enabled=False, exempt='subscriber'),
    'caps': FilterRule(limit=70, min_length=15),
    'symbols': FilterRule(limit=50, min_length=15),
    'emotes': FilterRule(limit=12),
    'repetition': FilterRule(limit=5),  # one word this many times (half the message or more)
    'length': FilterRule(limit=350),
}
LIMITS = {'caps': (10, 100), 'symbols': (10, 100), 'emotes': (1, 100), 'repetition': (2, 50), 'length': (20, 500),
          'terms': (0, 0), 'links': (0, 0)}


@dataclass(frozen=True)
class FilterSettings:
    rules: dict[str, FilterRule] = field(default_factory=lambda: dict(DEFAULT_RULES))
    terms: tuple[str, ...] = ()  # words (in any spelling), `wild*cards` and `/regular expressions/`
    use_offensive_list: bool = True  # the safety gate's offensive-language list, applied to viewers too
    allowed_domains: tuple[str, ...] = ('clips.twitch.tv', 'twitch.tv')
    ladder: tuple[str, ...] = ('warn', 'delete', 'timeout:60', 'timeout:600', 'timeout:3600')
    strikes_expire_minutes: int = 60  # a viewer's strikes are forgotten this long after the last one
    warning: str = '@{user}, {reason}: please keep chat friendly.'  # said for a 'warn' step

    def rule(self, name: str) -> FilterRule:
        return self.rules.get(name, DEFAULT_RULES[name])


def checked_settings(settings: FilterSettings) -> FilterSettings:
    """The settings normalised; FilterError for the first thing wrong."""
    unknown = set(settings.rules) - set(FILTERS)
    if unknown:
        raise FilterError(f'unknown filter {sorted(unknown)[0]!r} (filters: {", ".join(FILTERS)})')
    rules = {name: _checked_rule(name, settings.rule(name)) for name in FILTERS}
    terms = tuple(dict.fromkeys(term.strip() for term in settings.terms if term.strip()))
    if len(terms) > MAX_TERMS or any(len(term) > MAX_TERM for term in terms):
        raise FilterError(f'at most {MAX_TERMS} blocked terms of at most {MAX_TERM} characters')
    for term in terms:
        term_pattern(term)
    domains = tuple(dict.fromkeys(domain.strip().lower().removeprefix('*.') for domain in settings.allowed_domains
                                  if domain.strip()))
    if len(domains) > MAX_DOMAINS or not all(regex.fullmatch(r'[a-z0-9-]+(\.[a-z0-9-]+)+', d) for d in domains):
        raise FilterError(f'allowed domains are at most {MAX_DOMAINS} names such as example.com')
    if not 1 <= len(settings.ladder) <= 10:
        raise FilterError('the ladder has 1-10 steps')
    for step in settings.ladder:
        found = STEP.match(step)
        if found is None or (found.group('seconds') and not 1 <= int(found.group('seconds')) <= MAX_TIMEOUT):
            raise FilterError(f'{step!r} is no ladder step (warn, delete or timeout:<1-{MAX_TIMEOUT} seconds>)')
    if not 1 <= settings.strikes_expire_minutes <= 10_080:
        raise FilterError('strikes expire after 1-10080 minutes')
    if '{user}' not in settings.warning or len(settings.warning) > 300:
        raise FilterError('the warning names the viewer with {user} and has at most 300 characters')
    return replace(settings, rules=rules, terms=terms, allowed_domains=domains)


def _checked_rule(name: str, rule: FilterRule) -> FilterRule:
    if rule.exempt not in EXEMPT_LEVELS:
        raise FilterError(f'{name}: unknown exempt level {rule.exempt!r} (one of: {", ".join(EXEMPT_LEVELS)})')
    low, high = LIMITS[name]
    if high and not low <= rule.limit <= high:
        raise FilterError(f'{name}: the limit must be {low}-{high}')
    if not 0 <= rule.min_length <= 500:
        raise FilterError(f'{name}: the minimum length must be 0-500')
    return rule


def is_regex(term: str) -> bool:
    """A `/regular expression/` term (Byte's alone: Twitch's blocked terms take words and wild*cards)."""
    return len(term) > 2 and term.startswith('/') and term.endswith('/')


@lru_cache(maxsize=2048)  # asked for each line a filter reads
def term_pattern(term: str) -> regex.Pattern[str] | None:
    """A `/regex/` or `wild*card` term as a pattern on folded text (None for a plain word, matched in every
    spelling by the safety gate's block list); FilterError when it does not compile."""
    if is_regex(term):
        try:
            return regex.compile(term[1:-1], regex.IGNORECASE | regex.V1)
        except regex.error as error:
            raise FilterError(f'{term[:40]!r} is no regular expression: {error}') from None
    if '*' in term:
        parts = [regex.escape(part) for part in term.casefold().split('*')]
        return regex.compile(r'(?<!\w)' + r'\w*'.join(parts) + r'(?!\w)', regex.IGNORECASE)
    return None


def to_document(settings: FilterSettings) -> dict[str, Any]:
    """The settings as stored (plain JSON)."""
    return {'rules': {name: asdict(rule) for name, rule in settings.rules.items()}, 'terms': list(settings.terms),
            'use_offensive_list': settings.use_offensive_list, 'allowed_domains': list(settings.allowed_domains),
            'ladder': list(settings.ladder), 'strikes_expire_minutes': settings.strikes_expire_minutes,
            'warning': settings.warning}


def from_document(document: dict[str, Any]) -> FilterSettings:
    """Settings from a document (stored, or an API body): what is missing takes its default; FilterError for the
    first thing wrong."""
    defaults = FilterSettings()
    try:
        rules = {name: FilterRule(**fields) for name, fields in (document.get('rules') or {}).items()}
        return checked_settings(FilterSettings(
            rules={**defaults.rules, **rules}, terms=tuple(document.get('terms', defaults.terms)),
            use_offensive_list=bool(document.get('use_offensive_list', defaults.use_offensive_list)),
            allowed_domains=tuple(document.get('allowed_domains', defaults.allowed_domains)),
            ladder=tuple(document.get('ladder', defaults.ladder)),
            strikes_expire_minutes=int(document.get('strikes_expire_minutes', defaults.strikes_expire_minutes)),
            warning=str(document.get('warning', defaults.warning))))
    except FilterError:
        raise
    except (TypeError, ValueError) as error:
        raise FilterError(f'the filter settings cannot be read: {error}') from None
