"""The one module that touches durable-rules (dormant since 2020, so kept behind this door).

What was measured shapes it (docs/engine.md records the facts and the measurements):
- the background dispatcher threads are never started, and one lock guards every engine
  call: with both, eight threads evaluating at once do not crash;
- a ruleset is registered once per process under a name made from its content, so a new
  version never replaces an old one and forked workers register their own lazily;
- every evaluation uses a fresh session id and deletes its state, so memory stays flat;
- facts are posted, not events, one per indicator, with plain rounded numbers.
"""

import hashlib
import json
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
    for group, (on_track, at_risk) in sorted(bands_by_group.items()):
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


def plain_number(value):
    """A number durable-rules accepts: no exponent form, no string (it compares as text)."""
    number = round(float(value), 4)
    if abs(number) < 0.0001:
        return 0
    if number.is_integer() and abs(number) < 1e15:
        return int(number)
    return number
