"""The unit registry, `units.yaml`: who reports, by when, and on which form.

Loaded with PyYAML's C safe loader (10,000 units must load fast). Problems are
collected, not raised one by one; their line numbers come from the node tree the
load builds anyway, or, when the data comes from the registry cache, from the
positions kept there with it: a warning never costs a second parse of the YAML.
"""

from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

from bluezone_tui.base.files import (
    CONFLICT_MARKER,
    NotRegularFile,
    TooLarge,
    os_reason,
    read_regular,
    sharing_of,
)
from bluezone_tui.base.problems import ConfigError, Problem
from bluezone_tui.base.safe_text import shell_word
from bluezone_tui.base.vn import fmt_int
from bluezone_tui.registry import cache as registry_cache
from bluezone_tui.registry.build import MAX_PROBLEMS, Builder
from bluezone_tui.registry.model import MAX_REGISTRY_BYTES, REGISTRY_FILE, Registry
from bluezone_tui.registry.yaml_source import Locator, collector_paused, load_yaml

# --------------------------------------------------------------------------- loading


def load_registry(data_dir: Path) -> Registry:
    """Read `units.yaml` in data_dir; raise ConfigError listing every problem found.

    The data folder's sharing is read here too: every command opens its data folder
    here, and what it then makes in the folder is the group's when the folder is shared."""
    sharing_of(data_dir, again=True)
    path = data_dir / REGISTRY_FILE

    def refuse(message: str) -> ConfigError:
        problem = Problem(message, path=path)
        return ConfigError(str(problem), [problem])

    try:
        raw = read_regular(path, MAX_REGISTRY_BYTES)
    except FileNotFoundError:
        if os.path.islink(path):
            raise refuse(
                f"là liên kết tượng trưng hỏng (trỏ tới «{os.readlink(path)}», không có ở đó)"
            ) from None
        here = shell_word(os.path.abspath(data_dir))
        raise refuse(
            f"không tìm thấy danh mục đơn vị; tạo thư mục dữ liệu ở đây bằng «bluezone init "
            f"{here}», hoặc chỉ đúng thư mục dữ liệu bằng --data"
        ) from None
    except NotRegularFile as exc:
        raise refuse(
            f"là {os_reason(exc)}, không phải tệp danh mục; hãy đặt units.yaml ở đây"
        ) from None
    except TooLarge as exc:
        raise refuse(
            f"danh mục dài {fmt_int(exc.size)} byte, vượt giới hạn "
            f"{MAX_REGISTRY_BYTES // (1024 * 1024)} MB; hãy kiểm tra lại tệp"
        ) from None
    except PermissionError:
        raise refuse("không có quyền đọc tệp (kiểm tra quyền của tệp và thư mục)") from None
    except OSError as exc:
        raise refuse(f"không đọc được: {os_reason(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(f"tệp không phải UTF-8 (byte thứ {exc.start})") from None
    return parse_registry(text, path, raw=raw)


def parse_registry(text: str, path: Path, raw: bytes | None = None) -> Registry:
    """Build and check the registry from the text of units.yaml.

    With `raw` (the file's bytes), a large registry's YAML data may come from the
    persistent cache (see registry_cache); the checks are the same either way.
    """
    marker = CONFLICT_MARKER.search(text)
    if marker:
        problem = Problem(
            "còn dấu xung đột git («<<<<<<<», «=======», «>>>>>>>»): hãy chọn một phiên bản, "
            "xoá các dòng đánh dấu rồi chạy lại «bluezone check»",
            path=path,
            line=text.count("\n", 0, marker.start()) + 1,
            column=1,
        )
        raise ConfigError(str(problem), [problem])
    key = registry_cache.key_for(raw, path) if raw is not None else None
    with collector_paused():
        cached = registry_cache.load(key) if key is not None else None
        if cached is None:
            data, root = load_yaml(text, path)
            locator = Locator(text, root)
        else:
            data, places = cached
            locator = Locator(text, places=places)
        builder = Builder(path, locator)
        registry = builder.build(data)
        if cached is None:
            # the node tree (hundreds of thousands of objects) is freed here, while the
            # collector is still off: otherwise its first pass walks the whole tree
            del root
            locator.release()
    # what survives (the registry, the data) lives as long as the process: moved out of
    # the collector's generations, no later collection walks it again
    gc.freeze()
    if key is not None and cached is None:  # the places the checks asked for go with the data
        registry_cache.save(key, data, locator.places, len(text))
    registry.source_digest = (
        key[1] if key is not None else hashlib.sha256(raw or text.encode("utf-8")).hexdigest()
    )
    if builder.errors:
        problems = sorted(builder.errors, key=lambda p: (p.line or 0, p.column or 0))
        if builder.truncated:
            problems.append(
                Problem(f"… và các lỗi khác (chỉ liệt kê {MAX_PROBLEMS} lỗi đầu)", path=path)
            )
        raise ConfigError(f"{path}: danh mục có {len(problems)} lỗi", problems)
    return registry


def default_data_dir() -> Path:
    """$BLUEZONE_DATA, else the current folder."""
    return Path(os.environ.get("BLUEZONE_DATA") or ".")
