"""Report formats for CI: each module renders diagnostics as one string.

Every module exposes ``render(diagnostics, rules, root=None) -> str``, a pure function of its
arguments: ``sarif`` (SARIF 2.1.0 for code scanning), ``github`` (Actions workflow commands),
``junit`` (JUnit XML) and ``markdown`` (a pull-request comment or job summary).
"""
