"""Push a plan to Jira: mapping, diff (changes as data), the adapter and the push engine.

`syncsvc.jira.push.push_plan` is the entry point. Only `syncsvc.jira.adapter` imports the `jira`
library, and nothing here imports it at package import time (cold start of the CLI).
"""
