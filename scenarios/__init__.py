"""Scenarios shipped with Hotline, carried into the wheel as package data."""
