"""Speed of the personal-data checker (vscapp/privacy.py), which runs on every form post and
on each row of a CSV import.

    python bench/privacy_checker.py [--notes 10000] [--repeat 5]

Typical notes of a prevention team, in Dutch and French, one in twenty holding personal data;
then the same count of 500-character notes (the longest a note may be). Prints the median of
the repeats.
"""

import argparse
import statistics
import time

from vscapp.privacy import find_personal_data, first_names

TYPICAL = [
    "Sensibiliseringssessie in school, 14 leerlingen",
    "Réunion CSIL du 12/03, suivi de 3 dossiers",
    "Overleg met LIVC-R over casus 2023-014",
    "Eerste gesprek, doorverwezen naar het OCMW",
    "Atelier esprit critique à l'Athénée Royal Serge Creuz, 3 classes",
    "Workshop van 14:00 tot 16:30 met 23 deelnemers",
    "Sessies op 12/03/2026 en 19/03/2026",
    "Straathoekwerk: 12 contacten",
    "Formation des gardiens de la paix, 12 agents",
    "Vorming voor de politiezone Brussel-West",
    "Suivi avec le CPAS de Molenbeek-Saint-Jean, 6 dossiers",
    "Opvolgingsgesprek: positieve evolutie, volgende afspraak over 2 weken",
    "Table ronde avec des imams de la Grande Mosquée",
    "Café citoyen au Centre Communautaire Maritime, 30 participants",
    "Deradicaliseringstraject: 3 gesprekken",
    "Intervisie",
    "",
    "Contact radicaliseringscel",
    "Rencontre avec les parents à la Maison des Femmes",
]
PERSONAL = ["Gesprek met Mohamed B.", "bel 0470 12 34 56", "woont Kerkstraat 12",
            "m.b [at] gmail [dot] com", "rrn 85.07.30-033.28"]


def notes(count):
    return [PERSONAL[n // 20 % len(PERSONAL)] if n % 20 == 19 else TYPICAL[n % len(TYPICAL)]
            for n in range(count)]


def timed(texts, repeat):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            find_personal_data(text)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    first_names()
    print(f"first-name list read once: {time.perf_counter() - start:.3f} s "
          f"({len(first_names())} names)")
    typical = notes(args.notes)
    refused = sum(find_personal_data(text) is not None for text in typical)
    seconds = timed(typical, args.repeat)
    print(f"{args.notes} typical notes ({refused} refused): {seconds:.3f} s, "
          f"{seconds / args.notes * 1e6:.0f} µs each")
    long = [(text + " ") * (500 // (len(text) + 1)) for text in typical if text]
    long = (long * (args.notes // len(long) + 1))[:args.notes]
    seconds = timed(long, args.repeat)
    print(f"{args.notes} notes of ~500 characters: {seconds:.3f} s, "
          f"{seconds / args.notes * 1e6:.0f} µs each")


if __name__ == "__main__":
    main()
