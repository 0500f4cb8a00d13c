from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.advisor_summary import AdvisorSummary





T = TypeVar("T", bound="Suggestion")



@_attrs_define
class Suggestion:
    """ 
        Attributes:
            rank (int): 1 for the best match.
            advisor (AdvisorSummary):
            matched_focus_areas (list[str]): The advisor's focus areas among those requested, as the advisor names them.
            remaining_capacity (int | None): How many more clients the advisor can take; null = unlimited.
            reason (str): Why this rank, in words.
     """

    rank: int
    advisor: AdvisorSummary
    matched_focus_areas: list[str]
    remaining_capacity: int | None
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.advisor_summary import AdvisorSummary # noqa: PLC0415
        rank = self.rank

        advisor = self.advisor.to_dict()

        matched_focus_areas = self.matched_focus_areas



        remaining_capacity: int | None
        remaining_capacity = self.remaining_capacity

        reason = self.reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "rank": rank,
            "advisor": advisor,
            "matched_focus_areas": matched_focus_areas,
            "remaining_capacity": remaining_capacity,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.advisor_summary import AdvisorSummary # noqa: PLC0415
        d = dict(src_dict)
        rank = d.pop("rank")

        advisor = AdvisorSummary.from_dict(d.pop("advisor"))




        matched_focus_areas = cast(list[str], d.pop("matched_focus_areas"))


        def _parse_remaining_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        remaining_capacity = _parse_remaining_capacity(d.pop("remaining_capacity"))


        reason = d.pop("reason")

        suggestion = cls(
            rank=rank,
            advisor=advisor,
            matched_focus_areas=matched_focus_areas,
            remaining_capacity=remaining_capacity,
            reason=reason,
        )


        suggestion.additional_properties = d
        return suggestion

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
