"""Test harness for Fieldhub and its plugins (a pytest plugin, entry point ``pytest11``)."""
