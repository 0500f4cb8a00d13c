"""What the ingest writes: advisors guarded by their counters, client profiles in batches, and
the membership copies of changed, assigned clients brought in step in guarded transactions."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from advisor_book import keys
from advisor_book.ingest.records import ClientWrite, CopyState
from advisor_book.models import Advisor, ClientProfile
from advisor_book.store.assignment import check_profile, credit_fields
from advisor_book.store.book import accounts_document
from advisor_book.store.core import ABSENT, PRESENT, Action, Table, condition, pick, to_wire
from advisor_book.store.items import advisor_of, profile_of


class IngestStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def advisors(self, advisor_ids: Sequence[str]) -> dict[str, Advisor]:
        """The stored advisors among these: BatchGetItem, 100 keys a request."""
        found = self._table.batch_get([keys.advisor_profile(a) for a in advisor_ids])
        return {advisor.advisor_id: advisor for advisor in map(advisor_of, found)}

    def advisor(self, advisor_id: str) -> Advisor | None:
        """One consistent GetItem of an advisor's profile."""
        item = self._table.get(keys.advisor_profile(advisor_id))
        return advisor_of(item) if item else None

    def put_advisor(self, advisor: Advisor, *, expected: Advisor | None) -> bool:
        """One PutItem of the advisor's profile and index entries, only if its counters are
        still those of `expected` (or, with None, if it does not exist yet): False otherwise."""
        item = {
            **keys.advisor_profile(advisor.advisor_id),
            **keys.advisor_directory_index(advisor.advisor_id),
            **(keys.availability_index(advisor.advisor_id) if advisor.available else {}),
            **advisor.model_dump(),
            "focus_keys": [area.casefold() for area in advisor.focus_areas],
        }
        if expected is None:
            return self._table.put(item, condition(ABSENT))
        guard = condition(
            "client_count = :seen AND total_assets = :assets",
            seen=expected.client_count,
            assets=expected.total_assets,
        )
        return self._table.put(item, guard)

    def client_revisions(self, client_ids: Iterable[str]) -> dict[str, str]:
        """The stored revision of each client that exists: BatchGetItem, 100 keys a request."""
        wanted = [keys.client_profile(c) for c in client_ids]
        projection = "client_id, revision"
        return {
            item["client_id"]: item["revision"]
            for item in self._table.batch_get(wanted, projection=projection)
        }

    def put_clients(self, writes: Sequence[ClientWrite]) -> None:
        """Client profiles in BatchWriteItem batches of 25. A profile never holds the
        assignment, so a blind put cannot undo one."""
        self._table.batch_write(
            [
                {
                    **keys.client_profile(write.profile.client_id),
                    **write.profile.copy(),
                    "accounts": accounts_document(write.accounts),
                }
                for write in writes
            ]
        )

    def assigned_advisors(self, client_ids: Sequence[str]) -> dict[str, str]:
        """The advisor of each of these clients that has one: BatchGetItem of assignments."""
        found = self._table.batch_get([keys.client_assignment(c) for c in client_ids])
        return {a["client_id"]: a["advisor_id"] for a in found if a.get("advisor_id")}

    def copy_state(self, client_id: str, advisor_id: str) -> CopyState:
        """One consistent BatchGetItem: the client's profile, its advisor as its assignment
        says, and its copy under `advisor_id`."""
        profile_key = keys.client_profile(client_id)
        assignment_key = keys.client_assignment(client_id)
        copy_key = keys.membership(advisor_id, client_id)
        found = self._table.found([profile_key, assignment_key, copy_key])
        profile, assignment, copy = (
            pick(found, k) for k in (profile_key, assignment_key, copy_key)
        )
        return CopyState(
            profile=profile_of(profile) if profile else None,
            assigned_to=assignment.get("advisor_id") if assignment else None,
            copy_under=advisor_id,
            copy=profile_of(copy) if copy else None,
        )

    def replace_copy(self, advisor_id: str, profile: ClientProfile, copy: ClientProfile) -> None:
        """One TransactWriteItems: the copy under `advisor_id` replaced by the profile (if it is
        still `copy`), the advisor's total_assets moved by the difference, the assignment's
        credit with it (if the client still has that advisor), and the profile checked
        unchanged. StaleReadError when any of them changed since they were read."""
        self._table.transact(
            [
                ("membership", _replace_copy(advisor_id, profile, copy)),
                ("advisor", _move_assets(advisor_id, profile.total_value - copy.total_value)),
                ("assignment", _record_credit(advisor_id, profile)),
                ("client", check_profile(profile)),
            ]
        )


def _replace_copy(advisor_id: str, profile: ClientProfile, copy: ClientProfile) -> Action:
    item = {**keys.membership(advisor_id, profile.client_id), **profile.copy()}
    return {"Put": {"Item": to_wire(item), **condition("revision = :old", old=copy.revision)}}


def _move_assets(advisor_id: str, delta: Decimal) -> Action:
    return {
        "Update": {
            "Key": to_wire(keys.advisor_profile(advisor_id)),
            "UpdateExpression": "SET total_assets = total_assets + :delta",
            **condition(PRESENT, delta=delta),
        }
    }


def _record_credit(advisor_id: str, profile: ClientProfile) -> Action:
    credit = credit_fields(profile)
    return {
        "Update": {
            "Key": to_wire(keys.client_assignment(profile.client_id)),
            "UpdateExpression": "SET credited_total = :total, credited_revision = :revision",
            **condition(
                "advisor_id = :advisor",
                advisor=advisor_id,
                total=credit["credited_total"],
                revision=credit["credited_revision"],
            ),
        }
    }
