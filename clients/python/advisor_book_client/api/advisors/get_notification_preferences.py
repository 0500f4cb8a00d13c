from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.notification_preferences import NotificationPreferences
from typing import cast



def _get_kwargs(
    advisor_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/advisors/{advisor_id}/notification-preferences".format(advisor_id=quote(str(advisor_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | NotificationPreferences | None:
    if response.status_code == 200:
        response_200 = NotificationPreferences.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | NotificationPreferences]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    advisor_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[ErrorBody | NotificationPreferences]:
    """ Get an advisor's notification preferences

     Where the advisor is notified (email, SMS) and of which changes to their book. An advisor who never
    set them has none. Advisors read their own; not services.

    Args:
        advisor_id (str): The advisor's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | NotificationPreferences]
     """


    kwargs = _get_kwargs(
        advisor_id=advisor_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    advisor_id: str,
    *,
    client: AuthenticatedClient,

) -> ErrorBody | NotificationPreferences | None:
    """ Get an advisor's notification preferences

     Where the advisor is notified (email, SMS) and of which changes to their book. An advisor who never
    set them has none. Advisors read their own; not services.

    Args:
        advisor_id (str): The advisor's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | NotificationPreferences
     """


    return sync_detailed(
        advisor_id=advisor_id,
client=client,

    ).parsed

async def asyncio_detailed(
    advisor_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[ErrorBody | NotificationPreferences]:
    """ Get an advisor's notification preferences

     Where the advisor is notified (email, SMS) and of which changes to their book. An advisor who never
    set them has none. Advisors read their own; not services.

    Args:
        advisor_id (str): The advisor's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | NotificationPreferences]
     """


    kwargs = _get_kwargs(
        advisor_id=advisor_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    advisor_id: str,
    *,
    client: AuthenticatedClient,

) -> ErrorBody | NotificationPreferences | None:
    """ Get an advisor's notification preferences

     Where the advisor is notified (email, SMS) and of which changes to their book. An advisor who never
    set them has none. Advisors read their own; not services.

    Args:
        advisor_id (str): The advisor's id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | NotificationPreferences
     """


    return (await asyncio_detailed(
        advisor_id=advisor_id,
client=client,

    )).parsed
