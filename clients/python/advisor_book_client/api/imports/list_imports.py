from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.import_page import ImportPage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    key: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_key: None | str | Unset
    if isinstance(key, Unset):
        json_key = UNSET
    else:
        json_key = key
    params["key"] = json_key

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
        "url": "/imports",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | ImportPage | None:
    if response.status_code == 200:
        response_200 = ImportPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | ImportPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    key: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> Response[ErrorBody | ImportPage]:
    """ List seed-file imports

     Imports newest first: all of them, or those of one S3 key.

    Args:
        key (None | str | Unset): Only this S3 key.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ImportPage]
     """


    kwargs = _get_kwargs(
        key=key,
limit=limit,
next_token=next_token,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    key: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> ErrorBody | ImportPage | None:
    """ List seed-file imports

     Imports newest first: all of them, or those of one S3 key.

    Args:
        key (None | str | Unset): Only this S3 key.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ImportPage
     """


    return sync_detailed(
        client=client,
key=key,
limit=limit,
next_token=next_token,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    key: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> Response[ErrorBody | ImportPage]:
    """ List seed-file imports

     Imports newest first: all of them, or those of one S3 key.

    Args:
        key (None | str | Unset): Only this S3 key.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ImportPage]
     """


    kwargs = _get_kwargs(
        key=key,
limit=limit,
next_token=next_token,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    key: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> ErrorBody | ImportPage | None:
    """ List seed-file imports

     Imports newest first: all of them, or those of one S3 key.

    Args:
        key (None | str | Unset): Only this S3 key.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ImportPage
     """


    return (await asyncio_detailed(
        client=client,
key=key,
limit=limit,
next_token=next_token,

    )).parsed
