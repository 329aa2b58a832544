"""The benchmark runner behind ``bench/run.py`` (``make bench``), in parts:

- ``scenarios``: what is measured (URL names, roles, bodies), URL resolution, in-process query counts,
  the timed sweep commands;
- ``load``: the load generators (wrk with ``bench/wrk_report.lua``, or a Python closed loop);
- ``server``: gunicorn in the production profile, plain HTTP requests, signing in, RSS;
- ``database``: the environment, migrations, the seed and the fixtures the scenarios need;
- ``results``: the markdown table, the machine line, ``bench/results/`` and docs/bench.md;
- ``main``: the options and the run.
"""
