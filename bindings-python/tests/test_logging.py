"""The `authing_resign` logger as a library's logger should behave: a NullHandler (no
retry warning on stderr in an application that configured no logging) and
`logging.disable()` respected."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from typing import List

from conftest import KEY_ID, SECRET, Emulator, make_client


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _retried_call(emulator: Emulator, name: str) -> None:
    (user,) = emulator.seed([{"username": name}])
    emulator.fault("http_status", times=1, status=503)
    assert make_client(emulator, max_retries=1).resign_user_batch([user["userId"]]).data.success


def test_logging_disable_silences_the_sdk(emulator: Emulator) -> None:
    logger = logging.getLogger("authing_resign")
    handler = _Collect()
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        _retried_call(emulator, "logged")
        assert any(r.levelno == logging.WARNING for r in handler.records), "a retry is logged"
        handler.records.clear()
        logging.disable(logging.CRITICAL)
        try:
            _retried_call(emulator, "silenced")
        finally:
            logging.disable(logging.NOTSET)
        assert handler.records == []
        # Disabling up to INFO leaves warnings through.
        logging.disable(logging.INFO)
        try:
            _retried_call(emulator, "warned")
        finally:
            logging.disable(logging.NOTSET)
        assert handler.records and all(r.levelno > logging.INFO for r in handler.records)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)



def test_a_level_change_anywhere_takes_effect_at_the_next_call(emulator: Emulator) -> None:
    # The binding re-reads the level only when logging's own level cache was emptied
    # (setLevel on any logger, logging.disable): an inherited level set on the root
    # logger between calls counts, and an unchanged level keeps its records coming.
    logger, root = logging.getLogger("authing_resign"), logging.getLogger()
    handler = _Collect()
    old, old_root = logger.level, root.level
    logger.addHandler(handler)
    logger.setLevel(logging.NOTSET)
    try:
        root.setLevel(logging.ERROR)
        _retried_call(emulator, "root-error")
        assert handler.records == []
        root.setLevel(logging.WARNING)
        for n in range(2):
            _retried_call(emulator, f"root-warning{n}")
            assert [r.levelno for r in handler.records] == [logging.WARNING], handler.records
            handler.records.clear()
        root.setLevel(logging.ERROR)
        _retried_call(emulator, "root-error-again")
        assert handler.records == []
        # logging's own answers are untouched by what the binding keeps in that cache.
        assert not logger.isEnabledFor(logging.WARNING) and logger.isEnabledFor(logging.ERROR)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
        root.setLevel(old_root)

def _child(emulator: Emulator, configure: str) -> "subprocess.CompletedProcess[str]":
    (user,) = emulator.seed([{"username": "child" + str(len(configure))}])
    emulator.fault("http_status", times=1, status=503)
    code = textwrap.dedent(
        f"""
        import logging
        {configure}
        import authing_resign
        c = authing_resign.ManagementClient({KEY_ID!r}, {SECRET!r}, {emulator.url!r}, max_retries=1)
        assert c.resign_user_batch([{user["userId"]!r}]).data.success
        """
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_an_application_without_logging_config_sees_no_sdk_output(emulator: Emulator) -> None:
    quiet = _child(emulator, "")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "", "the NullHandler keeps logging's last-resort handler out"
    # The same retry is visible once the application configures logging.
    shown = _child(emulator, "logging.basicConfig(level=logging.WARNING)")
    assert shown.returncode == 0, shown.stderr
    assert "WARNING:authing_resign:" in shown.stderr, shown.stderr


def test_the_package_logger_has_a_null_handler() -> None:
    handlers = logging.getLogger("authing_resign").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)
