"""Tests of the engine: the SimPy world, its event log, sessions, metrics and `hotline run`."""
