"""Loaders for the vendored image datasets (MNIST, Fashion-MNIST) in their original IDX format."""

import gzip

import numpy as np

from helpers.data.registry import DatasetError, verified_path

_IDX_MAGIC = {2049: 1, 2051: 3}  # labels: 1 dimension, images: 3 dimensions

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip


def read_idx(data: bytes, source: str) -> np.ndarray:
    """Decode the bytes of an (uncompressed) IDX file into a uint8 array.

    The header is a big-endian magic number (2049 for labels, 2051 for images)
    followed by one big-endian uint32 per dimension.

    Raises:
        DatasetError: the header is not IDX or the size does not match it.
    """
    magic = int.from_bytes(data[:4], "big")
    if magic not in _IDX_MAGIC:
        raise DatasetError(f"{source} is not an IDX file (magic number {magic}); restore it with `git checkout -- datasets/`")
    n_dims = _IDX_MAGIC[magic]
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(n_dims))
    offset = 4 + 4 * n_dims
    if len(data) - offset != int(np.prod(shape)):
        raise DatasetError(f"{source} holds {len(data) - offset} bytes of data but its header says {shape}")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(shape).copy()


def _load_idx_dataset(name: str, folder: str):
    arrays = []
    for split in ("train", "t10k"):
        pair = []
        for kind in ("images-idx3", "labels-idx1"):
            relative = f"{folder}/{split}-{kind}-ubyte.gz"
            with gzip.open(verified_path(name, relative)) as handle:
                pair.append(read_idx(handle.read(), relative))
        arrays.append(tuple(pair))
    return tuple(arrays)


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST like ``keras.datasets.mnist.load_data()``, but from the vendored files.

    Returns:
        ``(X_train, y_train), (X_test, y_test)``: images uint8 of shape (60000, 28, 28)
        and (10000, 28, 28) with values 0-255; labels uint8 of shape (60000,) and (10000,).

    Raises:
        DatasetError: a file is missing or corrupted (the message says which and how to fix it).
    """
    return _load_idx_dataset("mnist", "mnist")


def load_fashion_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load Fashion-MNIST like ``keras.datasets.fashion_mnist.load_data()``, from the vendored files.

    Returns:
        The same shapes and dtypes as :func:`load_mnist`; class names are in
        :data:`FASHION_MNIST_CLASSES`.

    Raises:
        DatasetError: a file is missing or corrupted.
    """
    return _load_idx_dataset("fashion_mnist", "fashion-mnist")
