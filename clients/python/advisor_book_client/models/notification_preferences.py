from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.notification_preferences_event_types_item import NotificationPreferencesEventTypesItem
from typing import cast
import datetime






T = TypeVar("T", bound="NotificationPreferences")



@_attrs_define
class NotificationPreferences:
    """ An advisor's preferences as stored.

        Attributes:
            advisor_id (str):
            email (None | str): null: no email notifications.
            sms (None | str): null: no SMS notifications.
            event_types (list[NotificationPreferencesEventTypesItem]): In the order client.assigned, client.reassigned,
                client.unassigned.
            updated_at (datetime.datetime | None): When they were last set; null: never.
     """

    advisor_id: str
    email: None | str
    sms: None | str
    event_types: list[NotificationPreferencesEventTypesItem]
    updated_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        advisor_id = self.advisor_id

        email: None | str
        email = self.email

        sms: None | str
        sms = self.sms

        event_types = []
        for event_types_item_data in self.event_types:
            event_types_item = event_types_item_data.value
            event_types.append(event_types_item)



        updated_at: None | str
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "advisor_id": advisor_id,
            "email": email,
            "sms": sms,
            "event_types": event_types,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        advisor_id = d.pop("advisor_id")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))


        def _parse_sms(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sms = _parse_sms(d.pop("sms"))


        event_types = []
        _event_types = d.pop("event_types")
        for event_types_item_data in (_event_types):
            event_types_item = NotificationPreferencesEventTypesItem(event_types_item_data)



            event_types.append(event_types_item)


        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)



                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))


        notification_preferences = cls(
            advisor_id=advisor_id,
            email=email,
            sms=sms,
            event_types=event_types,
            updated_at=updated_at,
        )


        notification_preferences.additional_properties = d
        return notification_preferences

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
