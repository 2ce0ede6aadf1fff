"""Evaluation: question sets, adapters for public news QA sets, metrics."""
