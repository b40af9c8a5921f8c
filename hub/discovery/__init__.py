"""Discovery of devices on the LAN (zeroconf) and on MQTT, dispatched to integrations."""
