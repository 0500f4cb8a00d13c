from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Assignment")



@_attrs_define
class Assignment:
    """ 
        Attributes:
            client_id (str):
            advisor_id (str):
            previous_advisor_id (None | str):
            assigned_at (datetime.datetime):
     """

    client_id: str
    advisor_id: str
    previous_advisor_id: None | str
    assigned_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        advisor_id = self.advisor_id

        previous_advisor_id: None | str
        previous_advisor_id = self.previous_advisor_id

        assigned_at = self.assigned_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "client_id": client_id,
            "advisor_id": advisor_id,
            "previous_advisor_id": previous_advisor_id,
            "assigned_at": assigned_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_id = d.pop("client_id")

        advisor_id = d.pop("advisor_id")

        def _parse_previous_advisor_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_advisor_id = _parse_previous_advisor_id(d.pop("previous_advisor_id"))


        assigned_at = datetime.datetime.fromisoformat(d.pop("assigned_at"))




        assignment = cls(
            client_id=client_id,
            advisor_id=advisor_id,
            previous_advisor_id=previous_advisor_id,
            assigned_at=assigned_at,
        )


        assignment.additional_properties = d
        return assignment

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
