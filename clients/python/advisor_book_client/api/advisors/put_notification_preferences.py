from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.notification_preferences import NotificationPreferences
from ...models.notification_preferences_request import NotificationPreferencesRequest
from typing import cast



def _get_kwargs(
    advisor_id: str,
    *,
    body: NotificationPreferencesRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/advisors/{advisor_id}/notification-preferences".format(advisor_id=quote(str(advisor_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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
    body: NotificationPreferencesRequest,

) -> Response[ErrorBody | NotificationPreferences]:
    """ Replace an advisor's notification preferences

     Replaces all of them: a field the body leaves out is cleared. Advisors change their own; not
    services.

    Args:
        advisor_id (str): The advisor's id.
        body (NotificationPreferencesRequest): The whole of an advisor's preferences: what the
            body leaves out is cleared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | NotificationPreferences]
     """


    kwargs = _get_kwargs(
        advisor_id=advisor_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    advisor_id: str,
    *,
    client: AuthenticatedClient,
    body: NotificationPreferencesRequest,

) -> ErrorBody | NotificationPreferences | None:
    """ Replace an advisor's notification preferences

     Replaces all of them: a field the body leaves out is cleared. Advisors change their own; not
    services.

    Args:
        advisor_id (str): The advisor's id.
        body (NotificationPreferencesRequest): The whole of an advisor's preferences: what the
            body leaves out is cleared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | NotificationPreferences
     """


    return sync_detailed(
        advisor_id=advisor_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    advisor_id: str,
    *,
    client: AuthenticatedClient,
    body: NotificationPreferencesRequest,

) -> Response[ErrorBody | NotificationPreferences]:
    """ Replace an advisor's notification preferences

     Replaces all of them: a field the body leaves out is cleared. Advisors change their own; not
    services.

    Args:
        advisor_id (str): The advisor's id.
        body (NotificationPreferencesRequest): The whole of an advisor's preferences: what the
            body leaves out is cleared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | NotificationPreferences]
     """


    kwargs = _get_kwargs(
        advisor_id=advisor_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    advisor_id: str,
    *,
    client: AuthenticatedClient,
    body: NotificationPreferencesRequest,

) -> ErrorBody | NotificationPreferences | None:
    """ Replace an advisor's notification preferences

     Replaces all of them: a field the body leaves out is cleared. Advisors change their own; not
    services.

    Args:
        advisor_id (str): The advisor's id.
        body (NotificationPreferencesRequest): The whole of an advisor's preferences: what the
            body leaves out is cleared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | NotificationPreferences
     """


    return (await asyncio_detailed(
        advisor_id=advisor_id,
client=client,
body=body,

    )).parsed
