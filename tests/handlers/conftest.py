"""Fixtures for the Slack surface tests (the harness lives in slack_harness.py)."""

from slack_harness import slack  # noqa: F401  (re-exported fixture)
