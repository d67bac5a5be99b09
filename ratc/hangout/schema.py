"""What a hang out stores: its tables in the collaborative store, the card kinds, the 2×2 scale and the length
limits they hold, and the checks that keep typed text within those limits (InvalidInput, with a Dutch message that
names the field).
"""

from __future__ import annotations

import sqlalchemy as sa

from ratc.core import fmt, store, text

KINDS = {
    "nieuwsgierig": "Nieuwsgierig naar",
    "beeld": "Beeld",
    "idee": "Idee",
    "dilemma": "Dilemma",
    "kans": "Kans",
    "actie": "Actie (wat pakken we samen op)",
}
SCALE = (1, 5)  # impact and invloed: 1 = klein/weinig .. 5 = groot/veel; the 2×2 splits at the middle (3)
LIMITS = {
    "title": 120, "introduction": 3000, "facilitator_name": 80, "theme": 80, "theme_description": 600,
    "name": 60, "role": 60, "card": 600, "group": 60, "view_title": 160, "view_note": 600,
    "action": 400, "owner": 120, "param": 300,
}  # fmt: skip

SESSIONS = sa.Table(
    "hangout_sessions",
    store.METADATA,
    sa.Column("session_id", sa.String(32), primary_key=True),
    sa.Column("title", sa.String(LIMITS["title"]), nullable=False),
    sa.Column("session_date", sa.Date, nullable=False),
    sa.Column("introduction", sa.Text, nullable=False, default=""),
    sa.Column("facilitator_name", sa.String(LIMITS["facilitator_name"]), nullable=False, default=""),
    sa.Column("join_code", sa.String(12), nullable=False, unique=True),
    sa.Column("facilitator_key_hash", sa.String(64), nullable=False),
    sa.Column("dots_per_participant", sa.Integer, nullable=False, default=3),
    sa.Column("phase", sa.String(20), nullable=False, default="verzamelen"),
    sa.Column("votes_revealed", sa.Boolean, nullable=False, default=False),
    sa.Column("current_view_id", sa.String(32), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
THEMES = sa.Table(
    "hangout_themes",
    store.METADATA,
    sa.Column("theme_id", sa.String(32), primary_key=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("hangout_sessions.session_id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.String(LIMITS["theme"]), nullable=False),
    sa.Column("description", sa.Text, nullable=False, default=""),
)  # fmt: skip
PARTICIPANTS = sa.Table(
    "hangout_participants",
    store.METADATA,
    sa.Column("participant_id", sa.String(32), primary_key=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("hangout_sessions.session_id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("name", sa.String(LIMITS["name"]), nullable=False, default=""),
    sa.Column("role", sa.String(LIMITS["role"]), nullable=False, default=""),
    sa.Column("key_hash", sa.String(64), nullable=False),  # of the key this browser session holds (rotated on rejoin)
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    # a person for the length of the session: their personal code (SHA-256 with the session id) brings them back;
    # their name, casefolded, is theirs in this session (NULL without a name and after a merge)
    sa.Column("rejoin_hash", sa.String(64), nullable=True),
    sa.Column("name_key", sa.String(3 * LIMITS["name"]), nullable=True),
    sa.Column("merged_into", sa.String(32), nullable=True),  # the row this one was merged into by the facilitator
    sa.Index("ux_hangout_participants_name", "session_id", "name_key", unique=True),
)  # fmt: skip
VIEWS = sa.Table(
    "hangout_views",
    store.METADATA,
    sa.Column("view_id", sa.String(32), primary_key=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("hangout_sessions.session_id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("theme_id", sa.String(32), sa.ForeignKey("hangout_themes.theme_id", ondelete="SET NULL")),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("url_path", sa.String(40), nullable=False),
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("title", sa.String(LIMITS["view_title"]), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=False),
)  # fmt: skip
CARDS = sa.Table(
    "hangout_cards",
    store.METADATA,
    sa.Column("card_id", sa.String(32), primary_key=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("hangout_sessions.session_id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("theme_id", sa.String(32), sa.ForeignKey("hangout_themes.theme_id", ondelete="SET NULL")),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("group_name", sa.String(LIMITS["group"]), nullable=False, default=""),
    sa.Column("participant_id", sa.String(32),
              sa.ForeignKey("hangout_participants.participant_id", ondelete="SET NULL")),
    sa.Column("author", sa.String(LIMITS["name"]), nullable=False, default=""),
    sa.Column("view_id", sa.String(32), sa.ForeignKey("hangout_views.view_id", ondelete="SET NULL")),
    sa.Column("practice_id", sa.String(32), sa.ForeignKey("practices.practice_id", ondelete="SET NULL")),
    sa.Column("merged_into", sa.String(32), sa.ForeignKey("hangout_cards.card_id", ondelete="SET NULL")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # the sender's token: a card sent again after a lost confirmation is stored once (store.client_token)
    sa.Column("client_token", sa.String(64), nullable=True),
    sa.CheckConstraint(f"kind in ({', '.join(repr(kind) for kind in KINDS)})", name="hangout_cards_kind"),
    sa.Index("ux_hangout_cards_client_token", "session_id", "client_token", unique=True),
)  # fmt: skip
VOTES = sa.Table(
    "hangout_votes",
    store.METADATA,
    sa.Column("vote_id", sa.String(32), primary_key=True),
    sa.Column("card_id", sa.String(32), sa.ForeignKey("hangout_cards.card_id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("participant_id", sa.String(32),
              sa.ForeignKey("hangout_participants.participant_id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("client_token", sa.String(64), nullable=True),
    sa.Index("ux_hangout_votes_client_token", "participant_id", "client_token", unique=True),
)  # fmt: skip
PLACEMENTS = sa.Table(
    "hangout_placements",
    store.METADATA,
    sa.Column("card_id", sa.String(32), sa.ForeignKey("hangout_cards.card_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("participant_id", sa.String(32),
              sa.ForeignKey("hangout_participants.participant_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("impact", sa.Integer, nullable=False),
    sa.Column("influence", sa.Integer, nullable=False),
    sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"impact between {SCALE[0]} and {SCALE[1]}", name="hangout_placements_impact"),
    sa.CheckConstraint(f"influence between {SCALE[0]} and {SCALE[1]}", name="hangout_placements_influence"),
)  # fmt: skip
ACTIONS = sa.Table(
    "hangout_actions",
    store.METADATA,
    sa.Column("action_id", sa.String(32), primary_key=True),
    sa.Column("session_id", sa.String(32), sa.ForeignKey("hangout_sessions.session_id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("theme_id", sa.String(32), sa.ForeignKey("hangout_themes.theme_id", ondelete="SET NULL")),
    sa.Column("card_id", sa.String(32), sa.ForeignKey("hangout_cards.card_id", ondelete="SET NULL")),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("owner", sa.String(LIMITS["owner"]), nullable=False),
    sa.Column("due_date", sa.Date),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)  # fmt: skip


class InvalidInput(ValueError):
    """Input that cannot be stored; the message is Dutch, names the field and says what to do."""


def clean_field_line(value: object, limit_name: str, label: str) -> str:
    """One cleaned line; too long is an error (not silently cut), so the person can shorten it themselves."""
    _check_length("" if value is None else str(value), limit_name, label, text.MAX_RAW)
    cleaned = text.clean_line(value, text.MAX_RAW)
    _check_length(cleaned, limit_name, label)
    return cleaned


def clean_field_block(value: object, limit_name: str, label: str) -> str:
    """A cleaned multi-line text; too long is an error."""
    _check_length("" if value is None else str(value), limit_name, label, text.MAX_RAW)
    cleaned = text.clean_block(value, text.MAX_RAW)
    _check_length(cleaned, limit_name, label)
    return cleaned


def required_line(value: object, limit_name: str, label: str, hint: str) -> str:
    """A cleaned line that may not be empty."""
    cleaned = clean_field_line(value, limit_name, label)
    if not cleaned:
        raise InvalidInput(f"{label}: is leeg. {hint}")
    return cleaned


def required_block(value: object, limit_name: str, label: str, hint: str) -> str:
    """A cleaned multi-line text that may not be empty."""
    cleaned = clean_field_block(value, limit_name, label)
    if not cleaned:
        raise InvalidInput(f"{label}: is leeg. {hint}")
    return cleaned


def _check_length(value: str, limit_name: str, label: str, allowed: int | None = None) -> None:
    """InvalidInput when a text is longer than its limit (or than `allowed`, for the raw text before cleaning)."""
    limit = LIMITS[limit_name]
    if len(value) > (allowed or limit):
        raise InvalidInput(
            f"{label}: is {fmt.number(len(value))} tekens lang; hoogstens {fmt.number(limit)}. Maak de tekst korter."
        )
