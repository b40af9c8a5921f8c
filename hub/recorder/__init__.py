"""The recorder: state and event history in SQL, statistics, purge and migrations."""
