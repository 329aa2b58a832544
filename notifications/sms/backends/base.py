class BaseSmsBackend:
    """Send a list of ``SmsMessage``; set each message's ``provider_id``; raise ``SmsError`` on failure."""

    def __init__(self, **kwargs):
        self.options = kwargs

    def send_messages(self, messages) -> int:
        raise NotImplementedError
