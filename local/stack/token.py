"""`make token [ADVISOR=<id> | CLIENT=<name>]`: a fresh token from the running local stack's
user pool.

    python -m local.stack.token                 # the admin's ID token
    python -m local.stack.token --advisor adv-001
    python -m local.stack.token --client IntegratorClient               # every scope it may ask
    python -m local.stack.token --client IntegratorClient --scope advisor-book/read

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
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--advisor", help="an advisor id: that advisor's token, not the admin's")
    who.add_argument(
        "--client",
        help="an app client of the template with the client-credentials grant (its logical id): "
        "a service's access token",
    )
    parser.add_argument(
        "--scope", action="append", help="with --client: a scope to ask for (repeatable)"
    )
    args = parser.parse_args(argv)
    if args.scope and not args.client:
        parser.error("--scope needs --client")
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
        if args.client:
            print(cognito.service_token(args.client, args.scope))
        elif args.advisor:
            cognito.ensure_user(args.advisor, cognito.ADVISOR_GROUP, args.advisor)
            print(cognito.id_token(args.advisor))
        else:
            print(cognito.id_token(cognito.ADMIN_USER))
    except (LookupError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
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
