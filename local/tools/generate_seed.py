"""Generates large synthetic seed files, streamed to disk so memory stays flat at any size.

    python -m local.tools.generate_seed --clients 200000 --out /tmp/book.json

Deterministic for a given --seed: the same arguments always write the same bytes.
"""

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Diego",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Adeyemi",
    "Berg",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Li",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Rossi",
    "Santos",
    "Tanaka",
    "Urban",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
]
FOCUS_AREAS = (
    "Retirement Planning",
    "Tax Planning",
    "Estate Planning",
    "Investment Management",
    "Education Planning",
    "Insurance",
    "Small Business",
    "ESG Investing",
)
ACCOUNT_TYPES = ("IRA", "Roth IRA", "401(k)", "Brokerage", "Trust", "529 Plan", "Savings", "HSA")


def _advisor(rng: random.Random, number: int) -> str:
    areas = rng.sample(FOCUS_AREAS, rng.randint(1, 3))
    capacity = "null" if number % 5 == 0 else str(rng.randint(10, 400))
    accepting = "false" if number % 17 == 0 else "true"
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    focus = ", ".join(f'"{a}"' for a in areas)
    return (
        f'{{"id": "adv-{number:06d}", "name": "{name}", "focus_areas": [{focus}], '
        f'"capacity": {capacity}, "accepting_new_clients": {accepting}}}'
    )


def _client(rng: random.Random, number: int) -> str:
    accounts = ", ".join(
        f'{{"id": "acc-{number:07d}-{n}", "type": "{rng.choice(ACCOUNT_TYPES)}", '
        f'"value": {rng.randint(0, 250_000_000) / 100:.2f}}}'
        for n in range(1, rng.randint(0, 5) + 1)
    )
    return (
        f'{{"id": "cli-{number:07d}", "first_name": "{rng.choice(FIRST_NAMES)}", '
        f'"last_name": "{rng.choice(LAST_NAMES)}", "accounts": [{accounts}]}}'
    )


def seed_lines(clients: int, advisors: int, seed: int = 7) -> Iterator[str]:
    """The file, a line at a time."""
    rng = random.Random(seed)  # noqa: S311
    yield '{"financial_advisors": [\n'
    for number in range(1, advisors + 1):
        yield _advisor(rng, number) + (",\n" if number < advisors else "\n")
    yield '],\n"clients": [\n'
    for number in range(1, clients + 1):
        yield _client(rng, number) + (",\n" if number < clients else "\n")
    yield "]}\n"


def write_seed(out: IO[str], clients: int, advisors: int | None = None, seed: int = 7) -> None:
    for line in seed_lines(clients, advisors or max(12, clients // 50), seed):
        out.write(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, required=True, help="how many clients")
    parser.add_argument("--advisors", type=int, help="how many advisors (default clients/50)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, help="file to write (default standard output)")
    args = parser.parse_args(argv)
    if args.out is None:
        write_seed(sys.stdout, args.clients, args.advisors, args.seed)
    else:
        with args.out.open("w") as out:
            write_seed(out, args.clients, args.advisors, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
