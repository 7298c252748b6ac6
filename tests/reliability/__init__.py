"""Reliability suites: crash consistency and fuzzing (short in ``make test``; long with
``PYNSC_RELIABILITY_LONG=1``)."""
