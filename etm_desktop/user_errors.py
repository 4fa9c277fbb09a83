"""Which errors are the user's situation, not a bug — one answer for the command line and the window."""

from __future__ import annotations


def user_error_message(error: BaseException) -> str | None:
    """The Russian message of an error that is not a bug (refused role, newer schema, bad norms,
    a server's refusal, a colleague's lock), or None for a bug."""
    from etm_desktop.access.policy import server_refusal
    from etm_desktop.access.roles import AccessDenied
    from etm_desktop.db.errors import busy_message
    from etm_desktop.db.migrations import SchemaTooNew
    from etm_desktop.norms.schema import NormError

    if isinstance(error, (NormError, SchemaTooNew, AccessDenied)):
        return str(error)
    return server_refusal(error) or busy_message(error)
