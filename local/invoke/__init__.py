"""`make invoke FUNCTION=<logical id> EVENT=<file>` (`python -m local.invoke FUNCTION EVENT`):
one function of template.yaml run once on one event, as `sam local invoke` runs it, without
Docker.

The handler runs in a process of its own made an execution environment of the function
(local.harness.runtime): its environment from the template, every AWS call held to its role,
a Lambda context with its memory and timeout. The AWS it reaches is the running local stack's
emulator (`make run`), found on LOCAL_AWS_PORT by the names the stack gives its resources;
with no stack there, a fresh emulator provisioned from the template and seeded with
LOCAL_SEED_FILE through the ingest function, as an upload to the seed bucket would be. The
response goes to stdout, the function's logs to stderr.

    execution.py   the execution environment: one spawned process, one event, its outcome
    target.py      the AWS it reaches: the running stack's emulator, or a fresh one seeded
    cli.py         the command line: arguments, the event file, the printed report
"""
