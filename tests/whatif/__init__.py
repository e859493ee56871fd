"""Tests of the what-if analysis: statistics, plans, backends, pairing, sweep files, CLI, fork."""
