"""A seat's actions from the keyboard: call, message, statement, posture, meeting, pass."""

from __future__ import annotations

from textual.widgets import Input, Select, SelectionList, Static

from sim.engine.journal import read_journal
from sim.engine.session import SessionAction
from sim.scenario import load_scenario_text
from tui.screens import actions
from tui.screens.dialog import Dialog

from .helpers import PLAY, play_screen, press, settle


def acts(path):
    return [op["action"] for op in read_journal(path).ops if op["op"] == "act"]


async def test_call_picks_whom_and_line(make_app, tmp_path):
    app = make_app("ally")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "c")
        dialog = app.screen
        assert isinstance(dialog, actions.CallDialog)
        whom = dialog.query_one("#whom", Select)
        # only the actors ally shares a call channel with
        assert [value for _, value in whom._options if value != Select.NULL] == ["east"]
        assert dialog.query_one("#over", Select).value == "hotline"
        await press(pilot, app, "ctrl+s")
        assert not isinstance(app.screen, Dialog)
        lines = play_screen(app).query_one("#feed").lines()
        assert lines[-2].endswith("▶ You call Gen. Ivan Sokol over hotline")
        # the call's progress shows as it happens: the attempt is being placed
        assert lines[-1].endswith("☎ you dial Gen. Ivan Sokol over hotline (attempt 1): placing the call…")
    assert acts(tmp_path / "journal.jsonl") == [
        {"actor": "ally", "do": {"call": {"channel": "hotline", "to": "east"}}}]


async def test_message_with_claim_and_words(make_app, tmp_path):
    app = make_app("pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "m")
        dialog = app.screen
        assert isinstance(dialog, actions.MessageDialog)
        to = dialog.query_one("#to", SelectionList)
        to.select("ally")
        dialog.query_one("#claim", Select).value = "stray"
        dialog.query_one("#confidence", Input).value = "65"
        dialog.query_one("#text", Input).value = "Could be ours"
        await press(pilot, app, "ctrl+s")
        assert not isinstance(app.screen, Dialog)
        await press(pilot, app, "n")
        lines = play_screen(app).query_one("#feed").lines()
        assert any('✉ you → Gen. Sam Carter over cable «stray 65%» "Could be ours"' in line for line in lines)
    message = acts(tmp_path / "journal.jsonl")[0]["do"]["message"]
    assert {k: message[k] for k in ("channel", "to", "text", "claim")} == {
        "channel": "cable", "to": ["ally"], "text": "Could be ours",
        "claim": {"hypothesis": "stray", "confidence": 0.65}}


async def test_message_needs_a_recipient(make_app):
    app = make_app("pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "m", "ctrl+s")
        assert isinstance(app.screen, actions.MessageDialog)
        assert "recipient" in str(app.screen.query_one("#error").render())
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, Dialog)


async def test_statement_carries_a_claim(make_app, tmp_path):
    app = make_app("pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "s")
        dialog = app.screen
        assert isinstance(dialog, actions.StatementDialog)
        assert dialog.query_one("#channel", Select).value == "news"
        dialog.query_one("#claim", Select).value = "east"
        dialog.query_one("#confidence", Input).value = "0.9"
        await press(pilot, app, "ctrl+s")
        lines = play_screen(app).query_one("#feed").lines()
        assert any("⚑ you on news: «east 90%»" in line for line in lines)
    assert acts(tmp_path / "journal.jsonl")[0]["do"]["statement"]["claim"] == {
        "hypothesis": "east", "confidence": 0.9}


async def test_bad_confidence_is_explained(make_app):
    app = make_app("pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "s")
        app.screen.query_one("#claim", Select).value = "east"
        app.screen.query_one("#confidence", Input).value = "lots"
        await press(pilot, app, "ctrl+s")
        assert isinstance(app.screen, actions.StatementDialog)
        assert "not a number" in str(app.screen.query_one("#error").render())


async def test_posture_and_meeting(make_app, tmp_path):
    app = make_app("gen")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "o")
        assert isinstance(app.screen, actions.PostureDialog)
        app.screen.query_one("#level", Select).value = "consult"
        await press(pilot, app, "ctrl+s")
        screen = play_screen(app)
        gen = next(a for a in screen.game.view().actors if a.id == "gen")
        assert gen.posture == "consult"
        await press(pilot, app, "g")
        assert isinstance(app.screen, actions.MeetingDialog)
        await press(pilot, app, "ctrl+s")
        assert any("requests a meeting of council" in line
                   for line in screen.query_one("#feed").lines())
    assert [a["do"] for a in acts(tmp_path / "journal.jsonl")] == [
        {"posture": {"set": "consult"}}, {"convene": "council"}]


async def test_pass_on_a_player_seat_ends_the_turn(make_app, tmp_path):
    app = make_app("gen")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "x")
        assert play_screen(app).game.session.turn == 2
    ops = read_journal(tmp_path / "journal.jsonl").ops
    assert ops[0]["action"] == {"actor": "gen", "pass": True}
    assert ops[1] == {"op": "advance", "until": 30.0}


async def test_only_the_seats_channels_are_offered(make_app):
    app = make_app("gen")  # gen publishes on no broadcast
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        assert screen.check_action("statement", ()) is False
        assert screen.check_action("call", ()) is True
        await press(pilot, app, "s")
        assert not isinstance(app.screen, Dialog)


async def test_refused_action_is_shown_not_raised(make_app):
    app = make_app("gen")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        bad = SessionAction.model_validate(
            {"actor": "gen", "do": {"call": {"to": "east", "channel": "phone"}}})
        problem = screen.perform(bad)
        assert problem
        assert "phone" in problem
        # a dialog keeps what was typed and shows why
        dialog = actions.CallDialog(screen.game, "gen", lambda _a: "the line is cut")
        await app.push_screen(dialog)
        await pilot.pause()
        await press(pilot, app, "ctrl+s")
        assert app.screen is dialog
        assert "the line is cut" in str(dialog.query_one("#error").render())


async def test_player_seat_hides_facilitator_keys(make_app):
    app = make_app("gen")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        screen = play_screen(app)
        for action in ("inject", "note", "view_as", "filter", "rewind", "fork", "run_on",
                       "next_event"):
            assert screen.check_action(action, ()) is False
        keys = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "inject" not in keys
        assert "next_turn" in keys
        await press(pilot, app, "i", "b", "w")
        assert not isinstance(app.screen, Dialog)


async def test_holding_line_asserts_nothing(make_app, tmp_path):
    app = make_app("pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "s")
        app.screen.query_one("#claim", Select).value = actions.HOLDING
        app.screen.query_one("#text", Input).value = "We are verifying"
        await press(pilot, app, "ctrl+s")
        lines = play_screen(app).query_one("#feed").lines()
        assert any('⚑ you on news: (no claim) "We are verifying"' in line for line in lines)
    statement = acts(tmp_path / "journal.jsonl")[0]["do"]["statement"]
    assert statement["holding"] is True
    assert "claim" not in statement


async def test_call_with_a_proposal_for_when_it_connects(make_app, tmp_path):
    app = make_app("ally")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "c")
        dialog = app.screen
        dialog.query_one("#move", Select).value = "propose"
        await press(pilot, app, "ctrl+s")
        assert isinstance(app.screen, actions.CallDialog)  # a proposal needs its step
        dialog.query_one("#measure", Input).value = "joint-investigation"
        dialog.query_one("#text", Input).value = "Let us look at it together"
        await press(pilot, app, "ctrl+s")
        assert not isinstance(app.screen, Dialog)
    assert acts(tmp_path / "journal.jsonl") == [
        {"actor": "ally", "do": {"call": {"channel": "hotline", "to": "east", "say": [
            {"move": "propose", "measure": "joint-investigation", "text": "Let us look at it together",
             "weight": 1.0, "if": [], "with": [], "evidence": []}]}}}]


async def test_a_message_may_carry_a_tag_the_rules_know(make_app, tmp_path):
    app = make_app("pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "m")
        dialog = app.screen
        dialog.query_one("#to", SelectionList).select("ally")
        dialog.query_one("#tag", Input).value = "use-deconfliction"
        await press(pilot, app, "ctrl+s")
        assert not isinstance(app.screen, Dialog)
    assert acts(tmp_path / "journal.jsonl")[0]["do"]["message"]["tag"] == "use-deconfliction"


async def test_the_tag_field_suggests_the_tags_the_rules_listen_for(make_app, tmp_path):
    text = PLAY.read_text(encoding="utf-8").replace(
        "    when: {received: {origin: pm}}", "    when: {received: {origin: pm, tag: ask-east}}")
    app = make_app("pm", scenario=load_scenario_text(text, "play.yaml"))
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "m")
        dialog = app.screen
        tag = dialog.query_one("#tag", Input)
        assert tag.placeholder == "optional: ask-east"
        dialog.query_one("#to", SelectionList).select("ally")
        tag.focus()
        await press(pilot, app, "a", "s", "right")  # the suggestion completes the name
        assert tag.value == "ask-east"
        await press(pilot, app, "ctrl+s")
        assert not isinstance(app.screen, Dialog)
    assert acts(tmp_path / "journal.jsonl")[0]["do"]["message"]["tag"] == "ask-east"


async def test_without_listeners_the_tag_field_says_no_rule_listens(make_app):
    app = make_app("pm")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        await press(pilot, app, "m")
        assert app.screen.query_one("#tag", Input).placeholder == (
            "optional; no rule of this scenario listens for one")


async def test_a_call_to_the_players_actor_rings_and_the_player_picks_up(make_app, tmp_path):
    app = make_app("east")
    async with app.run_test() as pilot:
        await settle(pilot, app)
        for _ in range(6):  # Carter calls Sokol once the cable has reached him
            if isinstance(app.screen, actions.IncomingCallDialog):
                break
            await press(pilot, app, "n")
            await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, actions.IncomingCallDialog)
        assert "hotline" in str(dialog.query_one("#line", Static).render())
        assert play_screen(app).game.session.paused  # time waits for the answer
        await press(pilot, app, "enter")  # OK has the focus: pick up
        assert not isinstance(app.screen, Dialog)
        log = play_screen(app).game.session.log
        assert [r.kind for r in log if r.channel == "hotline"
                and r.kind in ("call_ringing", "call_connected")] == ["call_ringing", "call_connected"]
    assert acts(tmp_path / "journal.jsonl")[-1] == {"actor": "east", "answer": True}
