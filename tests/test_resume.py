"""A facilitator's resume token: survives a reload, holds no secret at rest, and fails closed."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ratc.core import store
from ratc.hangout import access, resume, session


def test_a_token_gives_the_facilitator_back_and_the_store_holds_neither_token_nor_key(store_url):
    facilitator = session.create_session("Hang-out werk", dt.date(2020, 6, 4), ["Werk"], "Anna").facilitator
    token = resume.issue(facilitator)
    assert resume.resume(token) == facilitator
    with store.read() as connection:
        stored = connection.execute(sa.select(resume.RESUME_TOKENS)).one()
    assert stored.token_hash == access.hash_key(token)  # hashed at rest
    assert token not in str(tuple(stored)) and facilitator.key not in str(tuple(stored))
    assert facilitator.key.encode().hex() not in stored.sealed_key  # the key is sealed with the token


def test_a_token_fails_closed_when_wrong_expired_revoked_or_its_session_is_gone(store_url):
    facilitator = session.create_session("Hang-out werk", dt.date(2020, 6, 4), ["Werk"], "Anna").facilitator
    token = resume.issue(facilitator)
    later = store.now() + dt.timedelta(hours=resume.RESUME_HOURS, minutes=1)
    assert resume.resume(token, now=later) is None
    for wrong in (None, "", token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 500, 42):
        assert resume.resume(wrong) is None
    resume.revoke(token)
    assert resume.resume(token) is None
    other = resume.issue(facilitator)
    session.delete_session(facilitator)
    assert resume.resume(other) is None
