"""KServe knowledge and the decisions made with it, over plain data.

Which containers an agent reads, which runtime KServe merges under them, which server
runs there and what it answers, and the planner that turns all that into edits and
findings. Nothing here imports the CLI, the KRM layer or the text engine.
"""
