"""Hypothesis profiles: a fast default and a thorough ``ci`` profile.

Select with ``HYPOTHESIS_PROFILE=ci`` (``.ci/run`` does) or ``pytest --hypothesis-profile=ci``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=60, deadline=None)
# 200 examples: the whole suite (3,400+ tests, about 500 of them properties) stays well inside
# CI's 20 minutes on two cores; 300 took 1,096 s of the 1,200 allowed.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
