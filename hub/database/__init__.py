"""The SQL database shared by the registries, the recorder and the alert history."""
