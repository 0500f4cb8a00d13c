"""Reading a seed file as a stream: the elements of its two arrays, one at a time.

The file is parsed as a stream of JSON events (ijson's C backend, numbers as `Decimal`), so
memory stays flat whatever its size, and no file makes the work grow faster than its size: the
reader counts the depth as the events come and refuses a file nested past MAX_FILE_DEPTH at
once, and builds no record past MAX_RECORD_DEPTH or MAX_RECORD_EVENTS. A file that is not JSON,
ends early, or has neither array is refused as a whole (FileRejectedError).
"""

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson

from advisor_book.ingest.report import clipped_name

ADVISORS = "financial_advisors"
CLIENTS = "clients"
MAX_RECORD_EVENTS = 20_000
MAX_RECORD_DEPTH = 6
MAX_FILE_DEPTH = 128

Event = tuple[str, Any]


class FileRejectedError(Exception):
    """The file as a whole cannot be read: not JSON, truncated, or not in the seed shape."""


_OPENING = ("start_map", "start_array")
_CLOSING = ("end_map", "end_array")
RECORDS_DEPTH = 2
"""The file depth of the arrays that hold the records: the top-level object is depth 1."""


@dataclass(frozen=True)
class Item:
    """One element of a top-level array, or a top-level field that has no business there.

    `refusal` says why it cannot be a record (unknown field, too large, nested too deeply).
    """

    section: str
    index: int
    raw: Any
    refusal: str | None = None

    @property
    def path(self) -> str:
        return f"{self.section}[{self.index}]" if self.index >= 0 else self.section


_DIGITS_AS_ONES = bytes(b"1"[0] if 0x30 <= byte <= 0x39 else 0 for byte in range(256))


class _CountedStream:
    """The stream as the parser reads it: whether anything but whitespace came (to call an
    empty file empty), where the chunk being parsed starts (to place a syntax error), and no
    run of digits longer than int() converts.

    ijson converts an integer with int(), which refuses more than sys.get_int_max_str_digits()
    digits (4300 by default); its C backend then goes on with the error pending and can crash
    the process. Such a run (in a number, or less likely in a string) fails the file first.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.blank = True
        self.chunk_start = 0
        self.consumed = 0
        self._digits_limit = sys.get_int_max_str_digits()
        self._too_many_digits = b"1" * (self._digits_limit + 1)
        self._trailing_digits = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        if self.blank and chunk.strip():
            self.blank = False
        self.chunk_start = self.consumed
        self.consumed += len(chunk)
        if self._digits_limit:
            self._check_digits(chunk)
        return chunk

    def _check_digits(self, chunk: bytes) -> None:
        # A run may go on from the end of the previous chunk: its digits are scanned again.
        scanned = self._trailing_digits + chunk
        if self._too_many_digits in scanned.translate(_DIGITS_AS_ONES):
            raise FileRejectedError(
                f"the file holds a run of more than {self._digits_limit:,} digits, "
                "too long to read as a number"
            )
        kept = len(scanned) - len(scanned.rstrip(b"0123456789"))
        self._trailing_digits = scanned[len(scanned) - kept :] if kept else b""


_PARSER_COMPLAINT = re.compile(r"(lexical|parse) error: [\w ,.'():\\\[\]{}/-]{1,120}")


def _complaint(error: ijson.JSONError) -> str:
    """yajl's description of a syntax error ("lexical error: invalid char in json text").

    The rest of its message is an excerpt of the file, which may hold client names: it is never
    kept, and a description that does not look like one of yajl's own is not kept either. The
    message is text, or bytes when the excerpt is not UTF-8.
    """
    raw = error.args[0] if error.args else b""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    first = text.split("\n", 1)[0].strip().removesuffix(".")
    return first if _PARSER_COMPLAINT.fullmatch(first) else "the parser gave no description"


def _syntax_error(error: ijson.JSONError, stream: _CountedStream) -> FileRejectedError:
    complaint = _complaint(error)
    if stream.blank:
        return FileRejectedError("the file is empty")
    if complaint.endswith("premature EOF"):
        return FileRejectedError("the file ends early")
    return FileRejectedError(
        f"the file is not valid JSON: {complaint}, between byte {stream.chunk_start:,} "
        f"and byte {stream.consumed:,}"
    )


def _too_deep() -> FileRejectedError:
    return FileRejectedError(
        f"the file nests arrays and objects more than {MAX_FILE_DEPTH} levels deep"
    )


def _skip(events: Iterator[Event], depth: int, until: int) -> None:
    """Read past events until the file depth, `depth` now, is back to `until`; the depth is
    checked on the way, so even a file that only ever opens arrays is refused at once."""
    while depth > until:
        event, _ = next(events)
        if event in _OPENING:
            depth += 1
            if depth > MAX_FILE_DEPTH:
                raise _too_deep()
        elif event in _CLOSING:
            depth -= 1


def _build_value(
    events: Iterator[Event], first: Event, build: bool = True
) -> tuple[Any, str | None]:
    """Build one array element from its events, or say why it is refused without building it.
    With `build` false the element is only read past."""
    event, value = first
    if event not in _OPENING:
        return value, None
    if not build:
        _skip(events, RECORDS_DEPTH + 1, RECORDS_DEPTH)
        return None, None
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth, count = 1, 1
    while depth:
        event, value = next(events)
        count += 1
        if event in _OPENING:
            depth += 1
        elif event in _CLOSING:
            depth -= 1
        if depth > MAX_RECORD_DEPTH or count > MAX_RECORD_EVENTS:
            _skip(events, RECORDS_DEPTH + depth, RECORDS_DEPTH)
            reason = "nested too deeply" if depth > MAX_RECORD_DEPTH else "too large"
            return None, f"record is {reason} to be a seed record"
        builder.event(event, value)
    return builder.value, None


def read_items(stream: IO[bytes], build: bool = True) -> Iterator[Item]:
    """Every element of the two top-level arrays in file order, and every unknown top-level
    field; FileRejectedError as soon as the file cannot be a seed file.

    The parser's events carry no path (ijson's `parse` would build one for every event, which
    costs memory with the square of the depth); this reader knows the depth itself.
    """
    counted = _CountedStream(stream)
    events: Iterator[Event] = ijson.basic_parse(counted, use_float=False)
    try:
        first = next(events, None)
        if first is None:
            raise FileRejectedError("the file is empty")
        if first[0] != "start_map":
            raise FileRejectedError(
                "the file must be a JSON object with the arrays financial_advisors and clients"
            )
        sections_seen = 0
        for event, name in events:  # at depth 1: a field name, or the end of the object
            if event == "end_map":
                break
            head, _ = next(events)
            if name not in (ADVISORS, CLIENTS):
                if head in _OPENING:  # its value opened at depth 2
                    _skip(events, 2, 1)
                yield Item(
                    clipped_name(name),
                    -1,
                    None,
                    "unknown top-level field (expected financial_advisors, clients)",
                )
                continue
            if head != "start_array":
                raise FileRejectedError(f"{name} must be an array")
            sections_seen += 1
            index = 0
            while True:
                element = next(events)
                if element[0] == "end_array":
                    break
                raw, refusal = _build_value(events, element, build)
                yield Item(name, index, raw, refusal)
                index += 1
        for _ in events:
            pass
        if not sections_seen:
            raise FileRejectedError("the file has neither a financial_advisors nor a clients array")
    except ijson.JSONError as error:
        raise _syntax_error(error, counted) from error
    except ArithmeticError as error:
        raise FileRejectedError(
            "the file holds a number whose exponent is too large to read"
        ) from error
    except StopIteration as error:
        raise FileRejectedError("the file ends early") from error


def check_structure(stream: IO[bytes]) -> int:
    """The first pass: the whole file is read and nothing is written; how many items (records
    and unknown top-level fields) the second pass will go through.

    Records are only read past, not built, which makes this pass several times faster.
    """
    return sum(1 for _ in read_items(stream, build=False))
