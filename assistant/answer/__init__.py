"""Answers: pick the source sentences that answer, cite them, flag disagreeing sources."""
