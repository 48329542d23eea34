"""A file git could not merge, read back as two versions."""

from __future__ import annotations

from bluezone_tui.git.conflict import split_markers

COMMON = "revision = 2\n"
MERGE = (
    COMMON
    + '<<<<<<< HEAD\nentered_by = "lan"\n=======\nentered_by = "minh"\n>>>>>>> origin/main\n'
    + "[figures]\n"
)


def test_two_sides_and_their_labels():
    ours, theirs, ours_label, theirs_label = split_markers(MERGE)  # type: ignore[misc]
    assert ours == 'revision = 2\nentered_by = "lan"\n[figures]\n'
    assert theirs == 'revision = 2\nentered_by = "minh"\n[figures]\n'
    assert (ours_label, theirs_label) == ("HEAD", "origin/main")


def test_the_base_of_the_diff3_styles_is_left_out():
    text = (
        "<<<<<<< HEAD\na = 1\n||||||| merged common ancestors\na = 0\n=======\na = 2\n"
        ">>>>>>> origin/main\n"
    )
    ours, theirs, _, _ = split_markers(text)  # type: ignore[misc]
    assert (ours, theirs) == ("a = 1\n", "a = 2\n")


def test_markers_that_are_not_whole_are_not_two_sides():
    assert split_markers("<<<<<<< HEAD\na = 1\n=======\na = 2\n") is None
    assert split_markers("a = 1\n") is None
