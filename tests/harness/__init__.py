"""Test harness for drctl integration tests (moto server, drctl runner)."""
