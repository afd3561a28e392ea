"""Testing helpers for code built on gridgov, imported only on request.

Nothing is re-exported here: import the strategies from :mod:`gridgov.testing.strategies`
(hypothesis must be installed, e.g. with ``pip install gridgov[testing]``) and the invariant
checks from their own submodules.  ``import gridgov`` never imports this package.

Example:
    >>> import gridgov.testing
    >>> gridgov.testing.__all__
    []
"""

from __future__ import annotations

__all__: list[str] = []
