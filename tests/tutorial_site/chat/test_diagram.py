"""The chat's flowchart: the same boxes in Mermaid and in the matplotlib figure."""

from tutorial_site.chat import diagram


def test_the_flowchart_names_every_part_in_both_forms() -> None:
    text = diagram.mermaid()
    assert text.startswith("flowchart LR")
    figure = diagram.draw()
    drawn = " ".join(t.get_text() for t in figure.axes[0].texts)
    for part in (
        "Browser",
        "ChatConsumer",
        "Writer",
        "Hub",
        "Channel layer",
        "Database",
        "group_send",
        "since",
    ):
        assert part in text
        assert part in drawn
