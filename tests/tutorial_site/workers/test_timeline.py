"""Reading a journal as runs: a crash is a run that never ended; the table and the plot show each run."""

from tutorial_site.workers.journal import Event
from tutorial_site.workers.timeline import Run, journal_frame, plot_runs, runs

CRASHED_THEN_REDELIVERED: list[Event] = [
    {"event": "started", "at": 100.0, "worker": "w1@lab", "retries": 0, "redelivered": False},
    {"event": "started", "at": 106.0, "worker": "w2@lab", "retries": 0, "redelivered": True},
    {"event": "succeeded", "at": 108.0, "worker": "w2@lab", "retries": 0},
]
RETRIED: list[Event] = [
    {"event": "started", "at": 50.0, "worker": "w1@lab", "retries": 0, "redelivered": False},
    {"event": "retried", "at": 50.5, "worker": "w1@lab", "retries": 0, "error": "DoesNotExist"},
    {"event": "started", "at": 51.5, "worker": "w1@lab", "retries": 1, "redelivered": False},
    {"event": "succeeded", "at": 52.0, "worker": "w1@lab", "retries": 1},
]


def test_a_start_followed_by_a_start_is_a_lost_run() -> None:
    assert runs(CRASHED_THEN_REDELIVERED) == [
        Run(start=0.0, end=None, outcome="lost", worker="w1@lab", retries=0, redelivered=False),
        Run(start=6.0, end=8.0, outcome="succeeded", worker="w2@lab", retries=0, redelivered=True),
    ]


def test_a_retry_ends_a_run_and_the_next_run_counts_it() -> None:
    assert [(run.outcome, run.retries, run.end) for run in runs(RETRIED)] == [
        ("retried", 0, 0.5),
        ("succeeded", 1, 2.0),
    ]


def test_a_run_still_going_is_lost_for_now() -> None:
    assert [run.outcome for run in runs(CRASHED_THEN_REDELIVERED[:1])] == ["lost"]
    assert runs([]) == []


def test_the_table_has_one_row_per_event_without_times() -> None:
    frame = journal_frame(RETRIED)
    assert list(frame.columns) == ["event", "worker", "retries", "redelivered", "error"]
    assert list(frame["event"]) == ["started", "retried", "started", "succeeded"]
    assert list(frame["error"]) == ["", "DoesNotExist", "", ""]


def test_the_timeline_draws_a_bar_per_run_and_the_marks() -> None:
    figure = plot_runs(
        {"worker killed": CRASHED_THEN_REDELIVERED, "retried": RETRIED},
        marks={"worker killed": {"killed": 0.4}},
    )
    (axes,) = figure.axes
    assert len(axes.patches) == 4  # 2 runs + 2 runs
    lost = axes.patches[0]
    assert lost.get_width() == 0.4  # a lost run ends at its mark
    labels = [text.get_text() for text in axes.texts]
    assert "succeeded (redelivered)" in labels
    assert "killed" in labels
    assert "5.6 s" in labels  # the wait from the kill to the redelivered run
