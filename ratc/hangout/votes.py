"""Choosing together: dot votes on the cards and each participant's place for a card on the 2×2 of impact ×
invloed, drawn as a numbered figure. Votes and placements stay hidden from everyone until the facilitator reveals
them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd
import sqlalchemy as sa

from ratc.core import charts, export, ratelimit, store
from ratc.hangout.access import (
    VOTE_WRITES,
    AccessDenied,
    Facilitator,
    Participant,
    Pass,
    authorise,
    owned_row,
    stamp,
)
from ratc.hangout.board import Card
from ratc.hangout.schema import CARDS, PARTICIPANTS, PLACEMENTS, SCALE, VOTES, InvalidInput

PLACEABLE_KINDS = ("idee", "kans", "actie")  # what a group decides to take up: these go on the 2×2


@dataclass(frozen=True)
class Placement:
    """A card's place on the 2×2: the mean impact and invloed of everyone who placed it."""

    card_id: str
    impact: float
    influence: float
    count: int

    @property
    def quadrant(self) -> str:
        """The quadrant's Dutch name; the middle of the scale counts as high."""
        middle = (SCALE[0] + SCALE[1]) / 2
        high_impact, much_influence = self.impact >= middle, self.influence >= middle
        return {
            (True, True): "Nu oppakken",
            (True, False): "Samen agenderen",
            (False, True): "Snel regelen",
            (False, False): "Loslaten",
        }[(high_impact, much_influence)]


def vote(participant: Participant, card_id: str, *, token: str | None = None) -> int:
    """Put one of the participant's dots on a card (several on one card is allowed); returns the dots left.

    With the sender's `token` (store.client_token) the dot is cast once: sent again after a lost confirmation, it
    is not cast a second time. The page derives the token from the card and the dots the person saw on it, so a
    click on a page that did not change yet is the same vote. At most VOTE_WRITES votes and placements a minute.
    """
    token = store.client_token(token)
    try:
        return _vote(participant, card_id, token)
    except sa.exc.IntegrityError:
        if token is None:
            raise
        return _vote(participant, card_id, token)  # the same token sent twice at once: the other one cast it


def _vote(participant: Participant, card_id: str, token: str | None) -> int:
    """Cast the dot in one transaction, unless a dot with this token was cast already; the dots left."""
    with store.begin() as connection:
        session_row = authorise(connection, participant)
        if token is not None and connection.execute(
            sa.select(VOTES.c.vote_id).where(VOTES.c.participant_id == participant.participant_id,
                                             VOTES.c.client_token == token)
        ).first():  # fmt: skip
            return session_row.dots_per_participant - _dots_used(connection, participant.participant_id)
        if session_row.phase != "stemmen":
            raise AccessDenied("Stemmen kan nu niet: de facilitator heeft de stemronde niet geopend.")
        # locked (as in merge_cards), so a merge cannot move this card's votes while this one is being added
        card = owned_row(connection, CARDS, CARDS.c.card_id, card_id, participant.session_id, "Kaart", lock=True)
        if card.merged_into is not None:
            raise InvalidInput("Kaart: deze kaart is samengevoegd met een andere; stem op die kaart.")
        # lock the participant's row (FOR UPDATE on PostgreSQL; SQLite's write lock is already held)
        connection.execute(
            sa.select(PARTICIPANTS.c.participant_id)
            .where(PARTICIPANTS.c.participant_id == participant.participant_id)
            .with_for_update()
        )
        used = _dots_used(connection, participant.participant_id)
        if used >= session_row.dots_per_participant:
            raise InvalidInput(
                f"Stippen: u heeft al uw {session_row.dots_per_participant} stippen gebruikt. "
                "Haal er een weg om opnieuw te kiezen."
            )
        ratelimit.take(VOTE_WRITES, participant.participant_id, connection)
        connection.execute(
            VOTES.insert().values(vote_id=store.new_id(), card_id=card_id, participant_id=participant.participant_id,
                                  cast_at=stamp(), client_token=token)
        )  # fmt: skip
        return session_row.dots_per_participant - used - 1


@dataclass(frozen=True)
class Dots:
    """A participant's dots on one card after `set_votes`: how many they asked for there, how many are there now,
    how many they have left, and the session's limit."""

    wanted: int
    on_card: int
    left: int
    limit: int

    @property
    def stored(self) -> bool:
        """Whether every dot asked for is on the card."""
        return self.on_card == self.wanted

    def why(self) -> str:
        """Why not every dot asked for was set, in Dutch ('' when they were)."""
        if self.stored:
            return ""
        missing = self.wanted - self.on_card
        return (
            f"{missing} {'stip is' if missing == 1 else 'stippen zijn'} niet gezet: u heeft al uw {self.limit} "
            f"stippen gebruikt (op deze kaart staan er nu {self.on_card}). Haal er op een andere kaart een weg om "
            "hier meer te zetten."
        )


def set_votes(participant: Participant, card_id: str, wanted: int) -> Dots:
    """Put exactly `wanted` of the participant's dots on a card, as far as their dots reach; where they are after.

    The page sends the number the person chose, not a click: clicks the browser sends faster than the page redraws
    all count, and sending the same number again changes nothing. Dots that do not fit are not set, and the
    result says why (`Dots.why`). Counts as one write of VOTE_WRITES when something changes.
    """
    if not isinstance(wanted, int) or isinstance(wanted, bool) or wanted < 0:
        raise InvalidInput("Stippen: kies een aantal van 0 of meer.")
    with store.begin() as connection:
        session_row = authorise(connection, participant)
        if session_row.phase != "stemmen":
            raise AccessDenied("Stemmen kan nu niet: de facilitator heeft de stemronde niet geopend.")
        card = owned_row(connection, CARDS, CARDS.c.card_id, card_id, participant.session_id, "Kaart", lock=True)
        connection.execute(
            sa.select(PARTICIPANTS.c.participant_id)
            .where(PARTICIPANTS.c.participant_id == participant.participant_id)
            .with_for_update()
        )
        mine = (
            connection.execute(
                sa.select(VOTES.c.vote_id)
                .where(VOTES.c.card_id == card_id, VOTES.c.participant_id == participant.participant_id)
                .order_by(VOTES.c.cast_at.desc(), VOTES.c.vote_id)
            )
            .scalars()
            .all()
        )
        used, limit = _dots_used(connection, participant.participant_id), session_row.dots_per_participant
        if wanted > len(mine) and card.merged_into is not None:
            raise InvalidInput("Kaart: deze kaart is samengevoegd met een andere; stem op die kaart.")
        added = max(0, min(wanted - len(mine), limit - used))
        removed = mine[: max(0, len(mine) - wanted)]  # the newest go first
        if added or removed:
            ratelimit.take(VOTE_WRITES, participant.participant_id, connection)
        if removed:
            connection.execute(VOTES.delete().where(VOTES.c.vote_id.in_(removed)))
        for _ in range(added):
            connection.execute(
                VOTES.insert().values(vote_id=store.new_id(), card_id=card_id,
                                      participant_id=participant.participant_id, cast_at=stamp())
            )  # fmt: skip
        on_card = len(mine) + added - len(removed)
        return Dots(wanted, on_card, limit - (used + added - len(removed)), limit)


def unvote(participant: Participant, card_id: str) -> int:
    """Take one of the participant's dots off a card; returns the dots left."""
    with store.begin() as connection:
        session_row = authorise(connection, participant)
        if session_row.phase != "stemmen":
            raise AccessDenied("Stemmen kan nu niet: de facilitator heeft de stemronde niet geopend.")
        owned_row(connection, CARDS, CARDS.c.card_id, card_id, participant.session_id, "Kaart", lock=True)
        ratelimit.take(VOTE_WRITES, participant.participant_id, connection)
        # the newest dot goes: its token was made from the most dots seen, so the same + click after this one is
        # a new vote again, not taken for a retry
        one = connection.execute(
            sa.select(VOTES.c.vote_id)
            .where(VOTES.c.card_id == card_id, VOTES.c.participant_id == participant.participant_id)
            .order_by(VOTES.c.cast_at.desc(), VOTES.c.vote_id)
            .limit(1)
        ).scalar_one_or_none()
        if one is not None:
            connection.execute(VOTES.delete().where(VOTES.c.vote_id == one))
        return session_row.dots_per_participant - _dots_used(connection, participant.participant_id)


def my_votes(participant: Participant) -> dict[str, int]:
    """The participant's own dots per card."""
    with store.read() as connection:
        authorise(connection, participant)
        rows = connection.execute(
            sa.select(VOTES.c.card_id, sa.func.count())
            .where(VOTES.c.participant_id == participant.participant_id)
            .group_by(VOTES.c.card_id)
        )
        return dict(rows.all())


def vote_progress(who: Pass) -> tuple[int, int, int]:
    """Dots cast so far, dots available in all, and how many people voted (without saying on what)."""
    with store.read() as connection:
        session_row = authorise(connection, who)
        joined = connection.execute(  # people, not joins: a merged row is part of another person
            sa.select(sa.func.count())
            .select_from(PARTICIPANTS)
            .where(PARTICIPANTS.c.session_id == who.session_id, PARTICIPANTS.c.merged_into.is_(None))
        ).scalar_one()
        cast, voters = connection.execute(
            sa.select(sa.func.count(), sa.func.count(sa.distinct(VOTES.c.participant_id)))
            .select_from(VOTES.join(PARTICIPANTS, PARTICIPANTS.c.participant_id == VOTES.c.participant_id))
            .where(PARTICIPANTS.c.session_id == who.session_id)
        ).one()
    return cast, joined * session_row.dots_per_participant, voters


def place(participant: Participant, card_id: str, impact: int, influence: int) -> None:
    """The participant's place for a card on the 2×2: impact and invloed from 1 (klein) to 5 (groot)."""
    values = {}
    for name, label, value in (("impact", "Impact", impact), ("influence", "Invloed", influence)):
        if not isinstance(value, int) or isinstance(value, bool) or not SCALE[0] <= value <= SCALE[1]:
            raise InvalidInput(f"{label}: kies een waarde van {SCALE[0]} tot en met {SCALE[1]}.")
        values[name] = value
    with store.begin() as connection:
        session_row = authorise(connection, participant)
        if session_row.phase != "plaatsen":
            raise AccessDenied("Plaatsen kan nu niet: de facilitator heeft de ronde impact × invloed niet geopend.")
        card = owned_row(connection, CARDS, CARDS.c.card_id, card_id, participant.session_id, "Kaart", lock=True)
        if card.kind not in PLACEABLE_KINDS or card.merged_into is not None:
            raise InvalidInput("Kaart: alleen ideeën, kansen en acties komen op de 2×2.")
        ratelimit.take(VOTE_WRITES, participant.participant_id, connection)
        key = (PLACEMENTS.c.card_id == card_id) & (PLACEMENTS.c.participant_id == participant.participant_id)
        connection.execute(PLACEMENTS.delete().where(key))
        connection.execute(PLACEMENTS.insert().values(card_id=card_id, participant_id=participant.participant_id,
                                                      placed_at=stamp(), **values))  # fmt: skip


def my_placements(participant: Participant) -> dict[str, tuple[int, int]]:
    """The participant's own (impact, invloed) per card."""
    with store.read() as connection:
        authorise(connection, participant)
        rows = connection.execute(
            sa.select(PLACEMENTS.c.card_id, PLACEMENTS.c.impact, PLACEMENTS.c.influence).where(
                PLACEMENTS.c.participant_id == participant.participant_id
            )
        )
        return {row.card_id: (row.impact, row.influence) for row in rows}


def placements(who: Pass, with_votes: bool | None = None) -> list[Placement] | None:
    """Each placed card's mean impact and invloed; None until revealed (the facilitator may ask for the report)."""
    with store.read() as connection:
        session_row = authorise(connection, who)
        show = session_row.votes_revealed or (isinstance(who, Facilitator) and bool(with_votes))
        if not show:
            return None
        rows = connection.execute(
            sa.select(PLACEMENTS.c.card_id, sa.func.avg(PLACEMENTS.c.impact), sa.func.avg(PLACEMENTS.c.influence),
                      sa.func.count())
            .join(CARDS, CARDS.c.card_id == PLACEMENTS.c.card_id)
            .where(CARDS.c.session_id == who.session_id)
            .group_by(PLACEMENTS.c.card_id)
        )  # fmt: skip
        return [
            Placement(card_id, float(impact), float(influence), count) for card_id, impact, influence, count in rows
        ]


def placement_progress(who: Pass) -> int:
    """How many placements have been made (without saying where)."""
    with store.read() as connection:
        authorise(connection, who)
        return connection.execute(
            sa.select(sa.func.count())
            .select_from(PLACEMENTS.join(CARDS, CARDS.c.card_id == PLACEMENTS.c.card_id))
            .where(CARDS.c.session_id == who.session_id)
        ).scalar_one()


def _dots_used(connection: sa.Connection, participant_id: str) -> int:
    """How many dots a participant has spent."""
    return connection.execute(
        sa.select(sa.func.count()).select_from(VOTES).where(VOTES.c.participant_id == participant_id)
    ).scalar_one()


def placement_numbers(cards_list: Sequence[Card], placed: Sequence[Placement]) -> dict[str, int]:
    """The number each placed card has on the 2×2: 1, 2, … in the order of the cards given."""
    placed_ids = {placement.card_id for placement in placed}
    return {card_id: number for number, card_id in
            enumerate((card.card_id for card in cards_list if card.card_id in placed_ids), start=1)}  # fmt: skip


def placement_frame(cards_list: Sequence[Card], placed: Sequence[Placement]) -> pd.DataFrame:
    """One row per placed card: its number on the 2×2, text, kind, mean impact and invloed, and quadrant."""
    by_card = {placement.card_id: placement for placement in placed}
    numbers = placement_numbers(cards_list, placed)
    rows = []
    for card in cards_list:
        placement = by_card.get(card.card_id)
        if placement is None:
            continue
        rows.append({"nummer": numbers[card.card_id], "kaart": card.text, "soort": card.kind_label,
                     "impact": round(placement.impact, 2), "invloed": round(placement.influence, 2),
                     "geplaatst_door": placement.count, "kwadrant": placement.quadrant})  # fmt: skip
    columns = ["nummer", "kaart", "soort", "impact", "invloed", "geplaatst_door", "kwadrant"]
    return pd.DataFrame(rows, columns=columns)


def placement_figure(
    cards_list: Sequence[Card], placed: Sequence[Placement], session_title: str, theme_name: str, made_on: dt.date
) -> charts.Figure | None:
    """The 2×2 of impact × invloed for one theme's cards, numbered (the table says which number is which card)."""
    frame = placement_frame(cards_list, placed)
    if frame.empty:
        return None
    low, high = SCALE
    middle = (low + high) / 2
    size = 420
    axis = {"values": list(range(low, high + 1)), "grid": False, "format": "d"}
    domain = [low - 0.5, high + 0.5]  # room for the circles at the ends of the scale
    x = alt.X("invloed:Q", title="Invloed (wat kunnen wij zelf?)", scale=alt.Scale(domain=domain),
              axis=alt.Axis(**axis))  # fmt: skip
    y = alt.Y("impact:Q", title="Impact (hoeveel maakt het uit?)", scale=alt.Scale(domain=domain),
              axis=alt.Axis(**axis))  # fmt: skip
    corners = pd.DataFrame({
        "invloed": [domain[1], domain[0], domain[1], domain[0]], "impact": [domain[1], domain[1], domain[0], domain[0]],
        "label": ["Nu oppakken", "Samen agenderen", "Snel regelen", "Loslaten"],
        "align": ["right", "left", "right", "left"], "baseline": ["top", "top", "bottom", "bottom"],
    })  # fmt: skip
    layers = [
        alt.Chart(pd.DataFrame({"v": [middle]})).mark_rule(color=charts.NEUTRAL, strokeDash=[4, 4]).encode(x="v:Q"),
        alt.Chart(pd.DataFrame({"v": [middle]})).mark_rule(color=charts.NEUTRAL, strokeDash=[4, 4]).encode(y="v:Q"),
    ]
    for align, baseline in (("right", "top"), ("left", "top"), ("right", "bottom"), ("left", "bottom")):
        part = corners[(corners["align"] == align) & (corners["baseline"] == baseline)]
        layers.append(
            alt.Chart(part).mark_text(align=align, baseline=baseline, dx=6 if align == "left" else -6,
                                      dy=6 if baseline == "top" else -6, fontSize=13, fontWeight=600,
                                      color=charts.REFERENCE)
            .encode(x="invloed:Q", y="impact:Q", text="label:N")
        )  # fmt: skip
    tooltip = [alt.Tooltip("nummer:Q", title="Nr."), alt.Tooltip("kaart:N", title="Kaart"),
               alt.Tooltip("impact:Q", title="Impact", format=".1f"),
               alt.Tooltip("invloed:Q", title="Invloed", format=".1f")]  # fmt: skip
    points = alt.Chart(frame).encode(x=x, y=y, tooltip=tooltip)
    layers += [
        points.mark_circle(size=520, opacity=0.9).encode(
            color=alt.Color(
                "soort:N", title=None, scale=alt.Scale(range=charts.PALETTE), legend=alt.Legend(labelLimit=400)
            )  # fmt: skip
        ),
        points.mark_text(color="#FFFFFF", fontSize=13, fontWeight=700).encode(text="nummer:Q"),
    ]
    meta = charts.ChartMeta(
        title=f"Impact × invloed: {theme_name}",
        subtitle=f"Gemiddelde plaats van elke kaart ({low} = klein/weinig, {high} = groot/veel)",
        source=f"deelnemers aan de hang-out '{session_title}'",
        file_stem=export.file_stem("impact-invloed", theme_name),
        made_on=made_on,
    )
    chart = alt.layer(*layers).properties(width=size, height=size)
    description = "; ".join(f"{row.nummer}: {row.kwadrant}" for row in frame.itertuples())
    return charts.make_figure(chart, frame, meta, f"Plaats per kaart — {description}.")
