"""The course's from-scratch neural-network library, in NumPy.

One convention everywhere (as in cs231n's layers): every layer has
``forward(x) -> y`` and ``backward(grad_y) -> grad_x``; trainable arrays live in
``layer.params`` (a dict of name -> array) and ``backward`` fills
``layer.grads`` with the same keys. Examples are rows: a batch has shape
``(batch_size, ...)``.
"""
