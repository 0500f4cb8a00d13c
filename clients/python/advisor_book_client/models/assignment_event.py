from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.actor import Actor





T = TypeVar("T", bound="AssignmentEvent")



@_attrs_define
class AssignmentEvent:
    """ One change of a client's advisor; `advisor_id` null means the client was unassigned.

        Attributes:
            event_id (str):
            at (datetime.datetime):
            previous_advisor_id (None | str | Unset):
            advisor_id (None | str | Unset):
            actor (Actor | None | Unset): Who made the change; null for a change recorded before actors were.
     """

    event_id: str
    at: datetime.datetime
    previous_advisor_id: None | str | Unset = UNSET
    advisor_id: None | str | Unset = UNSET
    actor: Actor | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.actor import Actor # noqa: PLC0415
        event_id = self.event_id

        at = self.at.isoformat()

        previous_advisor_id: None | str | Unset
        if isinstance(self.previous_advisor_id, Unset):
            previous_advisor_id = UNSET
        else:
            previous_advisor_id = self.previous_advisor_id

        advisor_id: None | str | Unset
        if isinstance(self.advisor_id, Unset):
            advisor_id = UNSET
        else:
            advisor_id = self.advisor_id

        actor: dict[str, Any] | None | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        elif isinstance(self.actor, Actor):
            actor = self.actor.to_dict()
        else:
            actor = self.actor


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "event_id": event_id,
            "at": at,
        })
        if previous_advisor_id is not UNSET:
            field_dict["previous_advisor_id"] = previous_advisor_id
        if advisor_id is not UNSET:
            field_dict["advisor_id"] = advisor_id
        if actor is not UNSET:
            field_dict["actor"] = actor

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor import Actor # noqa: PLC0415
        d = dict(src_dict)
        event_id = d.pop("event_id")

        at = datetime.datetime.fromisoformat(d.pop("at"))




        def _parse_previous_advisor_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        previous_advisor_id = _parse_previous_advisor_id(d.pop("previous_advisor_id", UNSET))


        def _parse_advisor_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        advisor_id = _parse_advisor_id(d.pop("advisor_id", UNSET))


        def _parse_actor(data: object) -> Actor | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                actor_type_0 = Actor.from_dict(data)



                return actor_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Actor | None | Unset, data)

        actor = _parse_actor(d.pop("actor", UNSET))


        assignment_event = cls(
            event_id=event_id,
            at=at,
            previous_advisor_id=previous_advisor_id,
            advisor_id=advisor_id,
            actor=actor,
        )


        assignment_event.additional_properties = d
        return assignment_event

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
