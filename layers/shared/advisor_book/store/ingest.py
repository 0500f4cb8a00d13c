"""What the ingest writes: advisors guarded by their counters, client profiles in batches, and
the membership copies of changed, assigned clients brought in step in guarded transactions."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from advisor_book import keys
from advisor_book.ingest.records import AdvisorCopies, ClientWrite, CopyState, StoredClient
from advisor_book.models import Advisor, ClientProfile
from advisor_book.store.assignment import (
    assignment_as_read,
    check_profile,
    credit_fields,
    mark_name_entries,
    mark_profile,
)
from advisor_book.store.book import accounts_document
from advisor_book.store.core import ABSENT, PRESENT, Action, Table, condition, pick, to_wire
from advisor_book.store.items import advisor_of, assignment_of, profile_of


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

    def stored_clients(self, client_ids: Iterable[str]) -> dict[str, StoredClient]:
        """The revision and advisor copy of each client that exists: BatchGetItem, 100 keys a
        request."""
        wanted = [keys.client_profile(c) for c in client_ids]
        projection = "client_id, revision, advisor_id"
        return {
            item["client_id"]: StoredClient(item["revision"], item.get("advisor_id"))
            for item in self._table.batch_get(wanted, projection=projection)
        }

    def put_clients(self, writes: Sequence[ClientWrite]) -> None:
        """Client profiles, with their name entries, in BatchWriteItem batches of 25; the name
        entries first, so a profile stored in this form always has them. A profile never holds
        the assignment, only a copy of its advisor that the writer corrects afterwards where
        it changed meanwhile (`writer.copy_advisors`), so a blind put cannot undo one."""
        self._table.batch_write(
            [_name_entry(write, part) for write in writes for part in (keys.FIRST, keys.LAST)]
        )
        self._table.batch_write([_profile(write) for write in writes])

    def assigned_advisors(self, client_ids: Sequence[str]) -> dict[str, str]:
        """The advisor of each of these clients that has one: BatchGetItem of assignments."""
        found = self._table.batch_get([keys.client_assignment(c) for c in client_ids])
        return {a["client_id"]: a["advisor_id"] for a in found if a.get("advisor_id")}

    def advisor_copies(self, client_id: str) -> AdvisorCopies:
        """One consistent BatchGetItem: the client's profile and its assignment."""
        profile_key, assignment_key = (
            keys.client_profile(client_id),
            keys.client_assignment(client_id),
        )
        found = self._table.found([profile_key, assignment_key])
        profile, assignment = pick(found, profile_key), pick(found, assignment_key)
        return AdvisorCopies(
            profile=profile_of(profile) if profile else None,
            advisor_id=profile.get("advisor_id") if profile else None,
            assignment=assignment_of(assignment) if assignment else None,
        )

    def copy_advisor(self, state: AdvisorCopies) -> None:
        """One TransactWriteItems: the profile and the name entries of the client given the
        advisor its assignment names, if the assignment and the profile are still those read.
        StaleReadError when either changed."""
        assert state.profile is not None
        assignment = state.assignment
        advisor_id = assignment.advisor_id if assignment else None
        check = {"Key": to_wire(keys.client_assignment(state.profile.client_id))}
        self._table.transact(
            [
                ("assignment", {"ConditionCheck": {**check, **assignment_as_read(assignment)}}),
                ("client", mark_profile(state.profile, advisor_id)),
                *mark_name_entries(state.profile, advisor_id),
            ]
        )

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


def _profile(write: ClientWrite) -> dict[str, object]:
    """A client's profile as the ingest writes it: with the copy of its advisor, and in the
    client directory and, without an advisor, in the unassigned index."""
    client_id = write.profile.client_id
    return {
        **keys.client_profile(client_id),
        **keys.client_directory_index(client_id),
        **({} if write.advisor_id else keys.unassigned_index(client_id)),
        **write.profile.copy(),
        "advisor_id": write.advisor_id,
        "accounts": accounts_document(write.accounts),
    }


def _name_entry(write: ClientWrite, part: str) -> dict[str, object]:
    """A client's entry in the name index by its first or last name: what a listing shows of
    it, and the normal form of its name (`name_key`) and of both names, which a search
    compares."""
    profile = write.profile
    copy = profile.copy()
    name_key = str(copy["first_name_key" if part == keys.FIRST else "last_name_key"])
    return {
        **keys.name_entry(profile.client_id, part),
        **keys.name_index(name_key, profile.client_id),
        **{k: v for k, v in copy.items() if k != "account_count"},
        "name_key": name_key,
        "advisor_id": write.advisor_id,
    }


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
