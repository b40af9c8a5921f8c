"""The WebSocket API at ``/api/websocket``: auth handshake, id-numbered commands, subscriptions."""
