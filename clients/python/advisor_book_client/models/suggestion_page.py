from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.suggestion import Suggestion





T = TypeVar("T", bound="SuggestionPage")



@_attrs_define
class SuggestionPage:
    """ 
        Attributes:
            client_id (str):
            focus_areas (list[str]): The focus areas ranked on, once each.
            items (list[Suggestion]): Best first.
            considered (int): Available advisors ranked.
            complete (bool): Whether every available advisor was ranked (false: only the first 500 by advisor id were).
     """

    client_id: str
    focus_areas: list[str]
    items: list[Suggestion]
    considered: int
    complete: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.suggestion import Suggestion # noqa: PLC0415
        client_id = self.client_id

        focus_areas = self.focus_areas



        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        considered = self.considered

        complete = self.complete


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "client_id": client_id,
            "focus_areas": focus_areas,
            "items": items,
            "considered": considered,
            "complete": complete,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.suggestion import Suggestion # noqa: PLC0415
        d = dict(src_dict)
        client_id = d.pop("client_id")

        focus_areas = cast(list[str], d.pop("focus_areas"))


        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = Suggestion.from_dict(items_item_data)



            items.append(items_item)


        considered = d.pop("considered")

        complete = d.pop("complete")

        suggestion_page = cls(
            client_id=client_id,
            focus_areas=focus_areas,
            items=items,
            considered=considered,
            complete=complete,
        )


        suggestion_page.additional_properties = d
        return suggestion_page

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
