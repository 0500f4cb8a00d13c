"""The synthetic seed-file generator used by the tests and the benchmarks."""

import io

from advisor_book.ingest import reader
from advisor_book.seed import SeedAdvisor, SeedClient
from local.tools.generate_seed import write_seed


def generated(clients: int, advisors: int | None = None, seed: int = 7) -> str:
    out = io.StringIO()
    write_seed(out, clients, advisors, seed)
    return out.getvalue()


def test_the_same_arguments_write_the_same_bytes() -> None:
    assert generated(300) == generated(300)
    assert generated(300, seed=1) != generated(300, seed=2)


def test_every_generated_record_is_a_valid_seed_record_with_a_unique_id() -> None:
    items = list(reader.read_items(io.BytesIO(generated(500, advisors=20).encode())))

    advisors = [
        SeedAdvisor.model_validate(i.raw) for i in items if i.section == "financial_advisors"
    ]
    clients = [SeedClient.model_validate(i.raw) for i in items if i.section == "clients"]

    assert (len(advisors), len(clients)) == (20, 500)
    assert len({c.client_id for c in clients}) == 500
    assert all(i.refusal is None for i in items)
    assert any(a.capacity is None for a in advisors)
    assert any(not a.accepting_new_clients for a in advisors)


def test_advisors_default_to_one_per_fifty_clients_with_at_least_twelve() -> None:
    def advisor_count(clients: int) -> int:
        items = reader.read_items(io.BytesIO(generated(clients).encode()))
        return sum(1 for i in items if i.section == "financial_advisors")

    assert advisor_count(100) == 12
    assert advisor_count(1000) == 20
