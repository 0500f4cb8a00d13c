from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.suggestion_page import SuggestionPage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    client_id: str,
    *,
    focus_area: list[str] | None | Unset = UNSET,
    limit: int | Unset = 5,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_focus_area: list[str] | None | Unset
    if isinstance(focus_area, Unset):
        json_focus_area = UNSET
    elif isinstance(focus_area, list):
        json_focus_area = focus_area


    else:
        json_focus_area = focus_area
    params["focus_area"] = json_focus_area

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/clients/{client_id}/advisor-suggestions".format(client_id=quote(str(client_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | SuggestionPage | None:
    if response.status_code == 200:
        response_200 = SuggestionPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | SuggestionPage]:
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
    focus_area: list[str] | None | Unset = UNSET,
    limit: int | Unset = 5,

) -> Response[ErrorBody | SuggestionPage]:
    """ Suggest advisors for a client

     Available advisors other than the client's own, best first: by how many of the requested focus areas
    they cover, then by how many more clients they can take (unlimited first), then by advisor id; each
    with the reason for its rank.

    Args:
        client_id (str): The client's id.
        focus_area (list[str] | None | Unset): A focus area the client needs (case-insensitive);
            repeat it for several (at most 20). Without one, advisors are ranked by capacity alone.
        limit (int | Unset): How many advisors, 1 to 25. Default: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | SuggestionPage]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
focus_area=focus_area,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    client_id: str,
    *,
    client: AuthenticatedClient,
    focus_area: list[str] | None | Unset = UNSET,
    limit: int | Unset = 5,

) -> ErrorBody | SuggestionPage | None:
    """ Suggest advisors for a client

     Available advisors other than the client's own, best first: by how many of the requested focus areas
    they cover, then by how many more clients they can take (unlimited first), then by advisor id; each
    with the reason for its rank.

    Args:
        client_id (str): The client's id.
        focus_area (list[str] | None | Unset): A focus area the client needs (case-insensitive);
            repeat it for several (at most 20). Without one, advisors are ranked by capacity alone.
        limit (int | Unset): How many advisors, 1 to 25. Default: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | SuggestionPage
     """


    return sync_detailed(
        client_id=client_id,
client=client,
focus_area=focus_area,
limit=limit,

    ).parsed

async def asyncio_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    focus_area: list[str] | None | Unset = UNSET,
    limit: int | Unset = 5,

) -> Response[ErrorBody | SuggestionPage]:
    """ Suggest advisors for a client

     Available advisors other than the client's own, best first: by how many of the requested focus areas
    they cover, then by how many more clients they can take (unlimited first), then by advisor id; each
    with the reason for its rank.

    Args:
        client_id (str): The client's id.
        focus_area (list[str] | None | Unset): A focus area the client needs (case-insensitive);
            repeat it for several (at most 20). Without one, advisors are ranked by capacity alone.
        limit (int | Unset): How many advisors, 1 to 25. Default: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | SuggestionPage]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
focus_area=focus_area,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    client_id: str,
    *,
    client: AuthenticatedClient,
    focus_area: list[str] | None | Unset = UNSET,
    limit: int | Unset = 5,

) -> ErrorBody | SuggestionPage | None:
    """ Suggest advisors for a client

     Available advisors other than the client's own, best first: by how many of the requested focus areas
    they cover, then by how many more clients they can take (unlimited first), then by advisor id; each
    with the reason for its rank.

    Args:
        client_id (str): The client's id.
        focus_area (list[str] | None | Unset): A focus area the client needs (case-insensitive);
            repeat it for several (at most 20). Without one, advisors are ranked by capacity alone.
        limit (int | Unset): How many advisors, 1 to 25. Default: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | SuggestionPage
     """


    return (await asyncio_detailed(
        client_id=client_id,
client=client,
focus_area=focus_area,
limit=limit,

    )).parsed
