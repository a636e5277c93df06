"""Ralph's LRS on the filesystem backend, for the Tin Can e2e tests (lib/ralph.mjs).

Ralph 5.1.0's filesystem LRS backend writes every POST to the same file with operation type
CREATE, which refuses an existing file: every statement POST after the first fails with
"Statements bulk indexation failed" (HTTP 500). Appending is what an LRS file needs, so this
starts Ralph's app with APPEND as the backend's default, and no reloader.

usage: ralph-serve.py HOST PORT   (RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH, RALPH_AUTH_FILE set)
"""
import os
import sys

os.environ.setdefault("RALPH_RUNSERVER_BACKEND", "fs")

from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.data.fs import FSDataBackend  # noqa: E402

FSDataBackend.default_operation_type = BaseOperationType.APPEND

import uvicorn  # noqa: E402

uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
