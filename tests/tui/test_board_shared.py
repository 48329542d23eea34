"""The board in a data folder several logins share: once on start, what the group cannot
write is named (its owner and fix), so the clerk can ask before another's save fails."""

from __future__ import annotations

import os
from datetime import date

from helpers.pilot import loaded

DAY = date(2020, 8, 20)


def share(data_dir) -> None:
    """Shared as git says, the folders group-writable, all but the day's folder."""
    (data_dir / ".git").mkdir()
    (data_dir / ".git" / "config").write_text("[core]\n\tsharedRepository = group\n")
    for folder, _folders, files in os.walk(data_dir):
        os.chmod(folder, 0o2775)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o664)
    os.chmod(data_dir / "submissions" / DAY.isoformat(), 0o755)


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications if n.severity == "warning"]


async def test_a_shared_folder_the_group_cannot_write_is_named_once_on_start(
    make_app, data_dir, wait_for
):
    share(data_dir)
    app = make_app(DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert await wait_for(pilot, lambda: notices(app))
        [notice] = notices(app)
        day = data_dir / "submissions" / DAY.isoformat()
        assert "cán bộ khác trong nhóm sẽ không lưu được" in notice
        assert f"{day}: thư mục dùng chung" in notice and "chủ «" in notice
        assert f"sudo chmod -R g+rwX {day}" in notice
        await pilot.pause(0.5)
        assert len(notices(app)) == 1  # once, not at every poll


async def test_a_folder_that_is_not_shared_or_is_fine_says_nothing(make_app, data_dir, wait_for):
    app = make_app(DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.5)
        assert notices(app) == []
