"""Who is who, read from the stored roster."""

from __future__ import annotations

from storage.models import TeamMember
from storage.uow import UnitOfWorkFactory


class Directory:
    """Roles of Slack users: ops managers and designers."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    def is_ops(self, user: str) -> bool:
        """Whether ``user`` is an ops manager."""
        with self.uow() as u:
            member = u.team.get(user)
            return bool(member and member.is_ops)

    def designers(self) -> list[TeamMember]:
        """Every designer."""
        with self.uow() as u:
            return [m for m in u.team.all() if m.is_designer]

    def ops_managers(self) -> list[TeamMember]:
        """Every ops manager."""
        with self.uow() as u:
            return [m for m in u.team.all() if m.is_ops]
