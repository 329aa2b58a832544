import sys
import threading

from notifications.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    """Prints each SMS to standard output (the local default)."""

    _lock = threading.Lock()

    def __init__(self, stream=None, **kwargs):
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout

    def send_messages(self, messages) -> int:
        with self._lock:
            for i, message in enumerate(messages):
                message.provider_id = message.provider_id or f"console-{id(message)}-{i}"
                self.stream.write(f"SMS to {message.to}: {message.body}\n{'-' * 40}\n")
            self.stream.flush()
        return len(messages)
