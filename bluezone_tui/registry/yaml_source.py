"""`units.yaml` as YAML: a strict safe loader, and the line and column of any key.

The checks ask a Locator where a value stands; its answers are kept (`places`) so that
a registry read from the cache reports the same lines without a second parse.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from bluezone_tui.base.problems import ConfigError, Problem
from bluezone_tui.registry import yaml_errors

try:  # the C loader is ~10x faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader  # type: ignore[assignment]  # pure-Python twin of CSafeLoader: another class, same interface


# What a Locator was asked, and its answer: ("find", *keys) -> (line, column), or
# ("scalar", *keys) -> the text as written.
Places = dict[tuple[Any, ...], Any]
_MERGE_TAG = "tag:yaml.org,2002:merge"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of objects and no reference cycles: the cyclic
    garbage collector, run again and again meanwhile, only walks them (half the time of
    a 10,000-unit load). Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_OCTAL = re.compile(r"[-+]?0[0-7_]+\Z")
# The one way a number is written (see vn.parse_integer); "15:00" (base 60 in YAML 1.1)
# is let through for the builder, which reads a deadline from the text as written.
_PLAIN_INT = re.compile(r"[-+]?[0-9]+(?::[0-5]?[0-9])*\Z")


class _StrictLoader(SafeLoader):
    """PyYAML's (C) safe loader without the silent traps of YAML 1.1.

    A key written twice in one mapping is an error (PyYAML keeps the last: a second
    `deadline: null` would turn a deadline off), and so is an integer with a leading
    zero, which YAML 1.1 reads as octal (a phone 0277350017 becomes 50188303), and one
    written with "_", in hexadecimal or binary (12_500, 0x30D4).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], yaml.Node] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                    continue
                key = (key_node.tag, key_node.value)
                first = seen.get(key)
                if first is not None:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        _duplicate_key_message(node, first, key_node),
                        key_node.start_mark,
                    )
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if _OCTAL.match(node.value) and node.value.strip("+-0_"):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"số «{node.value}» có chữ số 0 ở đầu: YAML đọc nó là số bát phân "
                f"({super().construct_yaml_int(node)}); số điện thoại, mã số phải đặt trong "
                f'ngoặc kép ("{node.value}"), còn số lượng thì bỏ số 0 ở đầu',
                node.start_mark,
            )
        if not _PLAIN_INT.match(node.value):
            read = super().construct_yaml_int(node)
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"số «{node.value}» không viết bằng chữ số liền nhau: YAML 1.1 đọc nó là "
                f"{read} (có «_», hoặc viết hệ 16, hệ 2); chỉ ghi chữ số, ví dụ {read}",
                node.start_mark,
            )
        return super().construct_yaml_int(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _duplicate_key_message(mapping: yaml.MappingNode, first: yaml.Node, again: yaml.Node) -> str:
    """A key written twice; when it is the mapping's first key (`id:` of a unit) the likely
    cause is a dropped "- ": the next item's keys were merged into this one."""
    line = first.start_mark.line + 1
    text = (
        f"khóa «{again.value}» bị lặp trong cùng một bảng (đã có ở dòng {line}); YAML sẽ "
        f"lặng lẽ lấy giá trị sau cùng"
    )
    if mapping.value and mapping.value[0][0] is first:
        return (
            f"{text}. Có lẽ dòng này thiếu «- » ở đầu: mục mới (đơn vị mới) đã bị gộp vào mục "
            f"ở dòng {line} và biến mất; mỗi mục của danh sách bắt đầu bằng «- », ví dụ "
            f"«  - {again.value}: …»"
        )
    return f"{text}: hãy giữ một dòng"


def load_yaml(text: str, path: Path) -> tuple[Any, yaml.Node | None]:
    """The data, and the node tree it was built from (kept for the checks' line numbers)."""
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    except yaml.MarkedYAMLError as exc:
        message, line, column = yaml_errors.explain(text, exc)
        problem = Problem(message, path=path, line=line, column=column)
        raise ConfigError(str(problem), [problem]) from None
    except yaml.YAMLError as exc:
        problem = Problem(f"YAML không hợp lệ: {exc}", path=path)
        raise ConfigError(str(problem), [problem]) from None
    except RecursionError:
        problem = Problem("YAML lồng nhau quá sâu", path=path)
        raise ConfigError(str(problem), [problem]) from None
    except Exception as exc:  # noqa: BLE001 - PyYAML's constructors raise ValueError & co.
        # e.g. a date 2020-02-30, an integer of 5,000 digits, `!!int x`: no position known
        problem = Problem(
            f"YAML không hợp lệ: giá trị không đọc được ({type(exc).__name__}: {quoted(exc)})",
            path=path,
        )
        raise ConfigError(str(problem), [problem]) from None
    finally:
        loader.dispose()


class Locator:
    """The line and column of a key path in the YAML text (and the text of a scalar).

    Answered from `places` (what the same checks asked on the same bytes, kept in the
    registry cache), else from the node tree of the load, else by composing the text
    (only when the data came from the cache and an error needs a place). Every answer
    is added to `places`, to be kept with the data.
    """

    def __init__(self, text: str, root: yaml.Node | None = None, places: Places | None = None):
        self._text = text
        self._root = root
        self._composed = root is not None
        self.places: Places = dict(places or {})

    def _tree(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self._text, Loader=_StrictLoader)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        return self._root

    def release(self) -> None:
        """Drop the node tree (the places asked so far are kept); a later question composes
        the text again."""
        self._root = None
        self._composed = False

    def find(self, keys: tuple[Any, ...]) -> tuple[int | None, int | None]:
        place = ("find", *keys)
        if place not in self.places:
            self.places[place] = self._find(keys)
        line, column = self.places[place]
        return line, column

    def scalar(self, keys: tuple[Any, ...]) -> str | None:
        """The text as written of the scalar value at `keys`, if found."""
        place = ("scalar", *keys)
        if place not in self.places:
            self.places[place] = self._scalar(keys)
        return self.places[place]

    def _find(self, keys: tuple[Any, ...]) -> tuple[int | None, int | None]:
        node = self._tree()
        best = node
        for position, key in enumerate(keys):
            last = position == len(keys) - 1
            found = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if getattr(key_node, "value", None) == str(key):
                        found = value_node
                        best = key_node if last else value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if 0 <= key < len(node.value):
                    found = best = node.value[key]
            if found is None:
                break
            node = found
        if best is None:
            return None, None
        return best.start_mark.line + 1, best.start_mark.column + 1

    def _scalar(self, keys: tuple[Any, ...]) -> str | None:
        node = self._tree()
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                node = next(
                    (v for k, v in node.value if getattr(k, "value", None) == str(key)), None
                )
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(key, int)
                and 0 <= key < len(node.value)
            ):
                node = node.value[key]
            else:
                return None
        return node.value if isinstance(node, yaml.ScalarNode) else None


_TYPE_WORDS = {"list": "một danh sách", "dict": "một bảng", "NoneType": "trống"}


def quoted(value: Any, limit: int = 60) -> str:
    """A value as a message may quote it: never str() of a structure (an alias bomb
    stands for billions of items) nor of a number too long for int -> str."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value) if value.bit_length() < 200 else "(một số quá dài)"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str) or isinstance(value, BaseException):
        text = str(value)
        return text if len(text) <= limit else text[: limit - 1] + "…"
    kind = type(value).__name__
    return f"({_TYPE_WORDS.get(kind, kind)})"
