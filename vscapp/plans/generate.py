"""A plan of any size in the ministry's format, and rules for it: what benchmarks and tests
use to see how the pages behave with a large plan (bench/evaluate.py, tests/fixtures)."""

GENERATED_TYPES = 40


def generated_type_codes(types=GENERATED_TYPES):
    """The codes of the activity types the generated rules count."""
    return [f"bench_{n}" for n in range(types)]


def generated_plan(indicators=200, year=2023):
    """A plan document in the ministry's format: four strategic objectives, each with
    operational objectives of one expected result and one at-least indicator."""
    lines = [f"# PROJECTPLAN {year} VAN DE STAD/GEMEENTE Benchmark", "",
             "### Activiteitssector 1 : Projecten", "",
             "#### Algemene doelstelling 1 - Activiteitssector 1:", "", "Benchmark", ""]
    per_sd = indicators // 4
    for sd in range(1, 5):
        lines += [f"#### {sd}. Strategische doelstelling {sd} - Domein:", "", f"Domein {sd}", "",
                  "Operationele doelstellingen\tTe verwachten resultaten\tIndicatoren"]
        lines += [f"{od}. Doelstelling {od}\t- Resultaat {od}\t- Aantal {sd}.{od}: "
                  f">/=tot {od % 20 + 5}/jaar" for od in range(1, per_sd + 1)]
        lines.append("")
    return "\n".join(lines)


def generated_rules(codes, year=2023, types=GENERATED_TYPES):
    """A rules file counting one generated type per indicator of `codes`."""
    rules = [f"year: {year}", "decree: Benchmark",
             f"period: {{start: {year}-01-01, end: {year}-12-31}}", "indicators:"]
    for n, code in enumerate(codes):
        rules += [f"  {code}:", "    measure: count", f"    events: [bench_{n % types}]",
                  f"    target: {n % 20 + 5}"]
    return "\n".join(rules) + "\n"
