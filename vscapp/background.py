"""Work done after a page has answered, inside an app context, one piece at a time.

For answers whose timing must not depend on what the work finds (the forgot-password form).
One worker thread per process runs the pieces in order: the number of threads stays bounded
however many requests come, and pieces never race each other within a process. A failure is
logged, never raised: nobody is waiting for it.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

THREAD_PREFIX = "vscapp-background"
log = logging.getLogger(__name__)
_executor = None
_lock = threading.Lock()


def run(app, work, *args):
    """Queue `work(*args)`, to run in an app context of `app`."""
    return _worker().submit(_run, app, work, args)


def wait():
    """Return once everything queued so far has run (for the tests)."""
    _worker().submit(lambda: None).result()


def _worker():
    global _executor
    with _lock:
        if _executor is None:  # made on first use: in each process, after any fork
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_PREFIX)
        return _executor


def _run(app, work, args):
    from vscapp.extensions import db

    with app.app_context():
        try:
            work(*args)
        except Exception:
            db.session.rollback()
            log.exception("background work %s failed", work.__name__)
