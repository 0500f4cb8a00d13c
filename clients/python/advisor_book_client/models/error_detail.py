from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.error_detail_code import ErrorDetailCode
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.error_detail_details_type_0_item import ErrorDetailDetailsType0Item





T = TypeVar("T", bound="ErrorDetail")



@_attrs_define
class ErrorDetail:
    """ 
        Attributes:
            code (ErrorDetailCode):
            message (str):
            details (list[ErrorDetailDetailsType0Item] | None | Unset):
     """

    code: ErrorDetailCode
    message: str
    details: list[ErrorDetailDetailsType0Item] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.error_detail_details_type_0_item import ErrorDetailDetailsType0Item # noqa: PLC0415
        code = self.code.value

        message = self.message

        details: list[dict[str, Any]] | None | Unset
        if isinstance(self.details, Unset):
            details = UNSET
        elif isinstance(self.details, list):
            details = []
            for details_type_0_item_data in self.details:
                details_type_0_item = details_type_0_item_data.to_dict()
                details.append(details_type_0_item)


        else:
            details = self.details


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "message": message,
        })
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_detail_details_type_0_item import ErrorDetailDetailsType0Item # noqa: PLC0415
        d = dict(src_dict)
        code = ErrorDetailCode(d.pop("code"))




        message = d.pop("message")

        def _parse_details(data: object) -> list[ErrorDetailDetailsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                details_type_0 = []
                _details_type_0 = data
                for details_type_0_item_data in (_details_type_0):
                    details_type_0_item = ErrorDetailDetailsType0Item.from_dict(details_type_0_item_data)



                    details_type_0.append(details_type_0_item)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ErrorDetailDetailsType0Item] | None | Unset, data)

        details = _parse_details(d.pop("details", UNSET))


        error_detail = cls(
            code=code,
            message=message,
            details=details,
        )


        error_detail.additional_properties = d
        return error_detail

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
