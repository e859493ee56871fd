"""Checks between the parts of a scenario: ids that refer to nothing, wrong kinds, `$parameter` types."""

from __future__ import annotations

import textwrap

import pytest

from sim.scenario import ScenarioError, load_scenario_text

#: A valid scenario of 23 lines; each test adds sections from line 24 on.
BASE = """\
hotline: 1
id: refs
title: References
start: 2022-11-15T12:00:00Z
duration: 12h
question:
  text: Who fired?
  hypotheses:
    - {id: red, label: Red did it}
    - {id: blue, label: Blue did it}
  truth: blue
ladder:
  - {id: routine, label: Routine}
  - {id: alert, label: Alert}
actors:
  - {id: a, name: A, side: west, timezone: UTC}
  - {id: b, name: B, side: east, timezone: UTC}
  - {id: c, name: C, side: east, timezone: UTC}
channels:
  - {id: line, kind: call, ends: [a, b]}
  - {id: chat, kind: message, members: [a, b]}
  - {id: wire, kind: broadcast, publishers: [c]}
  - {id: nac, kind: meeting, members: [a, b]}
"""


def problems(extra: str, base: str = BASE) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(base + textwrap.dedent(extra), "t.yaml")
    return info.value.report().splitlines()


def test_the_base_is_valid() -> None:
    assert len(BASE.splitlines()) == 23
    assert load_scenario_text(BASE).id == "refs"


@pytest.mark.parametrize(("extra", "expected"), [
    pytest.param("""\
        rules:
          - {id: r, actor: c, when: {start: true}, do: {call: {to: b, channel: line}}}
        """, ["t.yaml:25:72: error: rules[0].do.call.channel: call channel 'line' links a and b; "
              "expected a channel between 'c' and 'b'"], id="call-channel-between-others"),
    pytest.param("""\
        rules:
          - {id: r, actor: a, when: {start: true}, do: {message: {to: b, channel: line}}}
        """, ["t.yaml:25:75: error: rules[0].do.message.channel: channel 'line' is a call channel; "
              "expected a message channel (chat)"], id="wrong-channel-kind"),
    pytest.param("""\
        rules:
          - {id: r, actor: a, when: {start: true}, do: {message: {to: [c], channel: chat}}}
        """, ["t.yaml:25:64: error: rules[0].do.message.to[0]: 'c' is not a member of message channel "
              "'chat'"], id="message-to-a-non-member"),
    pytest.param("""\
        rules:
          - {id: r, actor: a, when: {start: true}, do: {statement: {channel: wire}}}
        """, ["t.yaml:25:70: error: rules[0].do.statement.channel: 'a' does not publish on 'wire'; "
              "expected one of its publishers: c"], id="statement-by-a-non-publisher"),
    pytest.param("""\
        rules:
          - {id: r, actor: c, when: {start: true}, do: {convene: nac}}
        """, ["t.yaml:25:58: error: rules[0].do.convene: 'c' is not a member of meeting 'nac'"],
        id="convene-by-a-non-member"),
    pytest.param("""\
        rules:
          - {id: r, actor: a, when: {inject: bom}, do: {posture: {set: crisis}}}
        injects:
          - {id: boom, title: Boom, at: 10m, to: [a]}
        """, ["t.yaml:25:38: error: rules[0].when.inject: unknown inject 'bom' (did you mean 'boom'?); "
              "expected one of: boom",
              "t.yaml:25:64: error: rules[0].do.posture.set: unknown ladder level 'crisis'; expected one "
              "of: alert, routine"], id="inject-and-ladder-level"),
    pytest.param("""\
        rules:
          - {id: r, actor: a, when: {meeting: line}, do: {posture: {raise: 1}}}
        """, ["t.yaml:25:39: error: rules[0].when.meeting: channel 'line' is a call channel; expected a "
              "meeting channel (nac)"], id="meeting-trigger-on-a-call-channel"),
    pytest.param("""\
        injects:
          - {id: leak, title: Leak, at: 1h, via: chat, origin: d}
        """, ["t.yaml:25:42: error: injects[0].via: channel 'chat' is a message channel; expected a "
              "broadcast channel (wire)",
              "t.yaml:25:56: error: injects[0].origin: unknown actor 'd'; expected one of: a, b, c"],
        id="inject-via-and-origin"),
])
def test_references_in_rules_and_injects(extra: str, expected: list[str]) -> None:
    assert problems(extra) == expected


def test_a_message_sender_must_be_a_member_of_its_channel() -> None:
    """Rule: only a member of a message channel may send on it (recipients are checked apart)."""
    assert problems("""\
        rules:
          - {id: r, actor: c, when: {start: true}, do: {message: {to: [a], channel: chat}}}
        """) == ["t.yaml:25:77: error: rules[0].do.message.channel: 'c' is not a member of message "
                 "channel 'chat'"]


def test_unknown_belief_and_trust_keys_point_at_the_key() -> None:
    base = BASE.replace("  - {id: c, name: C, side: east, timezone: UTC}",
                        "  - {id: c, name: C, side: east, timezone: UTC, belief: {red: 0.5, bleu: 0.5}, "
                        "trust: {x: 0.2}}")
    assert problems("", base) == [
        "t.yaml:18:57: error: actors[2].belief: starting belief leaves out blue; expected a "
        "probability for every hypothesis",
        "t.yaml:18:68: error: actors[2].belief.bleu: unknown hypothesis 'bleu' (did you mean 'blue'?); "
        "expected one of: blue, red",
        "t.yaml:18:88: error: actors[2].trust.x: unknown actor 'x'; expected one of: a, b, c",
    ]


def test_a_call_channel_links_two_different_actors() -> None:
    base = BASE.replace("ends: [a, b]", "ends: [a, a]")
    assert problems("", base) == [
        "t.yaml:20:34: error: channels[0].ends: a call channel links two different actors",
    ]


def test_duplicate_ids_in_every_section() -> None:
    base = (BASE.replace("  - {id: alert, label: Alert}", "  - {id: routine, label: Alert}")
            .replace("{id: blue, label: Blue did it}", "{id: red, label: Blue did it}"))
    assert problems("", base) == [
        "t.yaml:10:12: error: question.hypotheses[1].id: duplicate id 'red'; expected each id once",
        "t.yaml:11:10: error: question.truth: unknown hypothesis 'blue'; expected one of: red",
        "t.yaml:14:10: error: ladder[1].id: duplicate id 'routine'; expected each ladder level id once",
    ]


def test_metrics_and_objectives() -> None:
    assert problems("""\
        metrics:
          - {id: calls, kind: failed_calls, label: Calls, channel: chat, historical: {at: 1h}}
          - {id: reach, kind: contact, label: Reach, between: [a, e]}
        objectives:
          - {id: o1, label: Soon, metric: reach}
          - {id: o2, label: Few, metric: cals, at_most: 2}
        """) == [
        "t.yaml:25:60: error: metrics[0].channel: channel 'chat' is a message channel; expected a call "
        "channel (line)",
        "t.yaml:25:78: error: metrics[0].historical: a failed_calls metric's historical value is given "
        "by exactly one of: count; got at",
        "t.yaml:26:59: error: metrics[1].between[1]: unknown actor 'e'; expected one of: a, b, c",
        "t.yaml:28:5: error: objectives[0]: objective on a contact metric needs 'within' (a duration)",
        "t.yaml:29:34: error: objectives[1].metric: unknown metric 'cals' (did you mean 'calls'?); "
        "expected one of: calls, reach",
    ]


def test_pause_on_patterns_keep_their_place_after_a_broken_one() -> None:
    assert problems("""\
        pause_on:
          - {kind: statement, actr: a}
          - {kind: statement, actor: z}
        """) == [
        "t.yaml:25:23: error: pause_on[0].actr: unknown field 'actr' (did you mean 'actor'?); expected "
        "one of: actor, channel, correct, counterpart, hypothesis, inject, kind, measure, public",
        "t.yaml:26:30: error: pause_on[1].actor: unknown actor 'z'; expected one of: a, b, c",
    ]


def test_references_to_parts_that_are_broken_themselves_are_not_reported_twice() -> None:
    base = (BASE.replace("{id: c, name: C, side: east, timezone: UTC}", "{id: c, name: C, side: east}")
            .replace("kind: call, ends", "kind: cal, ends"))
    assert problems("""\
        rules:
          - {id: r, actor: c, when: {start: true}, do: {call: {to: a, channel: line}}}
        """, base) == [
        "t.yaml:18:5: error: actors[2]: missing required field 'timezone'",
        "t.yaml:20:22: error: channels[0].kind: unknown kind 'cal' (did you mean 'call'?); expected "
        "one of: call, message, broadcast, meeting",
    ]


def test_parameters_are_checked_by_the_kind_of_value_they_stand_for() -> None:
    assert problems("""\
        parameters:
          p: {type: probability, default: 0.5}
          t: {type: duration, default: 5m}
          n: {type: number, default: 2}
        injects:
          - {id: i, title: "$5 reward", text: "$p", at: $t, to: [a], probability: $t}
        rules:
          - {id: r, actor: a, when: {at: $p}, do: {posture: {raise: $n}}, delay: {empirical: [1m, $q]}}
        metrics:
          - {id: m, kind: contact, label: M, between: [a, b], historical: {at: $p}}
        """) == [
        "t.yaml:29:75: error: injects[0].probability: parameter $t is a duration; expected a "
        "probability parameter here",
        "t.yaml:31:34: error: rules[0].when.at: parameter $p is a probability; expected a duration "
        "parameter here",
        "t.yaml:31:91: error: rules[0].delay.empirical[1]: unknown parameter 'q'; expected one of: n, p, t",
        "t.yaml:33:72: error: metrics[0].historical.at: parameter $p is a probability; expected a "
        "duration parameter here",
    ]


def test_variants_and_the_default_variant() -> None:
    assert problems("""\
        parameters:
          p: {type: probability, default: 0.5}
        variants:
          base: {set: {p: true}}
        default_variant: bsae
        """) == [
        "t.yaml:27:19: error: variants.base.set.p: true is not a probability; expected a number",
        "t.yaml:28:18: error: default_variant: unknown variant 'bsae' (did you mean 'base'?); expected "
        "one of: base",
    ]


def test_sources_are_cited_by_known_ids_and_estimates_say_how() -> None:
    base = BASE.replace("duration: 12h\n", "duration: 12h\nsources:\n  - {id: ap, title: AP}\n")
    base = base.replace("{id: a, name: A, side: west, timezone: UTC}",
                        "{id: a, name: A, side: west, timezone: UTC, source: pa, confidence: E}")
    assert problems("", base) == [
        "t.yaml:18:57: error: actors[0].source: unknown source 'pa'; expected one of: ap",
    ]
    required = base.replace("sources:", "sourcing: required\nsources:").replace("source: pa", "source: ap")
    lines = problems("", required)
    assert lines[:3] == [
        "t.yaml:10:3: error: question: missing source and confidence; this scenario has 'sourcing: "
        "required', so every historical fact cites a source and a confidence code (C, R, E or X)",
        "t.yaml:19:5: error: actors[0]: an estimate (confidence E) needs a 'note' saying how it was "
        "estimated",
        "t.yaml:20:5: error: actors[1]: missing source and confidence; this scenario has 'sourcing: "
        "required', so every historical fact cites a source and a confidence code (C, R, E or X)",
    ]
    assert len(lines) == 8  # and the other actor and the four channels


def test_hypotheses_and_parameters_cite_known_sources() -> None:
    base = (BASE.replace("duration: 12h\n", "duration: 12h\nsources: [{id: ap, title: AP}]\n")
            .replace("{id: red, label: Red did it}", "{id: red, label: Red did it, source: [ap, bp]}"))
    assert problems("""\
        parameters:
          p: {type: probability, default: 0.5, source: pa}
        """, base) == [
        "t.yaml:10:49: error: question.hypotheses[0].source[1]: unknown source 'bp'; expected one of: ap",
        "t.yaml:26:48: error: parameters.p.source: unknown source 'pa'; expected one of: ap",
    ]


def test_the_scenarios_own_source_cites_known_ids() -> None:
    """Rule: the top-level `source:` of a scenario names entries of its `sources`, like any citation."""
    base = BASE.replace("duration: 12h\n", "duration: 12h\nsources: [{id: ap, title: AP}]\n"
                        "source: [ap, nosuch]\n")
    assert problems("", base) == [
        "t.yaml:7:14: error: source[1]: unknown source 'nosuch'; expected one of: ap",
    ]
    # checked too when another part of the file is broken
    broken = base.replace("timezone: UTC}", "timezone: Mars/Base}", 1)
    assert [line.split(": error: ")[1][:9] for line in problems("", broken)] == ["source[1]", "actors[0]"]


def test_every_objective_names_the_target_its_metric_needs() -> None:
    """Rule: reached metrics need `expect`; counts and levels need `at_most` or `at_least`."""
    assert problems("""\
        metrics:
          - {id: up, kind: reached, label: Up, level: alert}
          - {id: calls, kind: failed_calls, label: Calls}
          - {id: peak, kind: peak_posture, label: Peak}
        objectives:
          - {id: o1, label: Up, metric: up, within: 1h}
          - {id: o2, label: Calls, metric: calls, within: 1h}
          - {id: o3, label: Peak, metric: peak, at_least: 1}
          - {id: o4, label: Up, metric: up, expect: false}
        """) == [
        "t.yaml:29:5: error: objectives[0]: objective on a reached metric needs 'expect' (true or false)",
        "t.yaml:30:5: error: objectives[1]: objective on a failed_calls metric needs 'at_most' or "
        "'at_least' (a number)",
    ]


def test_posture_ranges_and_first_event_patterns_name_known_ids() -> None:
    """Rule: a posture test's levels are ladder levels; a `first` metric's pattern names known ids."""
    assert problems("""\
        rules:
          - {id: r, actor: a, when: {posture: {at_least: alrt, at_most: crisis}}, do: {convene: nac}}
          - {id: s, actor: a, when: {start: true}, if: [{posture: {at_most: top}}], do: {convene: nac}}
        metrics:
          - {id: m, kind: first, label: M, event: {actor: d, kind: statement}}
        """) == [
        "t.yaml:25:50: error: rules[0].when.posture.at_least: unknown ladder level 'alrt' (did you "
        "mean 'alert'?); expected one of: alert, routine",
        "t.yaml:25:65: error: rules[0].when.posture.at_most: unknown ladder level 'crisis'; expected "
        "one of: alert, routine",
        "t.yaml:26:69: error: rules[1].if[0].posture.at_most: unknown ladder level 'top'; expected one "
        "of: alert, routine",
        "t.yaml:28:51: error: metrics[0].event.actor: unknown actor 'd'; expected one of: a, b, c",
    ]


def test_metric_and_inject_references_and_historical_values() -> None:
    """Rules: every id a metric or inject names exists; a historical value is given exactly once,
    in the form its metric's kind takes (a belief_true metric may say `never`)."""
    assert problems("""\
        injects:
          - {id: i, title: I, at: 1h, to: [a, d]}
        metrics:
          - {id: m1, kind: first, label: M, event: {counterpart: d, channel: nc, inject: np, hypothesis: g}}
          - {id: m2, kind: belief_true, label: B, actor: d, historical: {never: true}}
          - {id: m3, kind: reached, label: R, level: top}
          - {id: m4, kind: contact, label: C, between: [a, b], historical: {at: 1h, never: true}}
          - {id: m5, kind: failed_calls, label: F, historical: {}}
        """) == [
        "t.yaml:25:39: error: injects[0].to[1]: unknown actor 'd'; expected one of: a, b, c",
        "t.yaml:27:58: error: metrics[0].event.counterpart: unknown actor 'd'; expected one of: a, b, c",
        "t.yaml:27:70: error: metrics[0].event.channel: unknown channel 'nc' (did you mean 'nac'?); "
        "expected one of: chat, line, nac, wire",
        "t.yaml:27:82: error: metrics[0].event.inject: unknown inject 'np'; expected one of: i",
        "t.yaml:27:98: error: metrics[0].event.hypothesis: unknown hypothesis 'g'; expected one of: "
        "blue, red",
        "t.yaml:28:50: error: metrics[1].actor: unknown actor 'd'; expected one of: a, b, c",
        "t.yaml:29:46: error: metrics[2].level: unknown ladder level 'top'; expected one of: alert, "
        "routine",
        "t.yaml:30:68: error: metrics[3].historical: a contact metric's historical value is given by "
        "exactly one of: at, never, at_most/at_least; got at, never",
        "t.yaml:31:56: error: metrics[4].historical: a failed_calls metric's historical value is given "
        "by exactly one of: count; got none",
    ]


def test_conditions_actions_and_inject_claims_name_known_ids() -> None:
    """Rule: every id in a rule's conditions and action, and in an inject's claim and trigger,
    names something that exists, and each error points at the id itself."""
    assert problems("""\
        injects:
          - {id: i, title: I, to: [a], claim: {hypothesis: grn}, when: {contact: e}}
        rules:
          - id: r
            actor: a
            when: {start: true}
            if:
              - {belief: {hypothesis: grn, above: 0.5}}
              - {posture: {at_least: top}}
              - {contacted: e}
              - {not_contacted: f}
            do: {call: {to: e, channel: line}}
          - id: s
            actor: a
            when: {start: true}
            do: {message: {to: [e], channel: chat, claim: {hypothesis: grn}}}
          - id: t
            actor: c
            when: {start: true}
            do: {statement: {channel: wire, claim: {hypothesis: grn}}}
        """) == [
        "t.yaml:25:52: error: injects[0].claim.hypothesis: unknown hypothesis 'grn'; expected one of: "
        "blue, red",
        "t.yaml:25:74: error: injects[0].when.contact: unknown actor 'e'; expected one of: a, b, c",
        "t.yaml:31:31: error: rules[0].if[0].belief.hypothesis: unknown hypothesis 'grn'; expected one "
        "of: blue, red",
        "t.yaml:32:30: error: rules[0].if[1].posture.at_least: unknown ladder level 'top'; expected one "
        "of: alert, routine",
        "t.yaml:33:21: error: rules[0].if[2].contacted: unknown actor 'e'; expected one of: a, b, c",
        "t.yaml:34:25: error: rules[0].if[3].not_contacted: unknown actor 'f'; expected one of: a, b, c",
        "t.yaml:35:21: error: rules[0].do.call.to: unknown actor 'e'; expected one of: a, b, c",
        "t.yaml:35:33: error: rules[0].do.call.channel: call channel 'line' links a and b; expected a "
        "channel between 'a' and 'e'",
        "t.yaml:39:25: error: rules[1].do.message.to[0]: unknown actor 'e'; expected one of: a, b, c",
        "t.yaml:39:64: error: rules[1].do.message.claim.hypothesis: unknown hypothesis 'grn'; expected "
        "one of: blue, red",
        "t.yaml:43:57: error: rules[2].do.statement.claim.hypothesis: unknown hypothesis 'grn'; "
        "expected one of: blue, red",
    ]


def test_trigger_tests_and_broadcast_and_meeting_actions_name_known_ids() -> None:
    """Rule: `received` and `belief` triggers, statements and convenings refer to existing ids."""
    base = BASE.replace("publishers: [c]}", "publishers: [c, b]}")
    assert problems("""\
        rules:
          - {id: r, actor: a, when: {received: {hypothesis: grn, origin: e}}, do: {convene: nca}}
          - {id: s, actor: a, when: {belief: {hypothesis: grn, above: 0.5}}, do: {statement: {channel: wir}}}
          - {id: t, actor: a, when: {start: true}, do: {statement: {channel: wire}}}
        """, base) == [
        "t.yaml:25:53: error: rules[0].when.received.hypothesis: unknown hypothesis 'grn'; expected one "
        "of: blue, red",
        "t.yaml:25:66: error: rules[0].when.received.origin: unknown actor 'e'; expected one of: a, b, c",
        "t.yaml:25:85: error: rules[0].do.convene: unknown meeting channel 'nca' (did you mean 'nac'?); "
        "expected one of: nac",
        "t.yaml:26:51: error: rules[1].when.belief.hypothesis: unknown hypothesis 'grn'; expected one of: "
        "blue, red",
        "t.yaml:26:96: error: rules[1].do.statement.channel: unknown broadcast channel 'wir' (did you "
        "mean 'wire'?); expected one of: wire",
        "t.yaml:27:70: error: rules[2].do.statement.channel: 'a' does not publish on 'wire'; expected one "
        "of its publishers: c, b",
    ]


def test_call_failed_triggers_and_starting_postures_name_known_ids() -> None:
    """Rule: a call_failed trigger names a known actor and a call channel; a starting posture is a
    ladder level."""
    base = BASE.replace("{id: c, name: C, side: east, timezone: UTC}",
                        "{id: c, name: C, side: east, timezone: UTC, posture: top}")
    assert problems("""\
        rules:
          - {id: r, actor: a, when: {call_failed: {to: e, channel: chat}}, do: {convene: nac}}
          - {id: s, actor: a, when: {call_failed: {channel: lin}}, do: {convene: nac}}
        """, base) == [
        "t.yaml:18:58: error: actors[2].posture: unknown ladder level 'top'; expected one of: alert, "
        "routine",
        "t.yaml:25:48: error: rules[0].when.call_failed.to: unknown actor 'e'; expected one of: a, b, c",
        "t.yaml:25:60: error: rules[0].when.call_failed.channel: channel 'chat' is a message channel; "
        "expected a call channel (line)",
        "t.yaml:26:53: error: rules[1].when.call_failed.channel: unknown call channel 'lin' (did you mean "
        "'line'?); expected one of: line",
    ]


def test_after_a_broken_item_references_point_at_the_right_place() -> None:
    """Rule: when items fail on their own, the rest are still checked, each error at its own index,
    and a broken item's id (and a broken channel's kind) can still be referred to."""
    base = BASE.replace("actors:\n", "actors:\n  - {id: x, name: X, side: west, timezone: Mars/Base}\n"
                        "  - {id: y, name: Y, side: west, timezone: UTC, posture: top}\n")
    base = base.replace("channels:\n", "channels:\n  - {id: broke, kind: call, ends: [a, b], setup: soon}\n"
                        "  - {id: wrong, kind: call, ends: [a, zz]}\n")
    assert problems("""\
        injects:
          - {id: bad, title: B, at: never, to: [a]}
          - {id: ok, title: O, at: 1h, to: [zz]}
          - {id: ok, title: O, at: 2h, to: [a]}
        rules:
          - {id: r0, actor: a, when: {start: true}, do: {jump: true}}
          - {id: r1, actor: a, when: {inject: bad}, do: {call: {to: b, channel: broke}}}
          - {id: r2, actor: a, when: {start: true}, do: {message: {to: [b], channel: broke}}}
        metrics:
          - {id: m0, kind: first, label: M}
          - {id: m1, kind: contact, label: C, between: [a, zz]}
        """, base) == [
        "t.yaml:16:44: error: actors[0].timezone: 'Mars/Base' is not a known time zone; expected an "
        "IANA name like Europe/Warsaw",
        "t.yaml:17:58: error: actors[1].posture: unknown ladder level 'top'; expected one of: alert, "
        "routine",
        "t.yaml:22:50: error: channels[0].setup: 'soon' is not a duration; expected a duration like "
        "90s, 20m, 2h or 1d 6h",
        "t.yaml:23:39: error: channels[1].ends[1]: unknown actor 'zz'; expected one of: a, b, c, x, y",
        "t.yaml:29:29: error: injects[0].at: 'never' is not a duration; expected a duration like 90s, "
        "20m, 2h or 1d 6h",
        "t.yaml:30:37: error: injects[1].to[0]: unknown actor 'zz'; expected one of: a, b, c, x, y",
        "t.yaml:31:10: error: injects[2].id: duplicate id 'ok'; expected each inject id once",
        "t.yaml:33:50: error: rules[0].do.jump: unknown field 'jump'; expected one of: arrange, call, "
        "convene, message, posture, statement",
        # r1 may name the broken inject and call channel; r2 learns the broken channel's kind
        "t.yaml:35:78: error: rules[2].do.message.channel: channel 'broke' is a call channel; expected "
        "a message channel (chat)",
        "t.yaml:37:5: error: metrics[0]: missing required field 'event'",
        "t.yaml:38:52: error: metrics[1].between[1]: unknown actor 'zz'; expected one of: a, b, c, x, y",
    ]
