from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.client_page import ClientPage
from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    unassigned: bool | Unset = False,
    advisor_id: None | str | Unset = UNSET,
    name: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["unassigned"] = unassigned

    json_advisor_id: None | str | Unset
    if isinstance(advisor_id, Unset):
        json_advisor_id = UNSET
    else:
        json_advisor_id = advisor_id
    params["advisor_id"] = json_advisor_id

    json_name: None | str | Unset
    if isinstance(name, Unset):
        json_name = UNSET
    else:
        json_name = name
    params["name"] = json_name

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
        "url": "/clients",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ClientPage | ErrorBody | None:
    if response.status_code == 200:
        response_200 = ClientPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ClientPage | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    unassigned: bool | Unset = False,
    advisor_id: None | str | Unset = UNSET,
    name: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> Response[ClientPage | ErrorBody]:
    """ Find clients

     Clients in client id order (by name with name alone), each with its advisor and exact total: every
    client, or those of one advisor, or those without one; narrowed by a prefix of the first or last
    name, compared without case or accents. unassigned=true and advisor_id together are a 422. An
    advisor finds only their own clients (another advisor's book: 404; unassigned=true: 403).

    Args:
        unassigned (bool | Unset): Only clients without an advisor (not for advisors). Default:
            False.
        advisor_id (None | str | Unset): Only this advisor's clients (for an advisor: their own,
            the default).
        name (None | str | Unset): Only clients whose first or last name starts with this,
            compared without case or accents ("jose" finds "José"); no control or direction
            characters, and not only marks or spaces.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClientPage | ErrorBody]
     """


    kwargs = _get_kwargs(
        unassigned=unassigned,
advisor_id=advisor_id,
name=name,
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
    unassigned: bool | Unset = False,
    advisor_id: None | str | Unset = UNSET,
    name: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> ClientPage | ErrorBody | None:
    """ Find clients

     Clients in client id order (by name with name alone), each with its advisor and exact total: every
    client, or those of one advisor, or those without one; narrowed by a prefix of the first or last
    name, compared without case or accents. unassigned=true and advisor_id together are a 422. An
    advisor finds only their own clients (another advisor's book: 404; unassigned=true: 403).

    Args:
        unassigned (bool | Unset): Only clients without an advisor (not for advisors). Default:
            False.
        advisor_id (None | str | Unset): Only this advisor's clients (for an advisor: their own,
            the default).
        name (None | str | Unset): Only clients whose first or last name starts with this,
            compared without case or accents ("jose" finds "José"); no control or direction
            characters, and not only marks or spaces.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClientPage | ErrorBody
     """


    return sync_detailed(
        client=client,
unassigned=unassigned,
advisor_id=advisor_id,
name=name,
limit=limit,
next_token=next_token,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    unassigned: bool | Unset = False,
    advisor_id: None | str | Unset = UNSET,
    name: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> Response[ClientPage | ErrorBody]:
    """ Find clients

     Clients in client id order (by name with name alone), each with its advisor and exact total: every
    client, or those of one advisor, or those without one; narrowed by a prefix of the first or last
    name, compared without case or accents. unassigned=true and advisor_id together are a 422. An
    advisor finds only their own clients (another advisor's book: 404; unassigned=true: 403).

    Args:
        unassigned (bool | Unset): Only clients without an advisor (not for advisors). Default:
            False.
        advisor_id (None | str | Unset): Only this advisor's clients (for an advisor: their own,
            the default).
        name (None | str | Unset): Only clients whose first or last name starts with this,
            compared without case or accents ("jose" finds "José"); no control or direction
            characters, and not only marks or spaces.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClientPage | ErrorBody]
     """


    kwargs = _get_kwargs(
        unassigned=unassigned,
advisor_id=advisor_id,
name=name,
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
    unassigned: bool | Unset = False,
    advisor_id: None | str | Unset = UNSET,
    name: None | str | Unset = UNSET,
    limit: int | Unset = 25,
    next_token: None | str | Unset = UNSET,

) -> ClientPage | ErrorBody | None:
    """ Find clients

     Clients in client id order (by name with name alone), each with its advisor and exact total: every
    client, or those of one advisor, or those without one; narrowed by a prefix of the first or last
    name, compared without case or accents. unassigned=true and advisor_id together are a 422. An
    advisor finds only their own clients (another advisor's book: 404; unassigned=true: 403).

    Args:
        unassigned (bool | Unset): Only clients without an advisor (not for advisors). Default:
            False.
        advisor_id (None | str | Unset): Only this advisor's clients (for an advisor: their own,
            the default).
        name (None | str | Unset): Only clients whose first or last name starts with this,
            compared without case or accents ("jose" finds "José"); no control or direction
            characters, and not only marks or spaces.
        limit (int | Unset): Page size, 1 to 100. Default: 25.
        next_token (None | str | Unset): The next_token of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClientPage | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
unassigned=unassigned,
advisor_id=advisor_id,
name=name,
limit=limit,
next_token=next_token,

    )).parsed
