"""Engine memory and speed over many evaluations: RSS must stay flat (no state kept between
evaluations) and threads must not crash it.

    python bench/engine_memory.py [--evaluations 10000] [--threads 8]
"""

import argparse
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from vscapp.engine.evaluate import Totals, evaluate
from vscapp.engine.rulesfile import parse_rules

ROOT = Path(__file__).resolve().parent.parent


def rss_mib():
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 2**20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    ruleset = parse_rules((ROOT / "rules" / "2023.yaml").read_text("utf-8"))
    codes = sorted({c for rule in ruleset.indicators for c in rule.events})

    def one(n):
        totals = {code: Totals(n % 13, n % 29) for code in codes}
        return evaluate(ruleset, totals, date(2023, 1, 1) + timedelta(days=n % 365))

    for n in range(200):  # warm up: the ruleset is registered once
        one(n)
    before = rss_mib()
    start = time.perf_counter()
    for n in range(args.evaluations):
        one(n)
    elapsed = time.perf_counter() - start
    after = rss_mib()
    print(f"{args.evaluations} evaluations of 13 indicators, one thread: "
          f"{elapsed / args.evaluations * 1000:.3f} ms each; "
          f"RSS {before:.1f} MiB -> {after:.1f} MiB")

    per_thread = args.evaluations // args.threads
    for round_number in range(1, 4):
        threads = [threading.Thread(target=lambda: [one(n) for n in range(per_thread)])
                   for _ in range(args.threads)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"round {round_number}: {per_thread * args.threads} more on {args.threads} "
              f"threads in {time.perf_counter() - start:.2f} s, no crash; RSS {rss_mib():.1f} MiB")

if __name__ == "__main__":
    main()
