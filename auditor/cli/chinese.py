"""Help in Chinese: panel titles, the help option, and command classes that use them.

typer prints its help panels from module constants and click names the ``--help`` option
itself; both are set here once, so every command and option of ``audit`` reads in Chinese.
"""

from __future__ import annotations

from typing import Any

import typer.rich_utils as panels
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

HELP_OPTION_HELP = "显示本帮助并退出。"

panels.ARGUMENTS_PANEL_TITLE = "参数"
panels.OPTIONS_PANEL_TITLE = "选项"
panels.COMMANDS_PANEL_TITLE = "命令"
panels.ERRORS_PANEL_TITLE = "错误"
panels.ABORTED_TEXT = "已中止。"
panels.DEFAULT_STRING = "[默认：{}]"
panels.REQUIRED_LONG_STRING = "[必填]"
panels.ENVVAR_STRING = "[环境变量：{}]"
panels.DEPRECATED_STRING = "（已弃用）"


def _chinese_help_option(option: Any) -> Any:
    if option is not None:
        option.help = HELP_OPTION_HELP
    return option


class ChineseCommand(TyperCommand):
    """A command whose ``--help`` option is described in Chinese."""

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))


class ChineseGroup(TyperGroup):
    """A command group whose ``--help`` option is described in Chinese."""

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))


def _fold_long_lines() -> None:
    """Let help text wrap inside a Chinese phrase instead of being cut with "…".

    typer lays the parts of an option's help out as rich Columns, which crop a Chinese
    sentence (it has no spaces to break at) with "…". One folded Text wraps it at the
    column edge instead. Guarded: typer internals may move.
    """
    original = getattr(panels, "_get_parameter_help", None)
    if original is None:
        return

    def folded(*args: Any, **kwargs: Any) -> Any:
        columns = original(*args, **kwargs)
        parts = getattr(columns, "renderables", None)
        if not parts or not all(isinstance(p, Text) for p in parts):
            return columns
        joined = Text(" ").join(parts)
        joined.overflow = "fold"
        return joined

    panels._get_parameter_help = folded


_fold_long_lines()
