"""The API's Lambda authorizer (TOKEN): lets through a person's Cognito ID token or a service's
access token, and passes on who is calling.

API Gateway calls it with the Authorization header of a request to any route that is not
public, and caches its answer per token (ReauthorizeEvery in template.yaml). The decision is
advisor_book.tokens'; which route the caller may call is decided by the functions from the
context passed on. A refused token raises "Unauthorized", which API Gateway turns into its
UNAUTHORIZED response (401); any other failure is a 500. No AWS access at all.
"""

import advisor_book.coldstart as coldstart  # first: no garbage collection during init

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from advisor_book.tokens import TokenRefusedError, TokenRules, TokenVerifier, allow

logger = Logger()
verifier = TokenVerifier(TokenRules.from_environment())


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        claims = verifier.claims(event.get("authorizationToken"))
    except TokenRefusedError as refused:
        logger.info("token refused", extra={"reason": str(refused)})
        # The message API Gateway reads: "Unauthorized" is its 401.
        raise Exception("Unauthorized") from None
    logger.info("token accepted", extra={"token_use": claims["token_use"]})
    return allow(claims, event["methodArn"])


coldstart.ready()
