"""Plots that many notebooks share. Each returns its Axes or Figure and never calls ``plt.show()``."""

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def plot_cost_history(costs, *, ax: Axes | None = None, label: str | None = None, log_scale: bool = False) -> Axes:
    """Plot a cost (or loss) against the iteration number.

    Args:
        costs: a 1-D sequence of scalars, one per iteration or epoch.
        ax: the Axes to draw on; a new figure if None.
        label: legend label for this curve.
        log_scale: use a logarithmic y axis.

    Raises:
        ValueError: ``costs`` is not 1-D or is empty.
    """
    values = np.asarray(costs, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"costs must be a non-empty 1-D sequence, got shape {values.shape}")
    ax = ax if ax is not None else plt.figure().gca()
    ax.plot(np.arange(values.size), values, label=label)
    ax.set_xlabel("iteration")
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
) -> Axes:
    """Shade the regions a classifier assigns to each class, with the data on top.

    Args:
        predict: maps an array of shape (k, 2) to k class labels (or scores; 0.5 is the boundary
            for values in [0, 1]).
        X: the points, shape (m, 2).
        y: their labels, shape (m,).
        ax: the Axes to draw on; a new figure if None.
        resolution: grid points per axis.
        padding: margin around the data, in data units.

    Raises:
        ValueError: ``X`` is not (m, 2) or ``y`` is not (m,).
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (m, 2) to draw a 2-D boundary, got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}; use y.ravel()")
    ax = ax if ax is not None else plt.figure().gca()
    x0 = np.linspace(X[:, 0].min() - padding, X[:, 0].max() + padding, resolution)
    x1 = np.linspace(X[:, 1].min() - padding, X[:, 1].max() + padding, resolution)
    grid0, grid1 = np.meshgrid(x0, x1)
    zone = np.asarray(predict(np.column_stack([grid0.ravel(), grid1.ravel()]))).reshape(grid0.shape)
    ax.contourf(grid0, grid1, zone, alpha=0.25, cmap="coolwarm")
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolors="k", s=25)
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
                ax.set_title(titles[index], fontsize=8)
    fig.tight_layout()
    return fig
