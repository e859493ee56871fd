"""Hotline's engine: scenario language, SimPy world, sessions, what-if and reports."""

__version__ = "0.1.0"
