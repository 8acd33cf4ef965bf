"""Helpers shared by tests of every area (not fixtures: plain functions)."""
