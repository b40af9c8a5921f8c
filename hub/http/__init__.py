"""The HTTP and WebSocket API: aiohttp server, users, roles and tokens, REST views, static UI."""
