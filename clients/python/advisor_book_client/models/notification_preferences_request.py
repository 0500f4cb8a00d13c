from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.notification_preferences_request_event_types_item import NotificationPreferencesRequestEventTypesItem
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="NotificationPreferencesRequest")



@_attrs_define
class NotificationPreferencesRequest:
    """ The whole of an advisor's preferences: what the body leaves out is cleared.

        Attributes:
            email (None | str | Unset):
            sms (None | str | Unset):
            event_types (list[NotificationPreferencesRequestEventTypesItem] | Unset): The changes to the advisor's book that
                notify the advisor, each once.
     """

    email: None | str | Unset = UNSET
    sms: None | str | Unset = UNSET
    event_types: list[NotificationPreferencesRequestEventTypesItem] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        sms: None | str | Unset
        if isinstance(self.sms, Unset):
            sms = UNSET
        else:
            sms = self.sms

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item = event_types_item_data.value
                event_types.append(event_types_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if email is not UNSET:
            field_dict["email"] = email
        if sms is not UNSET:
            field_dict["sms"] = sms
        if event_types is not UNSET:
            field_dict["event_types"] = event_types

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_sms(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sms = _parse_sms(d.pop("sms", UNSET))


        _event_types = d.pop("event_types", UNSET)
        event_types: list[NotificationPreferencesRequestEventTypesItem] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:
                event_types_item = NotificationPreferencesRequestEventTypesItem(event_types_item_data)



                event_types.append(event_types_item)


        notification_preferences_request = cls(
            email=email,
            sms=sms,
            event_types=event_types,
        )

        return notification_preferences_request

