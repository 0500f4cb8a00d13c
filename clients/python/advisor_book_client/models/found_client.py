from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="FoundClient")



@_attrs_define
class FoundClient:
    """ 
        Attributes:
            client_id (str):
            first_name (str):
            last_name (str):
            advisor_id (None | str): The client's advisor; null: none.
            total_value (str): Exact sum of the client's account values.
     """

    client_id: str
    first_name: str
    last_name: str
    advisor_id: None | str
    total_value: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        first_name = self.first_name

        last_name = self.last_name

        advisor_id: None | str
        advisor_id = self.advisor_id

        total_value = self.total_value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "client_id": client_id,
            "first_name": first_name,
            "last_name": last_name,
            "advisor_id": advisor_id,
            "total_value": total_value,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_id = d.pop("client_id")

        first_name = d.pop("first_name")

        last_name = d.pop("last_name")

        def _parse_advisor_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        advisor_id = _parse_advisor_id(d.pop("advisor_id"))


        total_value = d.pop("total_value")

        found_client = cls(
            client_id=client_id,
            first_name=first_name,
            last_name=last_name,
            advisor_id=advisor_id,
            total_value=total_value,
        )


        found_client.additional_properties = d
        return found_client

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
