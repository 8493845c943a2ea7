"""Convolution and pooling for the from-scratch network, channels-last like Keras.

Images are batches of shape ``(batch, height, width, channels)`` (Keras's default
``data_format="channels_last"``). A convolution kernel has Keras's layout
``(kernel_height, kernel_width, in_channels, filters)``, so the weights of
``keras.layers.Conv2D`` can be copied in unchanged.

Two levels, as in cs231n:

- functions that compute one pass and return what the backward pass needs:
  :func:`conv2d_forward` / :func:`conv2d_backward`, :func:`max_pool_forward` /
  :func:`max_pool_backward`, :func:`avg_pool_forward` / :func:`avg_pool_backward`,
  built on :func:`im2col` and :func:`col2im`;
- layers that follow the :class:`helpers.nn.layers.Layer` contract and plug into
  ``Sequential``: :class:`Conv2D`, :class:`MaxPool2D`, :class:`AvgPool2D`, :class:`Flatten`.

Padding is ``"valid"`` (none), ``"same"`` (the output has ``ceil(size / stride)``
rows and columns; when the padding is odd the extra row or column goes at the
bottom or right, as in TensorFlow), or a non-negative int of zero rows/columns on
every side.

Like Keras and every deep-learning library, "convolution" here is a
cross-correlation: the kernel is not flipped.
"""

import math

import numpy as np

from helpers.nn.layers import Layer, check_grad_output, initial_weights

Pair = int | tuple[int, int]
Padding = str | int


def _pair(value: Pair, name: str) -> tuple[int, int]:
    """Return ``value`` as a pair of positive ints (an int n means (n, n))."""
    pair = (value, value) if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else value
    if (
        not isinstance(pair, (tuple, list))
        or len(pair) != 2
        or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1 for v in pair)
    ):
        raise ValueError(f"{name} must be a positive int or a pair of positive ints, got {value!r}")
    return int(pair[0]), int(pair[1])


def pad_amounts(size: int, kernel: int, stride: int = 1, padding: Padding = "valid") -> tuple[int, int]:
    """Return the zero rows (or columns) added before and after one spatial axis.

    Args:
        size: the input's length along the axis.
        kernel: the window's length along the axis.
        stride: the step between windows.
        padding: ``"valid"``, ``"same"`` or a non-negative int.

    Returns:
        ``(before, after)``. For ``"same"`` the total is
        ``max((ceil(size / stride) - 1) * stride + kernel - size, 0)``, split with the
        extra one after (TensorFlow's rule).

    Raises:
        ValueError: ``padding`` is none of the above.
    """
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0
        if padding == "same":
            total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
            return total // 2, total - total // 2
    elif isinstance(padding, (int, np.integer)) and not isinstance(padding, bool) and padding >= 0:
        return int(padding), int(padding)
    raise ValueError(f"padding must be 'valid', 'same' or a non-negative int, got {padding!r}")


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: Padding = "valid") -> int:
    """Return the output length along one axis: ``floor((size + before + after - kernel) / stride) + 1``.

    With padding p on both sides this is the familiar ``(n + 2p - k) // s + 1``.

    Raises:
        ValueError: ``padding`` is invalid, or the window is larger than the padded input.
    """
    before, after = pad_amounts(size, kernel, stride, padding)
    padded = size + before + after
    if padded < kernel:
        raise ValueError(
            f"a window of {kernel} does not fit in an input of {size} (padded to {padded}); "
            "use a smaller kernel or padding='same'"
        )
    return (padded - kernel) // stride + 1


def _check_images(x, who: str, channels: int | None = None) -> np.ndarray:
    x = np.asarray(x)
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool):
        raise TypeError(f"{who} needs a numeric array, got dtype {x.dtype}")
    if x.ndim != 4:
        hint = "; add the channel axis with x[..., np.newaxis]" if x.ndim == 3 else ""
        raise ValueError(f"{who} needs images of shape (batch, height, width, channels), got shape {x.shape}{hint}")
    if channels is not None and x.shape[3] != channels:
        raise ValueError(f"{who} expects {channels} channels (last axis) but got x of shape {x.shape}")
    return x


def _geometry(x_shape, kernel_size: Pair, stride: Pair, padding: Padding):
    """Return ((kh, kw), (sh, sw), (top, bottom, left, right), (oh, ow)) for an input shape."""
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(stride, "stride")
    _, height, width, _ = x_shape
    oh = conv_output_size(height, kh, sh, padding)
    ow = conv_output_size(width, kw, sw, padding)
    return (kh, kw), (sh, sw), pad_amounts(height, kh, sh, padding) + pad_amounts(width, kw, sw, padding), (oh, ow)


def _offsets(kernel, stride, out_hw):
    """Yield ``(k, index)`` for every kernel offset (i, j), k = i * kw + j in row-major order.

    ``xp[index]`` (``xp`` a padded batch) has shape (n, oh, ow, c) and holds, for every
    output position, the input pixel at offset (i, j) of its window. Working one offset
    at a time (kh * kw whole-batch slices) is much faster than one window at a time.
    """
    (kh, kw), (sh, sw), (oh, ow) = kernel, stride, out_hw
    for i in range(kh):
        for j in range(kw):
            yield i * kw + j, (slice(None), slice(i, i + sh * (oh - 1) + 1, sh), slice(j, j + sw * (ow - 1) + 1, sw))


def _windows(xp: np.ndarray, kernel, stride, out_hw, out: np.ndarray | None = None) -> np.ndarray:
    """Copy every window of the padded batch ``xp`` into shape (n, oh, ow, kh, kw, c).

    One strided view holds every window (no copy: its axes step through ``xp``'s memory),
    and one copy writes them out. The copy is fast when it moves long contiguous runs: with
    stride 1, one window row (kw * c values) is one run of ``xp``, and with one channel so is
    the row of pixels that one kernel offset meets in ow windows side by side. When that run
    is the longer (a first layer on grey images: ow = 24 against kw = 5), the windows are
    stored offset-major, in memory order (kh, kw, c, n, oh, ow): the same array, and reshaped
    to (n * oh * ow, kh * kw * c) the same matrix, stored column by column instead of row by
    row, which a matrix product reads as fast. ``out``: an array of n * oh * ow * kh * kw * c
    elements and ``xp``'s dtype to write into instead of a new one.
    """
    n, _, _, c = xp.shape
    (kh, kw), (sh, sw), (oh, ow) = kernel, stride, out_hw
    step_n, step_h, step_w, step_c = xp.strides
    view = np.lib.stride_tricks.as_strided(xp, shape=(n, oh, ow, kh, kw, c), writeable=False,
                                           strides=(step_n, sh * step_h, sw * step_w, step_h, step_w, step_c))
    offset_major = sw == 1 and c == 1 and ow > kw
    memory_order = (kh, kw, c, n, oh, ow) if offset_major else view.shape
    windows = np.empty(memory_order, dtype=xp.dtype) if out is None else out.reshape(memory_order)
    if offset_major:
        windows = windows.transpose(3, 4, 5, 0, 1, 2)  # back to (n, oh, ow, kh, kw, c)
    np.copyto(windows, view)
    return windows


def _fold(parts: np.ndarray, x_shape, stride: Pair, padding: Padding) -> np.ndarray:
    """The adjoint of :func:`_windows`: add each window's values back where they came from.

    ``parts`` has shape (kh, kw, n, oh, ow, c), offset first: ``parts[i, j]`` holds, for every
    output position, the value for the input pixel at offset (i, j) of its window. Returns
    images of shape ``x_shape`` (padding cropped away).
    """
    kh, kw, n, oh, ow, c = parts.shape
    kernel, stride_hw, pads, _ = _geometry(x_shape, (kh, kw), stride, padding)
    _, h, w, _ = x_shape
    xp = np.zeros((n, h + pads[0] + pads[1], w + pads[2] + pads[3], c), dtype=parts.dtype)
    for k, index in _offsets(kernel, stride_hw, (oh, ow)):
        xp[index] += parts[k // kw, k % kw]
    return _unpad(xp, pads)


def _pad(x: np.ndarray, pads, value=0.0) -> np.ndarray:
    top, bottom, left, right = pads
    if not any(pads):
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


def _unpad(xp: np.ndarray, pads) -> np.ndarray:
    top, bottom, left, right = pads
    return xp[:, top : xp.shape[1] - bottom, left : xp.shape[2] - right, :]


def im2col(x, kernel_size: Pair, stride: Pair = 1, padding: Padding = "valid") -> np.ndarray:
    """Unfold every window of a batch of images into one row of a matrix.

    Args:
        x: images of shape (n, h, w, c).
        kernel_size: the window, an int or (kh, kw).
        stride: the step, an int or (sh, sw).
        padding: ``"valid"``, ``"same"`` or an int.

    Returns:
        An array of shape ``(n * oh * ow, kh * kw * c)`` and the dtype of ``x``. Row
        ``(b * oh + r) * ow + q`` holds the window whose output lands at ``[b, r, q]``,
        flattened in (kh, kw, c) order, the order of a Keras kernel reshaped with
        ``kernel.reshape(-1, filters)``.

    Raises:
        ValueError: ``x`` is not 4-D, or the window, stride or padding is invalid.
    """
    x = _check_images(x, "im2col")
    kernel, stride, pads, out_hw = _geometry(x.shape, kernel_size, stride, padding)
    windows = _windows(_pad(x, pads), kernel, stride, out_hw)
    return windows.reshape(x.shape[0] * out_hw[0] * out_hw[1], -1)


def col2im(cols, x_shape, kernel_size: Pair, stride: Pair = 1, padding: Padding = "valid") -> np.ndarray:
    """Fold a matrix of window rows back into images, adding values where windows overlap.

    This is the adjoint (transpose) of :func:`im2col`, which is exactly what the
    backward pass needs: ``col2im(dL/dcols)`` is ``dL/dx``. It is *not* the inverse:
    a pixel covered by k windows receives the sum of k values.

    Args:
        cols: shape ``(n * oh * ow, kh * kw * c)``, as returned by :func:`im2col`.
        x_shape: the shape (n, h, w, c) of the images that were unfolded.
        kernel_size, stride, padding: the same values as given to :func:`im2col`.

    Returns:
        An array of shape ``x_shape`` and the dtype of ``cols``.

    Raises:
        ValueError: ``x_shape`` is not 4-D or ``cols`` does not have the shape im2col gives.
    """
    if len(x_shape) != 4:
        raise ValueError(f"x_shape must be (batch, height, width, channels), got {tuple(x_shape)}")
    cols = np.asarray(cols)
    kernel, _, _, (oh, ow) = _geometry(x_shape, kernel_size, stride, padding)
    n, _, _, c = x_shape
    expected = (n * oh * ow, kernel[0] * kernel[1] * c)
    if cols.shape != expected:
        raise ValueError(f"cols has shape {cols.shape} but im2col of images {tuple(x_shape)} gives {expected}")
    windows = cols.reshape(n, oh, ow, kernel[0], kernel[1], c)
    return _fold(windows.transpose(3, 4, 0, 1, 2, 5), x_shape, stride, padding)


def conv2d_forward(x, W, b, stride: Pair = 1, padding: Padding = "valid", workspace: dict | None = None):
    """Convolve a batch of images with a bank of filters (im2col, then one matrix product).

    Args:
        x: images, shape (n, h, w, c_in).
        W: kernels, shape (kh, kw, c_in, filters) (Keras's layout).
        b: biases, shape (filters,).
        stride, padding: see the module docstring.
        workspace: None, or a dict in which the im2col matrix is kept from call to call (the
            :class:`Conv2D` layer passes its own, as its cache holds that matrix anyway), so
            that calls with the same shapes reuse its memory instead of allocating (and
            page-faulting) tens of MB each time. The returned cache then refers to an array
            that the next call with this workspace overwrites.

    Returns:
        ``(y, cache)``: ``y`` of shape (n, oh, ow, filters),
        ``y[b, r, q, f] = sum(window(b, r, q) * W[..., f]) + b[f]``; ``cache`` holds what
        :func:`conv2d_backward` needs.

    Raises:
        ValueError: shapes do not fit together, or stride/padding is invalid.
    """
    W, b = np.asarray(W), np.asarray(b)
    if W.ndim != 4:
        raise ValueError(f"W must have shape (kernel_h, kernel_w, in_channels, filters), got {W.shape}")
    if b.shape != (W.shape[3],):
        raise ValueError(f"b must have shape ({W.shape[3]},), one bias per filter, got {b.shape}")
    x = _check_images(x, "conv2d_forward", channels=W.shape[2])
    kernel, stride_hw, pads, (oh, ow) = _geometry(x.shape, W.shape[:2], stride, padding)
    n_rows = x.shape[0] * oh * ow
    cols = None if workspace is None else _workspace_array(workspace, "cols", (n_rows, W[..., 0].size), x.dtype)
    cols = _windows(_pad(x, pads), kernel, stride_hw, (oh, ow), out=cols).reshape(n_rows, -1)
    y = np.matmul(cols, W.reshape(-1, W.shape[3])).reshape(x.shape[0], oh * ow * W.shape[3])
    y += np.tile(b, oh * ow)  # the biases of all positions of an image: long rows add fast
    return y.reshape(x.shape[0], oh, ow, W.shape[3]), (cols, x.shape, W, stride, padding)


def _workspace_array(workspace: dict, name: str, shape: tuple, dtype) -> np.ndarray:
    """``workspace[name]``, replaced by a new (uninitialised) array when it is missing or has another shape or dtype."""
    array = workspace.get(name)
    if array is None or array.shape != tuple(shape) or array.dtype != dtype:
        array = workspace[name] = np.empty(shape, dtype=dtype)
    return array


def conv2d_backward(grad_y, cache, input_gradient: bool = True):
    """Back-propagate through :func:`conv2d_forward`.

    With ``Y = cols @ W2 + b`` (``W2`` the kernel as a matrix), the dense-layer rules give
    ``dW2 = cols.T @ dY``, ``db = dY`` summed over every output position, and
    ``dcols = dY @ W2.T``, folded back into image shape as :func:`col2im` does.

    Args:
        grad_y: dL/dy, shape (n, oh, ow, filters).
        cache: the second value returned by :func:`conv2d_forward`.
        input_gradient: False skips ``dx`` (the product with ``W2.T`` and the fold), which
            the first layer of a network being trained does not need.

    Returns:
        ``(dx, dW, db)`` with the shapes of ``x``, ``W`` and ``b``; ``dx`` is None when
        ``input_gradient`` is False.

    Raises:
        ValueError: ``grad_y`` does not have the output's shape.
    """
    cols, x_shape, W, stride, padding = cache
    filters = W.shape[3]
    _, _, _, (oh, ow) = _geometry(x_shape, W.shape[:2], stride, padding)
    grad_y = check_grad_output(grad_y, (x_shape[0], oh, ow, filters), "conv2d_backward")
    dY = grad_y.reshape(cols.shape[0], filters)
    dW = (cols.T @ dY).reshape(W.shape)
    # The column sums of dY, as a product with a vector of ones: for a tall, narrow dY this
    # is over 10 times faster than dY.sum(axis=0), which adds up one short row at a time.
    db = np.ones(len(dY), dtype=dY.dtype) @ dY
    if not input_gradient:
        return None, dW, db
    # dcols = dY @ W2.T, computed one kernel offset at a time: block k of dcols's columns is
    # dY @ W[i, j].T. Each block comes out contiguous, which makes folding it back (col2im's
    # job) several times faster than reading it out of the interleaved columns of dcols.
    kh, kw, c_in, _ = W.shape
    parts = np.matmul(dY, W.reshape(kh * kw, c_in, filters).transpose(0, 2, 1))
    dx = _fold(parts.reshape(kh, kw, x_shape[0], oh, ow, c_in), x_shape, stride, padding)
    return dx, dW, db


def _pool_geometry(x, pool_size, stride, padding, who):
    x = _check_images(x, who)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    pool = _pair(pool_size, "pool_size")
    stride = pool if stride is None else _pair(stride, "stride")
    _, stride_hw, pads, out_hw = _geometry(x.shape, pool, stride, padding)
    return x, (x.shape, pool, stride_hw, pads, out_hw)


def _padded_shape(geometry):
    x_shape, _, _, pads, _ = geometry
    return (x_shape[0], x_shape[1] + pads[0] + pads[1], x_shape[2] + pads[2] + pads[3], x_shape[3])


def _check_pool_grad(grad_y, geometry, who):
    x_shape, _, _, _, (oh, ow) = geometry
    grad_y = np.asarray(grad_y)
    if grad_y.shape != (x_shape[0], oh, ow, x_shape[3]):
        raise ValueError(f"{who}: grad_y has shape {grad_y.shape} but the pooled output has shape "
                         f"{(x_shape[0], oh, ow, x_shape[3])}")
    return grad_y


def max_pool_forward(x, pool_size: Pair = 2, stride: Pair | None = None, padding: Padding = "valid"):
    """Take the maximum of every window of every channel.

    Args:
        x: images, shape (n, h, w, c).
        pool_size: the window, an int or a pair; 2 halves height and width.
        stride: the step; None means ``pool_size`` (non-overlapping windows, as in Keras).
        padding: ``"valid"``, ``"same"`` or an int; padded cells count as minus infinity.

    Returns:
        ``(y, cache)`` with ``y`` of shape (n, oh, ow, c). The cache holds the "switches":
        for every output, which cell of its window (row-major) held the maximum.

    Raises:
        ValueError: ``x`` is not 4-D or the window, stride or padding is invalid.
    """
    x, geometry = _pool_geometry(x, pool_size, stride, padding, "max_pool_forward")
    _, pool, stride_hw, pads, out_hw = geometry
    xp = _pad(x, pads, -np.inf)
    # cells[k] holds, for every window, its cell at offset k (row-major): copied out of xp
    # once, so that the loop works on contiguous arrays, several times faster than on slices
    cells = np.stack([xp[index] for _, index in _offsets(pool, stride_hw, out_hw)])
    y = cells[0].copy()
    switches = np.zeros(y.shape, dtype=np.int16)
    for k in range(1, len(cells)):
        better = cells[k] > y  # strict: ties keep the first maximum, as argmax does
        np.maximum(y, cells[k], out=y)
        switches += better * (k - switches)  # k where better; arithmetic beats a masked write
    return y, (switches, geometry)


def max_pool_backward(grad_y, cache):
    """Route each output's gradient to the input that was the maximum of its window (its switch).

    Ties go to the first maximum in row-major window order. Overlapping windows
    (stride < pool_size) add their contributions.

    Returns:
        dL/dx with the shape of the forward input.

    Raises:
        ValueError: ``grad_y`` does not have the pooled output's shape.
    """
    switches, geometry = cache
    grad_y = _check_pool_grad(grad_y, geometry, "max_pool_backward")
    _, pool, stride_hw, pads, out_hw = geometry
    dxp = np.zeros(_padded_shape(geometry), dtype=grad_y.dtype)
    overlap = stride_hw[0] < pool[0] or stride_hw[1] < pool[1]
    for k, index in _offsets(pool, stride_hw, out_hw):
        if overlap:
            dxp[index] += grad_y * (switches == k)
        else:  # every input pixel is in one window at most: write, rather than add to zeros
            np.multiply(grad_y, switches == k, out=dxp[index])
    return _unpad(dxp, pads)


def avg_pool_forward(x, pool_size: Pair = 2, stride: Pair | None = None, padding: Padding = "valid"):
    """Average every window of every channel.

    With ``padding="same"`` the padded cells are left out of the average (each window
    is divided by the number of real pixels it covers), as in Keras.

    Returns:
        ``(y, cache)`` with ``y`` of shape (n, oh, ow, c).

    Raises:
        ValueError: ``x`` is not 4-D or the window, stride or padding is invalid.
    """
    x, geometry = _pool_geometry(x, pool_size, stride, padding, "avg_pool_forward")
    _, pool, stride_hw, pads, out_hw = geometry
    xp = _pad(x, pads)
    real = _pad(np.ones((1, *x.shape[1:3], 1), dtype=x.dtype), pads)  # 1 on real pixels, 0 on padding
    total = np.zeros((x.shape[0], *out_hw, x.shape[3]), dtype=x.dtype)
    counts = np.zeros((1, *out_hw, 1), dtype=x.dtype)
    for _, index in _offsets(pool, stride_hw, out_hw):
        total += xp[index]
        counts += real[index]
    return total / counts, (counts, geometry)


def avg_pool_backward(grad_y, cache):
    """Share each output's gradient equally among the real pixels of its window.

    Returns:
        dL/dx with the shape of the forward input.

    Raises:
        ValueError: ``grad_y`` does not have the pooled output's shape.
    """
    counts, geometry = cache
    grad_y = _check_pool_grad(grad_y, geometry, "avg_pool_backward")
    _, pool, stride_hw, pads, out_hw = geometry
    share = grad_y / counts
    dxp = np.zeros(_padded_shape(geometry), dtype=share.dtype)
    for _, index in _offsets(pool, stride_hw, out_hw):
        dxp[index] += share  # padded cells get a share too, but _unpad crops them away
    return _unpad(dxp, pads)


class Conv2D(Layer):
    """A 2-D convolution layer, channels-last: ``(n, h, w, in_channels) -> (n, oh, ow, filters)``.

    Args:
        in_channels: channels of the input images (1 for MNIST).
        filters: number of kernels, i.e. output channels.
        kernel_size: an int or (kh, kw).
        stride: an int or (sh, sw) (Keras calls it ``strides``).
        padding: ``"valid"``, ``"same"`` or an int.
        rng: the generator for the initial weights.
        init: ``"he"`` (normal, variance 2 / fan_in, for ReLU) or ``"glorot"`` (uniform in
            +-sqrt(6 / (fan_in + fan_out)), Keras's default), with fan_in = kh * kw * in_channels
            and fan_out = kh * kw * filters.
        dtype: float32 for training, float64 for gradient checks.

    ``params``: ``W`` of shape (kh, kw, in_channels, filters), as ``keras.layers.Conv2D``'s
    kernel, and ``b`` of shape (filters,).

    Raises:
        ValueError: sizes are not positive, ``init`` or ``padding`` is unknown, or ``forward``
            gets something other than (n, h, w, in_channels) images.
        RuntimeError: ``backward`` is called before ``forward``.
    """

    def __init__(self, in_channels: int, filters: int, kernel_size: Pair = 3, *, rng: np.random.Generator,
                 stride: Pair = 1, padding: Padding = "valid", init: str = "he", dtype=np.float32):
        super().__init__()
        kh, kw = _pair(kernel_size, "kernel_size")
        if min(in_channels, filters) < 1 or init not in ("he", "glorot"):
            raise ValueError(f"Conv2D needs positive in_channels and filters and init 'he' or 'glorot'; got "
                             f"in_channels={in_channels}, filters={filters}, init={init!r}")
        self.stride, self.padding = _pair(stride, "stride"), padding
        pad_amounts(kh, kh, 1, padding)  # validates padding now rather than at the first forward
        W = initial_weights((kh, kw, in_channels, filters), kh * kw * in_channels, kh * kw * filters, init, rng)
        self.params = {"W": W.astype(dtype), "b": np.zeros(filters, dtype=dtype)}
        self.cache, self.workspace = None, {}  # the im2col matrix, reused from batch to batch (see conv2d_forward)

    def forward(self, x, training=False):
        W = self.params["W"]
        x = _check_images(x, "Conv2D", channels=W.shape[2]).astype(W.dtype, copy=False)
        y, self.cache = conv2d_forward(x, W, self.params["b"], self.stride, self.padding, self.workspace)
        return y

    def backward(self, grad_output):
        dx, self.grads["W"], self.grads["b"] = conv2d_backward(grad_output, self._forward_cache())
        return dx

    def parameter_gradients(self, grad_output):
        _, self.grads["W"], self.grads["b"] = conv2d_backward(grad_output, self._forward_cache(), input_gradient=False)

    def _forward_cache(self):
        if self.cache is None:
            raise RuntimeError("Conv2D: backward (or parameter_gradients) was called before forward")
        return self.cache


class _Pool2D(Layer):
    """Shared code of the pooling layers (no parameters)."""

    _forward = staticmethod(max_pool_forward)
    _backward = staticmethod(max_pool_backward)

    def __init__(self, pool_size: Pair = 2, stride: Pair | None = None, padding: Padding = "valid"):
        super().__init__()
        self.pool_size = _pair(pool_size, "pool_size")
        self.stride = self.pool_size if stride is None else _pair(stride, "stride")
        self.padding = padding
        pad_amounts(1, 1, 1, padding)  # validates padding
        self.cache = None

    def forward(self, x, training=False):
        y, self.cache = self._forward(x, self.pool_size, self.stride, self.padding)
        return y

    def backward(self, grad_output):
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward was called before forward")
        return self._backward(grad_output, self.cache)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(pool_size={self.pool_size}, stride={self.stride}, padding={self.padding!r})"


class MaxPool2D(_Pool2D):
    """Max pooling, channels-last: ``(n, h, w, c) -> (n, oh, ow, c)``, as ``keras.layers.MaxPooling2D``.

    Args:
        pool_size: an int or a pair (default 2: halves height and width).
        stride: None (the default) means ``pool_size``.
        padding: ``"valid"`` (default), ``"same"`` or an int.

    Raises:
        ValueError: invalid sizes or padding, or ``forward`` gets input that is not 4-D.
        RuntimeError: ``backward`` is called before ``forward``.
    """


class AvgPool2D(_Pool2D):
    """Average pooling, channels-last, as ``keras.layers.AveragePooling2D``; arguments as :class:`MaxPool2D`."""

    _forward = staticmethod(avg_pool_forward)
    _backward = staticmethod(avg_pool_backward)


class Flatten(Layer):
    """Reshape ``(n, d1, d2, ...)`` to ``(n, d1 * d2 * ...)`` (row-major, as ``keras.layers.Flatten``), and back.

    Raises:
        ValueError: ``forward`` gets an array with fewer than 2 axes, or ``backward`` a
            ``grad_output`` whose shape is not the output's.
        RuntimeError: ``backward`` is called before ``forward``.
    """

    def __init__(self):
        super().__init__()
        self.input_shape = None

    def forward(self, x, training=False):
        x = np.asarray(x)
        if x.ndim < 2:
            raise ValueError(f"Flatten needs a batch of shape (n, ...), got shape {x.shape}")
        self.input_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_output):
        output_shape = None if self.input_shape is None else (self.input_shape[0], math.prod(self.input_shape[1:]))
        return check_grad_output(grad_output, output_shape, "Flatten").reshape(self.input_shape)
