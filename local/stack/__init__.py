"""The local stack behind `make run` (`python -m local.stack`): the template's API served over
HTTP from the functions' own handlers, against an embedded AWS emulator, with no Docker and no
AWS account. `run` starts and stops it all; `emulator` and `fidelity` are moto made to behave
as AWS where the product depends on it; `gateway` and `api_server` are API Gateway;
`instances` are Lambda's execution environments; `notifications` delivers S3 and SQS events;
`cognito` holds its users, their tokens and the authorizer's check; `token` is `make token`.
Importing the package imports none of its modules: `python -m local.stack.token` and
`python -m local.stack.emulator` load only what they use.
"""
