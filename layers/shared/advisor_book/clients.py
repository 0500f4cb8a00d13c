"""Reading one client with its accounts and current advisor."""

from advisor_book.errors import NotFoundError
from advisor_book.models import ClientDetail
from advisor_book.repository import BookRepository


def client_detail(repo: BookRepository, client_id: str) -> ClientDetail:
    client = repo.get_client(client_id)
    if client is None:
        raise NotFoundError(f"client {client_id} not found")
    return ClientDetail.model_validate(client.model_dump())
