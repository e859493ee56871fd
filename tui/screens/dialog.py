"""The frame of every form: a title, labelled fields, an error line, OK and Cancel.

A dialog collects a value (`value`, which raises `FormError` for a field to fix), hands it to
`perform` (which does it, and returns an error message if the world refuses), and closes only
once that succeeded, so a refused action keeps what the person typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, Static

T = TypeVar("T")

Perform = Callable[[Any], "str | None"]
"""Does what the dialog asked for; returns an error message, or None when it worked."""


class FormError(ValueError):
    """A field the person must fix; the message says which and how."""


def percent(text: str, field: str = "confidence") -> float:
    """A probability typed as `80`, `80%` or `0.8`.

    Raises:
        FormError: not a number from 0 to 100 %.
    """
    raw = text.strip().rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError:
        raise FormError(f"{field}: {text!r} is not a number; expected e.g. 80 (per cent)") from None
    if value > 1:
        value /= 100
    if not 0 <= value <= 1:
        raise FormError(f"{field}: expected 0 to 100 per cent")
    return value


class Dialog(ModalScreen[T], Generic[T]):
    """A modal form: fields in a column, Enter or OK to submit, Escape to cancel."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
    }
    Dialog > #dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    Dialog #fields {
        layout: grid;
        grid-size: 2;
        grid-columns: 14 1fr;
        grid-rows: auto;
        grid-gutter: 1 1;
        height: auto;
        max-height: 20;
        overflow-y: auto;
        margin-top: 1;
    }
    Dialog .field-label { color: $text-muted; }
    Dialog .wide { column-span: 2; color: $text-muted; }
    Dialog #error { color: $error; height: auto; }
    Dialog #buttons { height: auto; align-horizontal: right; margin-top: 1; }
    Dialog #buttons Button { margin-left: 2; }
    Dialog .hint { color: $text-muted; }
    Dialog SelectionList { height: auto; max-height: 6; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel"),
        Binding("ctrl+s", "submit", "OK", id="dialog-submit"),
        Binding("enter", "enter", "OK", id="dialog-enter", priority=True, show=False),
    ]
    """Escape closes without doing anything; Enter (outside lists and buttons) or ctrl+s submits."""

    TITLE: ClassVar[str] = "Dialog"
    """The question the dialog asks."""

    def __init__(self, perform: Perform | None = None) -> None:
        super().__init__()
        self.perform = perform
        """Does the collected value; None: the dialog only returns it."""

    def compose(self) -> ComposeResult:
        """The frame around `fields`."""
        with Vertical(id="dialog") as frame:
            frame.border_title = self.TITLE
            with Vertical(id="fields"):
                yield from self.fields()
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("OK", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Label("Enter: OK · Space: open a list, tick · Tab: next field · Esc: cancel",
                        classes="hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter picks in an open list, opens an empty one, ticks, presses a button; else submits."""
        if action != "enter":
            return True
        focused = self.focused
        if isinstance(focused, Select) and focused.value is Select.NULL:
            return False
        return not isinstance(focused, OptionList | Button)

    def action_enter(self) -> None:
        """Enter in a text field or on a closed list: submit."""
        self.action_submit()

    def fields(self) -> Iterable[Widget]:
        """The form's widgets, top to bottom."""
        return ()

    @staticmethod
    def label(text: str) -> Label:
        """A field's label."""
        return Label(text, classes="field-label")

    def value(self) -> T:
        """What the form says.

        Raises:
            FormError: a field to fix.
        """
        raise NotImplementedError

    def chosen(self, selector: str, what: str) -> Any:
        """The value of a Select, which must be set.

        Raises:
            FormError: nothing chosen.
        """
        value = self.query_one(selector, Select).value
        if value is Select.NULL:
            raise FormError(f"choose {what}")
        return value

    def show_error(self, message: str) -> None:
        """Say what is wrong, and keep the dialog open."""
        if len(message) > 240:  # a reference check can list many problems: the first ones do
            message = message[:240].rsplit(" ", 1)[0] + " …"
        self.query_one("#error", Static).update(message)

    def action_submit(self) -> None:
        """Collect, perform, and close if it worked."""
        try:
            value = self.value()
        except FormError as exc:
            self.show_error(str(exc))
            return
        if self.perform is not None:
            problem = self.perform(value)
            if problem:
                self.show_error(problem)
                return
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """OK submits, Cancel cancels."""
        event.stop()
        if event.button.id == "ok":
            self.action_submit()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a text field submits the form (the priority binding usually gets it first)."""
        event.stop()
        self.action_submit()
