from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="AssignAdvisorRequest")



@_attrs_define
class AssignAdvisorRequest:
    """ 
        Attributes:
            advisor_id (str): Letters, digits, '.', '_' or '-'; at most 64 characters.
     """

    advisor_id: str





    def to_dict(self) -> dict[str, Any]:
        advisor_id = self.advisor_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "advisor_id": advisor_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        advisor_id = d.pop("advisor_id")

        assign_advisor_request = cls(
            advisor_id=advisor_id,
        )

        return assign_advisor_request

