"""Tests of the scenario language: YAML reading, values, models, references, schema, messages."""
