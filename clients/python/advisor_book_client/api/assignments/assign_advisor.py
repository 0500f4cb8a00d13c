from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.assign_advisor_request import AssignAdvisorRequest
from ...models.assignment import Assignment
from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    client_id: str,
    *,
    body: AssignAdvisorRequest,
    if_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/clients/{client_id}/advisor".format(client_id=quote(str(client_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Assignment | ErrorBody | None:
    if response.status_code == 200:
        response_200 = Assignment.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())



        return response_409

    if response.status_code == 412:
        response_412 = ErrorBody.from_dict(response.json())



        return response_412

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())



        return response_429

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())



        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Assignment | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: AssignAdvisorRequest,
    if_match: str | Unset = UNSET,

) -> Response[Assignment | ErrorBody]:
    """ Assign or reassign a client's advisor

     Gives the client this advisor, moving it from its previous advisor if any. Repeating an assignment
    that already holds is a 200 that changes nothing. With If-Match or expected_advisor_id, only if the
    client's assignment is still the one expected.

    Args:
        client_id (str): The client's id.
        if_match (str | Unset):
        body (AssignAdvisorRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Assignment | ErrorBody]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
body=body,
if_match=if_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: AssignAdvisorRequest,
    if_match: str | Unset = UNSET,

) -> Assignment | ErrorBody | None:
    """ Assign or reassign a client's advisor

     Gives the client this advisor, moving it from its previous advisor if any. Repeating an assignment
    that already holds is a 200 that changes nothing. With If-Match or expected_advisor_id, only if the
    client's assignment is still the one expected.

    Args:
        client_id (str): The client's id.
        if_match (str | Unset):
        body (AssignAdvisorRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Assignment | ErrorBody
     """


    return sync_detailed(
        client_id=client_id,
client=client,
body=body,
if_match=if_match,

    ).parsed

async def asyncio_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: AssignAdvisorRequest,
    if_match: str | Unset = UNSET,

) -> Response[Assignment | ErrorBody]:
    """ Assign or reassign a client's advisor

     Gives the client this advisor, moving it from its previous advisor if any. Repeating an assignment
    that already holds is a 200 that changes nothing. With If-Match or expected_advisor_id, only if the
    client's assignment is still the one expected.

    Args:
        client_id (str): The client's id.
        if_match (str | Unset):
        body (AssignAdvisorRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Assignment | ErrorBody]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
body=body,
if_match=if_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    client_id: str,
    *,
    client: AuthenticatedClient,
    body: AssignAdvisorRequest,
    if_match: str | Unset = UNSET,

) -> Assignment | ErrorBody | None:
    """ Assign or reassign a client's advisor

     Gives the client this advisor, moving it from its previous advisor if any. Repeating an assignment
    that already holds is a 200 that changes nothing. With If-Match or expected_advisor_id, only if the
    client's assignment is still the one expected.

    Args:
        client_id (str): The client's id.
        if_match (str | Unset):
        body (AssignAdvisorRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Assignment | ErrorBody
     """


    return (await asyncio_detailed(
        client_id=client_id,
client=client,
body=body,
if_match=if_match,

    )).parsed
