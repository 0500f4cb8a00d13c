from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.import_status_status import ImportStatusStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.record_error import RecordError





T = TypeVar("T", bound="ImportStatus")



@_attrs_define
class ImportStatus:
    """ 
        Attributes:
            import_id (str):
            bucket (str):
            key (str):
            status (ImportStatusStatus):
            advisors_upserted (int):
            clients_upserted (int):
            rejected (int): Records rejected; exact even when errors is cut at 100.
            errors (list[RecordError]): The first 100 rejections, in file order.
            started_at (datetime.datetime):
            finished_at (datetime.datetime | None):
            records_done (int | Unset): Records (array elements) read and checked so far, in file order; updated at least
                every 2 seconds of work while the import runs, and never lowered. Default: 0.
            records_total (int | None | Unset): Records (array elements) in the file, known once the first pass over it has
                ended; null until then, and for a file rejected as a whole in that pass.
            records_per_second (int | None | Unset): records_done per second of the time the ingest has worked on the import
                (both passes, every invocation), rounded down; null until it is first measured.
     """

    import_id: str
    bucket: str
    key: str
    status: ImportStatusStatus
    advisors_upserted: int
    clients_upserted: int
    rejected: int
    errors: list[RecordError]
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    records_done: int | Unset = 0
    records_total: int | None | Unset = UNSET
    records_per_second: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.record_error import RecordError # noqa: PLC0415
        import_id = self.import_id

        bucket = self.bucket

        key = self.key

        status = self.status.value

        advisors_upserted = self.advisors_upserted

        clients_upserted = self.clients_upserted

        rejected = self.rejected

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)



        started_at = self.started_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        records_done = self.records_done

        records_total: int | None | Unset
        if isinstance(self.records_total, Unset):
            records_total = UNSET
        else:
            records_total = self.records_total

        records_per_second: int | None | Unset
        if isinstance(self.records_per_second, Unset):
            records_per_second = UNSET
        else:
            records_per_second = self.records_per_second


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "import_id": import_id,
            "bucket": bucket,
            "key": key,
            "status": status,
            "advisors_upserted": advisors_upserted,
            "clients_upserted": clients_upserted,
            "rejected": rejected,
            "errors": errors,
            "started_at": started_at,
            "finished_at": finished_at,
        })
        if records_done is not UNSET:
            field_dict["records_done"] = records_done
        if records_total is not UNSET:
            field_dict["records_total"] = records_total
        if records_per_second is not UNSET:
            field_dict["records_per_second"] = records_per_second

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.record_error import RecordError # noqa: PLC0415
        d = dict(src_dict)
        import_id = d.pop("import_id")

        bucket = d.pop("bucket")

        key = d.pop("key")

        status = ImportStatusStatus(d.pop("status"))




        advisors_upserted = d.pop("advisors_upserted")

        clients_upserted = d.pop("clients_upserted")

        rejected = d.pop("rejected")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in (_errors):
            errors_item = RecordError.from_dict(errors_item_data)



            errors.append(errors_item)


        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))




        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)



                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        records_done = d.pop("records_done", UNSET)

        def _parse_records_total(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        records_total = _parse_records_total(d.pop("records_total", UNSET))


        def _parse_records_per_second(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        records_per_second = _parse_records_per_second(d.pop("records_per_second", UNSET))


        import_status = cls(
            import_id=import_id,
            bucket=bucket,
            key=key,
            status=status,
            advisors_upserted=advisors_upserted,
            clients_upserted=clients_upserted,
            rejected=rejected,
            errors=errors,
            started_at=started_at,
            finished_at=finished_at,
            records_done=records_done,
            records_total=records_total,
            records_per_second=records_per_second,
        )


        import_status.additional_properties = d
        return import_status

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
