from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="AdvisorSummary")



@_attrs_define
class AdvisorSummary:
    """ 
        Attributes:
            advisor_id (str):
            name (str):
            focus_areas (list[str]):
            client_count (int):
            capacity (int | None): Most clients the advisor takes; null = unlimited.
            accepting_new_clients (bool):
            available (bool): Accepting new clients and below capacity.
     """

    advisor_id: str
    name: str
    focus_areas: list[str]
    client_count: int
    capacity: int | None
    accepting_new_clients: bool
    available: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        advisor_id = self.advisor_id

        name = self.name

        focus_areas = self.focus_areas



        client_count = self.client_count

        capacity: int | None
        capacity = self.capacity

        accepting_new_clients = self.accepting_new_clients

        available = self.available


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "advisor_id": advisor_id,
            "name": name,
            "focus_areas": focus_areas,
            "client_count": client_count,
            "capacity": capacity,
            "accepting_new_clients": accepting_new_clients,
            "available": available,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        advisor_id = d.pop("advisor_id")

        name = d.pop("name")

        focus_areas = cast(list[str], d.pop("focus_areas"))


        client_count = d.pop("client_count")

        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        accepting_new_clients = d.pop("accepting_new_clients")

        available = d.pop("available")

        advisor_summary = cls(
            advisor_id=advisor_id,
            name=name,
            focus_areas=focus_areas,
            client_count=client_count,
            capacity=capacity,
            accepting_new_clients=accepting_new_clients,
            available=available,
        )


        advisor_summary.additional_properties = d
        return advisor_summary

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
