"""A queue worker that serves nothing: it polls for jobs and logs each tick (dockgen e2e)."""

import time

import six

print("python-worker e2e-v1 started", flush=True)
while True:
    print("tick", six.PY3, flush=True)
    time.sleep(2)
