"""Shared fixtures of the flow and workbench tests."""

from tests.workflows.tasks.fixtures import *  # noqa: F403
