"""The plugin API: hook specifications and the plugin manager."""
