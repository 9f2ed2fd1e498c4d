"""Tests written for the hardening issue: access, input, failure and load."""
