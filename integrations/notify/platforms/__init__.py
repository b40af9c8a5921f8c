"""The platforms this integration ships: each module builds a sender from its options."""
