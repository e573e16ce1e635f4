"""The one module that touches durable-rules (dormant since 2020, so kept behind this door).

What was measured shapes it (docs/engine.md records the facts and the measurements):
- the background dispatcher threads are never started, and one lock guards every engine
  call: with both, eight threads evaluating at once do not crash;
- a ruleset is registered once per process under a name made from its content, so a new
  version never replaces an old one and forked workers register their own lazily;
- every evaluation uses a fresh session id and deletes its state, so memory stays flat;
- facts are posted, not events, one per indicator, with plain rounded numbers: a float it
  would write in exponent form (1e+16) is refused by the engine or crashes the process, so
  every number goes through plain_number(), which only lets through what it reads back.
"""

import hashlib
import json
import math
import os
import threading
import uuid

from durable import engine as durable

from vscapp.vocabulary import Status


class EngineError(RuntimeError):
    """The engine did not give exactly one status per indicator."""


class _QuietHost(durable.Host):
    """A Host without the dispatcher threads; actions run inside assert_facts."""

    def _run(self):
        pass

    def get_action(self, action_name):
        return _ACTIONS[action_name]


_lock = threading.Lock()
_host = None
_host_pid = None
_results = {}


def _record(status):
    def action(c):
        _results[c.m.sid][c.m.code] = status

    return action


_ACTIONS = {status.value: _record(status) for status in Status}


def _get_host():
    global _host, _host_pid
    if _host is None or _host_pid != os.getpid():
        _host, _host_pid = _QuietHost(), os.getpid()
    return _host


def compile_ruleset(bands_by_group):
    """Rules for each band group: met, on track, at risk, off target, exclusive by design.

    `bands_by_group` maps a group name to (on_track, at_risk) shares. Each fact carries its
    group, value, target and expected; each rule tests the group first (an equality), then
    compares fields of the same fact.
    """
    rules = {}
    for group, shares in sorted(bands_by_group.items()):
        on_track, at_risk = (plain_number(share) for share in shares)
        same = {"group": group}
        below = {"$lt": {"value": {"$m": "target"}}}

        def share(factor):
            return {"$mul": {"$l": {"$m": "expected"}, "$r": factor}}

        conditions = {
            Status.MET: [same, {"$gte": {"value": {"$m": "target"}}}],
            Status.ON_TRACK: [same, below, {"$gte": {"value": share(on_track)}}],
            Status.AT_RISK: [same, below, {"$lt": {"value": share(on_track)}},
                             {"$gte": {"value": share(at_risk)}}],
            Status.OFF_TARGET: [same, below, {"$lt": {"value": share(at_risk)}}],
        }
        for status, terms in conditions.items():
            rules[f"{group}_{status.value}"] = {"all": [{"m": {"$and": terms}}],
                                                "run": status.value}
    return rules


def ruleset_name(definition, prefix="targets"):
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:16]
    return f"{prefix}_{digest}"


def statuses(definition, facts):
    """Run the facts through the compiled ruleset; return {code: status}.

    `facts` are dicts with code, group, value, target and expected (numbers).
    """
    name = ruleset_name(definition)
    sid = uuid.uuid4().hex
    payload = [{"id": f["code"], "sid": sid, **f} for f in facts]
    with _lock:
        host = _get_host()
        if name not in host._ruleset_directory:
            host.register_rulesets({name: json.loads(json.dumps(definition))})  # it mutates
        _results[sid] = {}
        try:
            if payload:
                host.assert_facts(name, payload)
        finally:
            found = _results.pop(sid)
            host.delete_state(name, sid)
    missing = {f["code"] for f in facts} - set(found)
    if missing:
        raise EngineError(f"no status for {', '.join(sorted(missing))}")
    return found


# Far below where durable-rules goes wrong (1e+16 segfaults) and far above any target.
PLAIN_LIMIT = 10**12


def plain_number(value):
    """A number durable-rules handles: an int, or a float rounded to 4 decimals that Python
    writes without an exponent; never a string (it compares as text), a bool, NaN or infinity.

    Raises ValueError for anything else or beyond PLAIN_LIMIT: callers bound their numbers
    first (the validator bounds targets and shares; evaluation caps values at the target).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number for the rules engine: {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value) or abs(value) > PLAIN_LIMIT:
        raise ValueError("a number out of the rules engine's range")
    if isinstance(value, int):
        return value
    number = round(value, 4)
    if abs(number) < 0.0001:
        return 0
    return int(number) if number.is_integer() else number
