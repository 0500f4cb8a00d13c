"""Advisors' notification preferences: one item beside each advisor's profile (`keys.NOTIFY`)."""

from typing import Any

from advisor_book import keys
from advisor_book.preferences import NotificationPreferences
from advisor_book.store.core import PRESENT, Action, Table, condition, from_wire, to_wire


class PreferencesStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def preferences(self, advisor_id: str) -> NotificationPreferences | None:
        """GET /advisors/{id}/notification-preferences, and whoever notifies an advisor: one
        strongly consistent Query of the advisor's singletons from the preferences to the
        profile, which proves the advisor exists (None: no such advisor). An advisor who never
        set preferences has none."""
        response = self._table.query(
            KeyConditionExpression=f"{keys.PK} = :pk AND {keys.SK} BETWEEN :notify AND :profile",
            ExpressionAttributeValues={
                ":pk": {"S": keys.advisor_pk(advisor_id)},
                ":notify": {"S": keys.NOTIFY},
                ":profile": {"S": keys.PROFILE},
            },
            ConsistentRead=True,
        )
        items = {wire[keys.SK]["S"]: from_wire(wire) for wire in response["Items"]}
        if keys.PROFILE not in items:
            return None
        stored = items.get(keys.NOTIFY)
        if stored is None:
            return NotificationPreferences.never_set(advisor_id)
        return NotificationPreferences(
            advisor_id=advisor_id,
            email=stored.get("email"),
            sms=stored.get("sms"),
            event_types=stored["event_types"],
            updated_at=stored["updated_at"],
        )

    def replace(self, preferences: NotificationPreferences, *, actor: str) -> None:
        """PUT /advisors/{id}/notification-preferences: one TransactWriteItems that puts the
        preferences only if the advisor's profile exists; `StaleReadError` naming "advisor"
        when it does not."""
        self._table.transact(
            [
                ("advisor", _advisor_exists(preferences.advisor_id)),
                ("preferences", _put_preferences(preferences, actor)),
            ]
        )


def _advisor_exists(advisor_id: str) -> Action:
    return {
        "ConditionCheck": {
            "Key": to_wire(keys.advisor_profile(advisor_id)),
            **condition(PRESENT),
        }
    }


def _put_preferences(preferences: NotificationPreferences, actor: str) -> Action:
    item: dict[str, Any] = {
        **keys.notification_preferences(preferences.advisor_id),
        **preferences.model_dump(mode="json"),
        "updated_by": actor,
    }
    return {"Put": {"Item": to_wire(item)}}
