"""A bare Django project: the yardstick the issue's 70 % goal is measured against.

One view returns "ok", another renders a tiny template; Django's default middleware
(as ``startproject`` writes it), no database, no apps of Kindred. It runs behind the same
gunicorn file and worker count as Kindred (benchmarks/serve.py).
"""
