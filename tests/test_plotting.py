"""Unit tests of helpers.plotting: each plot returns its Axes/Figure and rejects bad input clearly."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from matplotlib.colors import to_rgba  # noqa: E402

from helpers.plotting import (  # noqa: E402
    CLASS_COLOURS,
    draw_block_diagram,
    plot_cost_history,
    plot_decision_boundary,
    plot_image_grid,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_cost_history():
    ax = plot_cost_history([3.0, 2.0, 1.5], label="train", log_scale=True)
    assert isinstance(ax, Axes) and ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [3.0, 2.0, 1.5])
    with pytest.raises(ValueError, match="1-D"):
        plot_cost_history(np.zeros((2, 2)))


def test_plot_cost_history_numbers_epochs_from_first():
    ax = plot_cost_history([0.9, 0.5, 0.4], first=1, xlabel="epoch")
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == "epoch"


def test_plot_decision_boundary():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([0, 1, 1, 0])
    ax = plot_decision_boundary(lambda P: (P[:, 1] > 0.5).astype(int), X, y, resolution=20)
    assert isinstance(ax, Axes)
    with pytest.raises(ValueError, match=r"shape \(m, 2\)"):
        plot_decision_boundary(lambda P: P[:, 0], X[:, :1], y)
    with pytest.raises(ValueError, match="ravel"):
        plot_decision_boundary(lambda P: P[:, 0], X, y.reshape(-1, 1))
    with pytest.raises(ValueError, match="integer class labels"):
        plot_decision_boundary(lambda P: P[:, 0], X, y - 0.5)
    with pytest.raises(ValueError, match="class_names has 1 names"):
        plot_decision_boundary(lambda P: P[:, 0] > 0.5, X, y, class_names=["only one"])


def test_plot_decision_boundary_legend_names_classes_in_the_course_colours():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([0, 1, 1, 0])
    ax = plot_decision_boundary(lambda P: P[:, 1], X, y, resolution=20, class_names=["failed", "passed"])
    legend = ax.get_legend()
    assert [text.get_text() for text in legend.get_texts()] == ["failed", "passed"]
    colours = [handle.get_markerfacecolor() for handle in legend.legend_handles]
    assert [to_rgba(c) for c in colours] == [to_rgba(CLASS_COLOURS[0]), to_rgba(CLASS_COLOURS[1])]
    ax.figure.canvas.draw()
    points = ax.collections[-1]
    np.testing.assert_array_equal(points.get_facecolors()[:, :3], [to_rgba(CLASS_COLOURS[k])[:3] for k in y])


def test_plot_image_grid():
    fig = plot_image_grid(np.zeros((5, 8, 8, 1)), titles=list("abcde"), n_cols=3)
    assert isinstance(fig, Figure) and len(fig.axes) == 6
    with pytest.raises(ValueError, match="reshape"):
        plot_image_grid(np.zeros((5, 64)))
    with pytest.raises(ValueError, match="titles"):
        plot_image_grid(np.zeros((2, 8, 8)), titles=["only one"])


def test_plot_image_grid_shared_grey_scale():
    dim, bright = np.full((8, 8), 10.0), np.full((8, 8), 200.0)
    own = plot_image_grid(np.stack([dim, bright]))
    shared = plot_image_grid(np.stack([dim, bright]), vmin=0, vmax=255)
    assert [ax.images[0].get_clim() for ax in shared.axes] == [(0, 255), (0, 255)]
    assert own.axes[0].images[0].get_clim() != own.axes[1].images[0].get_clim()
    with pytest.raises(ValueError, match="vmin must be below vmax"):
        plot_image_grid(np.stack([dim, bright]), vmin=1, vmax=1)


def test_draw_block_diagram_draws_a_box_per_name_and_an_arrow_per_pair():
    fig, ax = plt.subplots()
    boxes = {"x": ((0.1, 0.5), "input", "0.9"), "f": ((0.5, 0.5), "$f$", "white"), "y": ((0.9, 0.5), "output", "0.9")}
    artists = draw_block_diagram(ax, boxes, [("x", "f"), ("f", "y", {"linestyle": "dotted"})])
    assert [artists[name].get_text() for name in boxes] == ["input", "$f$", "output"]
    assert len([child for child in ax.get_children() if child.__class__.__name__ == "Annotation"]) == 2
    with pytest.raises(ValueError, match=r"names \['z'\], which are not boxes"):
        draw_block_diagram(ax, boxes, [("x", "z")])
    with pytest.raises(ValueError, match="an arrow is"):
        draw_block_diagram(ax, boxes, [("x",)])
