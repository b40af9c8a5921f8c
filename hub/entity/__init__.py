"""Entities, their platforms, and the entity and device registries."""
