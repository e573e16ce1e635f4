"""Sending e-mail over a real SMTP connection, configured from the environment."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

SECURITIES = ("none", "starttls", "tls")


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused a message."""


def build(sender, to, subject, text, html=None):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


class Mailer:
    """One SMTP connection for a batch of messages: `with Mailer(config) as m: m.send(msg)`."""

    def __init__(self, config):
        self.config = config
        self.smtp = None

    def __enter__(self):
        c = self.config
        if c["SMTP_SECURITY"] not in SECURITIES:
            raise MailError(f"VSC_SMTP_SECURITY={c['SMTP_SECURITY']!r}: expected one of "
                            f"{', '.join(SECURITIES)}")
        try:
            if c["SMTP_SECURITY"] == "tls":
                self.smtp = smtplib.SMTP_SSL(c["SMTP_HOST"], c["SMTP_PORT"],
                                             timeout=c["SMTP_TIMEOUT"],
                                             context=ssl.create_default_context())
            else:
                self.smtp = smtplib.SMTP(c["SMTP_HOST"], c["SMTP_PORT"],
                                         timeout=c["SMTP_TIMEOUT"])
                if c["SMTP_SECURITY"] == "starttls":
                    self.smtp.starttls(context=ssl.create_default_context())
            if c["SMTP_USER"]:
                self.smtp.login(c["SMTP_USER"], c["SMTP_PASSWORD"] or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot reach the SMTP server {c['SMTP_HOST']}:{c['SMTP_PORT']}: "
                            f"{exc}") from exc
        return self

    def send(self, message):
        try:
            refused = self.smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"the SMTP server refused the message to {message['To']}: "
                            f"{exc}") from exc
        if refused:
            raise MailError(f"the SMTP server refused {', '.join(refused)}")

    def __exit__(self, *exc_info):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
