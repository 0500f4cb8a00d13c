from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AssignAdvisorRequest")



@_attrs_define
class AssignAdvisorRequest:
    """ 
        Attributes:
            advisor_id (str): Letters, digits, '.', '_' or '-'; at most 64 characters.
            expected_advisor_id (None | str | Unset): Assign only if the client's advisor is still this one (null: only if
                the client has none); otherwise a 412. Leave it out to assign whatever the client has.
     """

    advisor_id: str
    expected_advisor_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        advisor_id = self.advisor_id

        expected_advisor_id: None | str | Unset
        if isinstance(self.expected_advisor_id, Unset):
            expected_advisor_id = UNSET
        else:
            expected_advisor_id = self.expected_advisor_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "advisor_id": advisor_id,
        })
        if expected_advisor_id is not UNSET:
            field_dict["expected_advisor_id"] = expected_advisor_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        advisor_id = d.pop("advisor_id")

        def _parse_expected_advisor_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expected_advisor_id = _parse_expected_advisor_id(d.pop("expected_advisor_id", UNSET))


        assign_advisor_request = cls(
            advisor_id=advisor_id,
            expected_advisor_id=expected_advisor_id,
        )

        return assign_advisor_request

