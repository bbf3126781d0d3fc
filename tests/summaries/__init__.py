"""Tests of the one-line summaries (daily_papers.summaries)."""
