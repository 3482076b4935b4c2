"""Fault rules: which requests to answer with an injected failure, and how.

One rule format everywhere: a JSON object (keyword arguments in Python) whose keys are
all optional except one effect.

Which requests a rule matches (all given conditions must hold):

- ``operation``: the GraphQL operation name (the one the SDK sends, or the document's
  single operation when it sends ``operationName: ""``);
- ``route``: one of :data:`ROUTE_KINDS`;
- ``entity``, ``project``, ``run``: as the request names them (path or variables);
- ``variables``: a JSON object whose keys must all equal the request's GraphQL
  variables (in Python, also a predicate called with the variables).

What it does (``status``, ``graphql_error``, ``reset`` and ``truncate`` exclude each
other; a delay may come first):

- ``status``: answer this HTTP status (400-599) instead, with ``retry_after`` seconds
  in ``Retry-After`` (429 and 503; 429 always says when to come back, 1 s by default)
  and W&B's ``RateLimit-*`` headers on 429;
- ``graphql_error``: answer HTTP 200 with a GraphQL error with this message;
- ``delay_ms`` and ``jitter_ms``: wait ``delay_ms`` plus up to ``jitter_ms`` before
  the real answer (or before the other effect);
- ``reset``: drop the connection without answering;
- ``truncate``: let the emulator handle the request, then cut the response body short.

When it fires: on every match, or ``times`` times and then never again, from the match
after the first ``after`` ones on, with ``probability`` drawn from a generator seeded
with ``seed`` (0 by default), so that the same requests meet the same faults.

A refused request (a status, a GraphQL error, a reset) never reaches the emulator: a
write is refused whole. A delayed or truncated one is handled whole.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

#: Route kinds rules can name; ``emulator.middleware.classify`` tells a request's kind.
ROUTE_KINDS = ("graphql", "file_stream", "upload", "download", "artifact_file", "parquet")
#: Statuses that tell the client when to retry (``retry_after``).
RETRY_AFTER_STATUSES = (429, 503)
#: Longest delay a rule may ask for, in milliseconds (ten minutes).
MAX_DELAY_MS = 600_000

Predicate = Callable[[Mapping[str, Any]], bool]


class RuleError(ValueError):
    """A fault rule is malformed; the message names the field."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"fault rule field {key!r}: {problem}")
        self.key = key


@dataclass(frozen=True)
class FaultSpec:
    """A validated fault rule, as given (see the module docstring for each field)."""

    id: str | None = None
    operation: str | None = None
    route: str | None = None
    entity: str | None = None
    project: str | None = None
    run: str | None = None
    variables: Mapping[str, Any] | Predicate | None = None
    status: int | None = None
    graphql_error: str | None = None
    delay_ms: float | None = None
    jitter_ms: float | None = None
    reset: bool = False
    truncate: bool = False
    times: int | None = None
    after: int = 0
    probability: float | None = None
    seed: int = 0
    retry_after: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The fields given, as JSON (a predicate shows as its name)."""
        out: dict[str, Any] = {}
        for spec_field in fields(self):
            value = getattr(self, spec_field.name)
            if value is None or value == spec_field.default:
                continue
            out[spec_field.name] = (
                getattr(value, "__name__", repr(value)) if callable(value) else value
            )
        return out


_KEYS = frozenset(spec_field.name for spec_field in fields(FaultSpec))
_EFFECTS = ("status", "graphql_error", "reset", "truncate")
_STRINGS = ("id", "operation", "entity", "project", "run")


def _number(key: str, value: Any, *, integer: bool = False, low: float = 0.0) -> Any:
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        kind = "an integer" if integer else "a number"
        raise RuleError(key, f"must be {kind}, got {value!r}")
    if not math.isfinite(value) or value < low:
        raise RuleError(key, f"must be at least {low:g}, got {value!r}")
    return value


def _check_effects(spec: FaultSpec) -> None:
    given = [key for key in _EFFECTS if getattr(spec, key)]
    if len(given) > 1:
        raise RuleError(given[1], f"cannot be combined with {given[0]!r}")
    if not given and spec.delay_ms is None and spec.jitter_ms is None:
        effects = ", ".join([*_EFFECTS, "delay_ms", "jitter_ms"])
        raise RuleError("status", f"a rule needs an effect: one of {effects}")
    if spec.retry_after is not None and spec.status not in RETRY_AFTER_STATUSES:
        raise RuleError("retry_after", "applies only to status 429 or 503")
    graphql_only = spec.graphql_error or spec.operation or spec.variables is not None
    if graphql_only and spec.route not in (None, "graphql"):
        key = (
            "graphql_error"
            if spec.graphql_error
            else ("operation" if spec.operation else "variables")
        )
        raise RuleError(key, f"applies only to route 'graphql', not {spec.route!r}")


def _check_value(key: str, value: Any) -> Any:  # noqa: C901 - one branch per field
    if key in _STRINGS:
        if not isinstance(value, str) or not value:
            raise RuleError(key, f"must be a non-empty string, got {value!r}")
    elif key == "route":
        if value not in ROUTE_KINDS:
            raise RuleError(key, f"must be one of {', '.join(ROUTE_KINDS)}; got {value!r}")
    elif key == "variables":
        if not (isinstance(value, Mapping) or callable(value)):
            raise RuleError(key, f"must be an object (or a predicate), got {value!r}")
    elif key == "status":
        _number(key, value, integer=True)
        if not 400 <= value <= 599:
            raise RuleError(key, f"must be an HTTP error status from 400 to 599, got {value}")
    elif key == "graphql_error":
        if not isinstance(value, str) or not value:
            raise RuleError(key, f"must be a non-empty message, got {value!r}")
    elif key in ("delay_ms", "jitter_ms"):
        if _number(key, value) > MAX_DELAY_MS:
            raise RuleError(key, f"must be at most {MAX_DELAY_MS} ms, got {value}")
    elif key in ("reset", "truncate"):
        if not isinstance(value, bool):
            raise RuleError(key, f"must be true or false, got {value!r}")
    elif key == "times":
        _number(key, value, integer=True, low=1)
    elif key == "after":
        _number(key, value, integer=True)
    elif key == "probability":
        if _number(key, value) > 1:
            raise RuleError(key, f"must be between 0 and 1, got {value}")
    elif key == "seed":
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuleError(key, f"must be an integer, got {value!r}")
    elif key == "retry_after":
        _number(key, value)
    return value


def parse_rule(rule: Mapping[str, Any]) -> FaultSpec:
    """Validate one rule (a JSON object or keyword arguments).

    Raises:
        RuleError: naming the first field that is unknown or has a bad value.
    """
    if not isinstance(rule, Mapping):
        raise RuleError("rule", f"must be a JSON object, got {type(rule).__name__}")
    for key in rule:
        if key not in _KEYS:
            raise RuleError(key, f"is not a rule field (known: {', '.join(sorted(_KEYS))})")
    values = {key: _check_value(key, value) for key, value in rule.items() if value is not None}
    spec = FaultSpec(**values)
    _check_effects(spec)
    return spec


def parse_rules(data: Any) -> list[FaultSpec]:
    """One rule or a list of rules, validated; errors name the rule and the field.

    Raises:
        ValueError: the first problem found.
    """
    if isinstance(data, dict):
        return [parse_rule(data)]
    if not isinstance(data, list):
        raise ValueError("expected a fault rule (a JSON object) or a list of them")
    specs = []
    for index, rule in enumerate(data):
        try:
            specs.append(parse_rule(rule))
        except RuleError as error:
            raise ValueError(f"rule {index}: {error}") from None
    return specs


@dataclass
class Fired:
    """What a rule that fired does to one request."""

    rule: Rule
    delay_s: float


@dataclass(eq=False)
class Rule:
    """A live rule: its spec, its id and how often it matched and fired."""

    spec: FaultSpec
    id: str
    matched: int = 0
    fired: int = 0
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.spec.seed)

    @property
    def active(self) -> bool:
        """Whether the rule can still fire (``times`` not used up)."""
        return self.spec.times is None or self.fired < self.spec.times

    def as_dict(self) -> dict[str, Any]:
        """The rule as JSON: its fields, ``id``, ``matched``, ``fired`` and ``active``."""
        return {
            **self.spec.as_dict(),
            "id": self.id,
            "matched": self.matched,
            "fired": self.fired,
            "active": self.active,
        }

    def matches(self, request: RequestFacts) -> bool:
        """Whether ``request`` meets every condition of the rule."""
        spec = self.spec
        if spec.graphql_error is not None or spec.operation is not None:
            wanted_route: str | None = "graphql"
        else:
            wanted_route = spec.route
        if wanted_route is not None and request.route != wanted_route:
            return False
        for key in ("operation", "entity", "project", "run"):
            wanted = getattr(spec, key)
            if wanted is not None and getattr(request, key) != wanted:
                return False
        return spec.variables is None or _variables_match(spec.variables, request.variables)

    def fire(self) -> Fired | None:
        """Count a match; the effect to apply when the rule fires on it."""
        spec = self.spec
        self.matched += 1
        if self.matched <= spec.after or not self.active:
            return None
        if spec.probability is not None and self._random.random() >= spec.probability:
            return None
        self.fired += 1
        delay_ms = (spec.delay_ms or 0.0) + self._random.uniform(0, spec.jitter_ms or 0.0)
        return Fired(self, delay_ms / 1000)


def _variables_match(wanted: Mapping[str, Any] | Predicate, variables: Any) -> bool:
    if not isinstance(variables, Mapping):
        return False
    if callable(wanted):
        return bool(wanted(variables))
    return all(key in variables and variables[key] == value for key, value in wanted.items())


class RequestFacts(Protocol):
    """What rules match on (:class:`emulator.middleware.classify.RequestInfo` has it)."""

    route: str
    operation: str | None
    entity: str | None
    project: str | None
    run: str | None
    variables: Any


class FaultRules:
    """The fault rules of one app, in the order they were added; thread-safe.

    ``initial`` rules (``wandb-emulator serve --faults``) come back, with fresh
    counters, on :meth:`reset`.
    """

    def __init__(self, initial: Iterable[FaultSpec] = ()) -> None:
        self._lock = threading.Lock()
        self._initial = tuple(initial)
        self._rules: list[Rule] = []
        self._next_id = 1
        #: Counts resets and clears: a delayed request that sees it change while it
        #: waits belongs to a test that has ended.
        self.generation = 0
        self.reset()

    @property
    def empty(self) -> bool:
        """No rule is installed (the fault layer then costs nothing)."""
        return not self._rules

    def reset(self) -> None:
        """Drop every rule and restart ids; the initial rules come back."""
        with self._lock:
            self._rules, self._next_id = [], 1
            self.generation += 1
        self.add(self._initial)

    def add(self, specs: Iterable[FaultSpec]) -> list[Rule]:
        """Install ``specs`` after the existing rules (all or none); the new rules."""
        with self._lock:
            taken = {rule.id for rule in self._rules}
            added = []
            for spec in specs:
                rule_id = spec.id
                if rule_id is None:
                    while f"f{self._next_id}" in taken:
                        self._next_id += 1
                    rule_id = f"f{self._next_id}"
                elif rule_id in taken:
                    raise RuleError("id", f"a rule with id {rule_id!r} already exists")
                taken.add(rule_id)
                added.append(Rule(spec, rule_id))
            self._rules = [*self._rules, *added]
        return added

    def all(self) -> list[Rule]:
        """Every rule, in order (expired ones too, with their counts)."""
        return list(self._rules)

    def remove(self, rule_id: str) -> bool:
        """Remove one rule; whether it existed."""
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            found = len(kept) != len(self._rules)
            self._rules = kept
        return found

    def clear(self) -> None:
        """Remove every rule, the initial ones included."""
        with self._lock:
            self._rules = []
            self.generation += 1

    def match(self, request: RequestFacts) -> Fired | None:
        """The first rule that matches ``request`` and fires, counted as fired."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(request):
                    fired = rule.fire()
                    if fired is not None:
                        return fired
        return None
