"""`make token [ADVISOR=<id>]`: a fresh ID token from the running local stack's user pool.

    python -m local.stack.token                 # the admin's
    python -m local.stack.token --advisor adv-001

An advisor's user is created on first use if the stack has not made it (an advisor imported
after start-up). The stack's emulator is found on LOCAL_AWS_PORT (default 5000): a stack
started with another LOCAL_AWS_PORT is reached by giving make token the same.
"""

import argparse
import os
import sys

from botocore.exceptions import EndpointConnectionError

from local.stack import cognito


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--advisor", help="an advisor id: that advisor's token, not the admin's")
    args = parser.parse_args(argv)
    port = os.environ.get("LOCAL_AWS_PORT", "5000")
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
            # A stack on this machine answers at once or not at all: say so without waiting
            # out botocore's backoff.
            "AWS_RETRY_MODE": "standard",
            "AWS_MAX_ATTEMPTS": "2",
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    try:
        if args.advisor:
            cognito.ensure_user(args.advisor, cognito.ADVISOR_GROUP, args.advisor)
            print(cognito.id_token(args.advisor))
        else:
            print(cognito.id_token(cognito.ADMIN_USER))
    except EndpointConnectionError:
        print(
            f"error: nothing answers on 127.0.0.1:{port}, where make token looks for the local "
            f"stack (LOCAL_AWS_PORT={port}). Start it with make run; if it runs with another "
            "LOCAL_AWS_PORT, give make token the same: LOCAL_AWS_PORT=<port> make token",
            file=sys.stderr,
        )
        return 1
    except Exception as error:
        print(
            f"error: something answers on 127.0.0.1:{port}, but not as the local stack's AWS "
            f"emulator ({type(error).__name__}: {error}). If make run uses another "
            "LOCAL_AWS_PORT, give make token the same: LOCAL_AWS_PORT=<port> make token",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
