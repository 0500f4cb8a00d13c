"""docs/deploy.md's `sam local invoke` table: a row for every sample event, each naming the
function the template hands the event to, in a command that passes env.json."""

import json
import re

from local.harness import template
from local.tools.sample_events import EVENTS
from tests.conftest import ROOT

ROW = re.compile(r"^\| `(?P<event>[^`]+)` \| `(?P<function>[^`]+)` \| `(?P<command>.+)` \|$")


def documented_rows() -> dict[str, tuple[str, str]]:
    text = (ROOT / "docs" / "deploy.md").read_text()
    section = text.split("## `sam local invoke`", 1)[1]
    return {
        match["event"]: (match["function"], match["command"].replace("\\|", "|"))
        for match in map(ROW.match, section.splitlines())
        if match
    }


def function_for(event: dict[str, object]) -> str:
    if "httpMethod" in event:
        routes = {(r.method, r.path): r.function for r in template.routes()}
        return routes[(str(event["httpMethod"]), str(event["resource"]))]
    (function,) = {f.logical_id for f in template.functions().values() if f.bucket_triggers}
    return function


def test_every_sample_event_has_its_row() -> None:
    assert set(documented_rows()) == {path.name for path in EVENTS.glob("*.json")}


def test_each_row_names_the_function_the_template_hands_the_event_to() -> None:
    for name, (function, command) in documented_rows().items():
        event = json.loads((EVENTS / name).read_text())
        assert function == function_for(event), name
        assert f"sam local invoke {function} -e " in command, name
        assert command.endswith("--env-vars env.json"), name
        assert f"events/{name}" in command, name
