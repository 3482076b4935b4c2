"""What every object fetched from the server needs to fetch more."""

from __future__ import annotations

from dataclasses import dataclass

from client._graphql import GraphQLClient


@dataclass(frozen=True)
class Session:
    """The GraphQL client of an :class:`client.Api`, and the app URL its objects link to."""

    graphql: GraphQLClient
    app_url: str
