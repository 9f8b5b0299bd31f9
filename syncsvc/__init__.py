"""syncsvc: turn a feature launch into a rollout plan and keep it alive in Jira and Sheets."""

__version__ = "0.1.0"
