from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.assignment_history_page import AssignmentHistoryPage
from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    client_id: str,
    *,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_next_token: None | str | Unset
    if isinstance(next_token, Unset):
        json_next_token = UNSET
    else:
        json_next_token = next_token
    params["next_token"] = json_next_token


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/clients/{client_id}/assignments".format(client_id=quote(str(client_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AssignmentHistoryPage | ErrorBody | None:
    if response.status_code == 200:
        response_200 = AssignmentHistoryPage.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())



        return response_404

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())



        return response_413

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AssignmentHistoryPage | ErrorBody]:
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
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> Response[AssignmentHistoryPage | ErrorBody]:
    """ List a client's assignment history

     Every assign, reassign and unassign of the client, newest first.

    Args:
        client_id (str): The client's id.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssignmentHistoryPage | ErrorBody]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
limit=limit,
next_token=next_token,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    client_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> AssignmentHistoryPage | ErrorBody | None:
    """ List a client's assignment history

     Every assign, reassign and unassign of the client, newest first.

    Args:
        client_id (str): The client's id.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssignmentHistoryPage | ErrorBody
     """


    return sync_detailed(
        client_id=client_id,
client=client,
limit=limit,
next_token=next_token,

    ).parsed

async def asyncio_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> Response[AssignmentHistoryPage | ErrorBody]:
    """ List a client's assignment history

     Every assign, reassign and unassign of the client, newest first.

    Args:
        client_id (str): The client's id.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssignmentHistoryPage | ErrorBody]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
limit=limit,
next_token=next_token,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    client_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> AssignmentHistoryPage | ErrorBody | None:
    """ List a client's assignment history

     Every assign, reassign and unassign of the client, newest first.

    Args:
        client_id (str): The client's id.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssignmentHistoryPage | ErrorBody
     """


    return (await asyncio_detailed(
        client_id=client_id,
client=client,
limit=limit,
next_token=next_token,

    )).parsed
