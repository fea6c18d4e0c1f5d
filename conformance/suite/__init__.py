"""The conformance suite: one module an area (``test_<area>.py``)."""
