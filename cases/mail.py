from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """The local mailer: Django's console backend prints the MIME source, where
    Chinese text is base64; this prints the text, so the reset link can be clicked."""

    def write_message(self, message):
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.recipients())}\n"
            f"Subject: {message.subject}\n\n{message.body}\n{'-' * 79}\n"
        )
