"""Plots that many notebooks share. Each returns its Axes or Figure and never calls ``plt.show()``."""

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

CLASS_COLOURS = ("tab:blue", "tab:red", "tab:green", "tab:purple", "tab:orange", "tab:brown", "tab:pink", "tab:olive")
"""Class k is drawn in ``CLASS_COLOURS[k]`` by every plot of the course: use it in scatter plots too."""


def plot_cost_history(
    costs,
    *,
    ax: Axes | None = None,
    label: str | None = None,
    log_scale: bool = False,
    first: int = 0,
    xlabel: str = "iteration",
) -> Axes:
    """Plot a cost (or loss) against the iteration or epoch number.

    Args:
        costs: a 1-D sequence of scalars, one per iteration or epoch.
        ax: the Axes to draw on; a new figure if None.
        label: legend label for this curve.
        log_scale: use a logarithmic y axis.
        first: the number of the first entry: 0 for the cost before any step, 1 when
            ``costs[0]`` is the loss after epoch 1 (as Keras's ``history`` records it).
        xlabel: the x-axis label, for example ``"epoch"``.

    Raises:
        ValueError: ``costs`` is not 1-D or is empty.
    """
    values = np.asarray(costs, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"costs must be a non-empty 1-D sequence, got shape {values.shape}")
    ax = ax if ax is not None else plt.figure().gca()
    ax.plot(np.arange(first, first + values.size), values, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost")
    if log_scale:
        ax.set_yscale("log")
    if label is not None:
        ax.legend()
    return ax


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    *,
    ax: Axes | None = None,
    resolution: int = 200,
    padding: float = 0.5,
    class_names: Sequence[str] | None = None,
    legend_loc: str = "best",
) -> Axes:
    """Shade the regions a classifier assigns to each class, with the data on top and a legend.

    Class k is drawn in ``CLASS_COLOURS[k]``, both its region and its points, so the colours
    match the course's scatter plots.

    Args:
        predict: maps an array of shape (k, 2) to k integer class labels 0, 1, ..., or to k
            scores in [0, 1], which are cut at 0.5 (booleans work too).
        X: the points, shape (m, 2).
        y: their integer labels 0, 1, ..., shape (m,).
        ax: the Axes to draw on; a new figure if None.
        resolution: grid points per axis.
        padding: margin around the data, in data units.
        class_names: a name per class for the legend; "class 0", "class 1", ... if None.
        legend_loc: where the legend goes (matplotlib's ``loc``).

    Raises:
        ValueError: ``X`` is not (m, 2), ``y`` is not (m,) integer labels, there are more
            classes than colours, or ``class_names`` has too few names.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (m, 2) to draw a 2-D boundary, got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}; use y.ravel()")
    if y.size and (y.min() < 0 or not np.array_equal(y, np.round(y))):
        raise ValueError("y must hold integer class labels 0, 1, ...; map the classes with np.unique(y, return_inverse=True)")
    ax = ax if ax is not None else plt.figure().gca()
    x0 = np.linspace(X[:, 0].min() - padding, X[:, 0].max() + padding, resolution)
    x1 = np.linspace(X[:, 1].min() - padding, X[:, 1].max() + padding, resolution)
    grid0, grid1 = np.meshgrid(x0, x1)
    zone = np.asarray(predict(np.column_stack([grid0.ravel(), grid1.ravel()]))).reshape(grid0.shape)
    if zone.dtype.kind == "f" and not np.array_equal(zone, np.round(zone)):
        zone = zone >= 0.5  # scores in [0, 1]: the boundary is 0.5
    zone = zone.astype(int)
    y = y.astype(int)
    n_classes = int(max(zone.max(), y.max(initial=0))) + 1
    if n_classes > len(CLASS_COLOURS):
        raise ValueError(f"{n_classes} classes but only {len(CLASS_COLOURS)} class colours; plot fewer classes")
    names = [f"class {k}" for k in range(n_classes)] if class_names is None else list(class_names)
    if len(names) < n_classes:
        raise ValueError(f"class_names has {len(names)} names but the labels go up to {n_classes - 1}")
    colours = ListedColormap(CLASS_COLOURS[:n_classes])
    ax.contourf(grid0, grid1, zone, levels=np.arange(n_classes + 1) - 0.5, cmap=colours, alpha=0.2)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=colours, vmin=-0.5, vmax=n_classes - 0.5, edgecolors="k", s=25)
    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor=CLASS_COLOURS[k], markeredgecolor="k", label=names[k])
        for k in range(n_classes)
    ]
    ax.legend(handles=handles, loc=legend_loc)
    return ax


def plot_image_grid(
    images: np.ndarray,
    titles: Sequence[str] | None = None,
    *,
    n_cols: int = 10,
    cmap: str = "gray",
    size: float = 1.2,
    vmin: float | None = None,
    vmax: float | None = None,
) -> Figure:
    """Show images in a grid, one per cell, with optional titles.

    Args:
        images: shape (k, h, w) for grey images or (k, h, w, 3) for colour; any numeric range.
        titles: k strings, or None.
        n_cols: images per row.
        cmap: colour map for grey images.
        size: inches per cell.
        vmin, vmax: the grey values drawn as black and white, the same for every image
            (for example 0 and 255, or -1 and 1 for weights). None, the default, scales each
            image to its own range, which hides how bright images are relative to each other.

    Raises:
        ValueError: ``images`` is not 3-D/4-D, ``titles`` has the wrong length, or ``vmin >= vmax``.
    """
    if vmin is not None and vmax is not None and vmin >= vmax:
        raise ValueError(f"vmin must be below vmax, got vmin={vmin} and vmax={vmax}")
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or images.shape[0] == 0:
        raise ValueError(
            f"images must have shape (k, h, w) or (k, h, w, 3) with k >= 1, got {images.shape}; "
            "for flat vectors use images.reshape(-1, 28, 28)"
        )
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(titles)} titles for {len(images)} images")
    n_cols = min(n_cols, len(images))
    n_rows = -(-len(images) // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(size * n_cols, size * n_rows * 1.15), squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if index < len(images):
            ax.imshow(images[index], cmap=cmap, vmin=vmin, vmax=vmax)
            if titles is not None:
                ax.set_title(titles[index], fontsize=9)
    fig.tight_layout()
    return fig


def draw_block_diagram(
    ax: Axes, boxes: Mapping[str, tuple], arrows: Sequence[tuple], *, fontsize: float = 9, ylim: tuple = (0, 1)
) -> dict:
    """Draw a block diagram: labelled boxes joined by arrows, on an Axes without axes.

    Args:
        ax: the Axes to draw on; its limits become x in [0, 1] and y in ``ylim``.
        boxes: ``{name: ((x, y), text, colour)}``: each box's centre in those coordinates, its
            text (LaTeX allowed) and its fill colour.
        arrows: ``(start, end)`` or ``(start, end, style)`` tuples naming boxes; ``style`` is a
            dict of extra ``arrowprops`` such as ``{"linestyle": "dotted"}``.
        fontsize: the text size in the boxes.
        ylim: the y range, (0, 1) unless boxes sit below 0 or above 1.

    Returns:
        ``{name: Text}``, the box artists, for further annotation.

    Raises:
        ValueError: an arrow names a box that is not in ``boxes``, or is not a 2- or 3-tuple.
    """
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(*ylim)
    artists = {
        name: ax.text(*centre, text, ha="center", va="center", fontsize=fontsize,
                      bbox=dict(boxstyle="round,pad=0.4", facecolor=colour, edgecolor="0.3"))
        for name, (centre, text, colour) in boxes.items()
    }
    for arrow in arrows:
        if len(arrow) not in (2, 3):
            raise ValueError(f"an arrow is (start, end) or (start, end, style), got {arrow!r}")
        start, end, style = (*arrow, {}) if len(arrow) == 2 else arrow
        missing = [name for name in (start, end) if name not in artists]
        if missing:
            raise ValueError(f"arrow {start!r} -> {end!r} names {missing}, which are not boxes; add them to boxes")
        ax.annotate("", xy=(0.5, 0.5), xycoords=artists[end], xytext=(0.5, 0.5), textcoords=artists[start],
                    arrowprops=dict(arrowstyle="->", color="0.3", patchA=artists[start].get_bbox_patch(),
                                    patchB=artists[end].get_bbox_patch(), shrinkA=2, shrinkB=2, **style))
    return artists
