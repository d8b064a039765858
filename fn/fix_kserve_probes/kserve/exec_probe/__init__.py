"""What an exec readiness probe checks: its command (argv or an ``sh -c`` script) read
as the endpoint it polls, so a rewrite keeps the same check.

``exec_endpoint(command)`` is the entry point; ``shell_words`` splits scripts,
``exec_tools`` and ``python_check`` read each tool's options, ``endpoints`` holds the
result types and host and port rules. Standard library only, pure functions.
"""
