"""Residual blocks for the from-scratch network: ``y = F(x) + shortcut(x)`` (He et al., 2016).

A residual block wraps a short stack of layers F (the *branch*) and adds its input back to
its output. The shortcut is the identity when F keeps the shape of ``x``; when F changes it
(a stride or a new number of channels), a *projection*, usually a 1x1 :class:`Conv2D` with
the branch's stride, maps ``x`` to F's output shape.

Backward, the sum sends the same dL/dy down both paths and the input gradient is their sum:
``dL/dx = dL/dx through F + dL/dy`` (identity) or ``+ projection.backward(dL/dy)``. The ``+ dL/dy``
term is why gradients reach the early layers of a deep residual network undiminished.

The block follows the :mod:`helpers.nn.layers` contract, so it goes into ``Sequential``
like any layer (put the activation that follows the sum, ``ReLU()`` in ResNet, after it).
"""

import numpy as np

from helpers.nn.conv import Conv2D
from helpers.nn.layers import Layer, ReLU, check_grad_output


class Residual(Layer):
    """A residual block: ``y = F(x) + x``, or ``y = F(x) + projection(x)`` when F changes the shape.

    Args:
        branch: the layers of F, applied in order (for example ``[Conv2D, ReLU, Conv2D]``).
        projection: None for the identity shortcut, or a layer that maps ``x`` to the shape
            of F(x) (a 1x1 ``Conv2D`` with the branch's stride and number of filters).

    ``params``: every sub-layer's arrays, named ``"branch{i}.{name}"`` and ``"projection.{name}"``.
    They are the sub-layers' own arrays (not copies), so an optimizer that updates ``params``
    in place trains the sub-layers. ``grads`` has the same keys after ``backward``.

    ``forward(x, training)``: any batch the branch accepts; returns F(x) + shortcut(x).
    ``backward(g)``: ``g`` of the output's shape; returns dL/dx, the sum of both paths' gradients.

    Raises:
        ValueError: ``branch`` is empty; the shortcut's output shape is not F(x)'s (the message
            says which projection fixes it); or ``backward`` gets a ``grad_output`` whose shape
            is not the output's.
        RuntimeError: ``backward`` is called before ``forward``.
    """

    def __init__(self, branch, projection: Layer | None = None):
        super().__init__()
        self.branch, self.projection = list(branch), projection
        if not self.branch:
            raise ValueError("Residual needs at least one layer in its branch F")
        self.params = {f"branch{i}.{name}": value for i, layer in enumerate(self.branch)
                       for name, value in layer.params.items()}
        if projection is not None:
            self.params.update({f"projection.{name}": value for name, value in projection.params.items()})
        self.output_shape = None

    def forward(self, x, training=False):
        x = np.asarray(x)
        out = x
        for layer in self.branch:
            out = layer.forward(out, training)
        shortcut = x if self.projection is None else self.projection.forward(x, training)
        if shortcut.shape != out.shape:
            raise ValueError(f"Residual: the branch maps {x.shape} to {out.shape} but the shortcut gives "
                             f"{shortcut.shape}; give the block projection=Conv2D(in_channels, filters, 1, "
                             "stride=<the branch's stride>, rng=rng) so that both have the same shape")
        self.output_shape = out.shape
        return out + shortcut

    def backward(self, grad_output):
        grad_output = check_grad_output(grad_output, self.output_shape, "Residual")
        grad_branch = grad_output
        for layer in reversed(self.branch):
            grad_branch = layer.backward(grad_branch)
        grad_shortcut = grad_output if self.projection is None else self.projection.backward(grad_output)
        self.grads = {f"branch{i}.{name}": layer.grads[name] for i, layer in enumerate(self.branch)
                      for name in layer.params}
        if self.projection is not None:
            self.grads.update({f"projection.{name}": self.projection.grads[name] for name in self.projection.params})
        return grad_branch + grad_shortcut

    def __repr__(self) -> str:
        branch = ", ".join(repr(layer) for layer in self.branch)
        shortcut = "identity" if self.projection is None else repr(self.projection)
        return f"Residual(branch=[{branch}], shortcut={shortcut})"


def basic_block(in_channels: int, filters: int, *, rng: np.random.Generator, stride: int = 1, init: str = "he",
                dtype=np.float32) -> Residual:
    """Return ResNet's basic block without normalisation: F = 3x3 conv (stride) -> ReLU -> 3x3 conv.

    Both convolutions use ``"same"`` padding, so F maps (n, h, w, in_channels) to
    (n, ceil(h / stride), ceil(w / stride), filters). The shortcut is the identity when
    ``stride == 1`` and ``in_channels == filters``, otherwise a 1x1 ``Conv2D`` with that
    stride. Follow the block with ``ReLU()``, as ResNet applies it after the sum. ``init`` and
    ``dtype`` are passed to every ``Conv2D`` (``"glorot"`` is Keras's default initialisation).

    Raises:
        ValueError: sizes are not positive or ``init`` is unknown (raised by ``Conv2D``).
    """
    branch = [Conv2D(in_channels, filters, 3, stride=stride, padding="same", rng=rng, init=init, dtype=dtype), ReLU(),
              Conv2D(filters, filters, 3, padding="same", rng=rng, init=init, dtype=dtype)]
    needs_projection = stride != 1 or in_channels != filters
    projection = (Conv2D(in_channels, filters, 1, stride=stride, rng=rng, init=init, dtype=dtype)
                  if needs_projection else None)
    return Residual(branch, projection)
