"""Keras as a peer, in its own process: ``python -m benchmarks.peer --onednn 0|1 ...``.

TensorFlow reads ``TF_ENABLE_ONEDNN_OPTS`` once, when it is imported, so Keras with its
oneDNN kernels off (the course's setting, for reproducible outputs) and on (what a learner
who installs TensorFlow gets on this kind of CPU) need one process each. The benchmark
starts both (:class:`Peer`) and alternates turns between them and its own from-scratch code
(:func:`benchmarks.timing.time_turns`), so a load drift of the shared machine hits all alike.

The protocol, one JSON object a line: the peer first writes
``{"ready": true, "onednn": <TensorFlow's own report>, "tensorflow": "<version>"}``; then, for
every line ``"mlp"`` or ``"conv"`` it reads on stdin, it runs one turn of that workload and
writes ``{"seconds": <its own wall time>}``; it exits at ``"quit"`` or end of input.
Anything TensorFlow prints goes to stderr, so it cannot corrupt the protocol.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.workloads import KERAS_MLP_COMPILE_OPTIONS

REPO = Path(__file__).resolve().parents[1]
WORKLOADS = (*KERAS_MLP_COMPILE_OPTIONS, "conv")


class Peer:
    """A running ``benchmarks.peer`` process; ``turn(workload)`` runs one timed turn and returns its seconds.

    Args:
        onednn: the ``TF_ENABLE_ONEDNN_OPTS`` value, 0 or 1.
        mlp_samples: MNIST images per MLP epoch (the same first images the from-scratch MLP trains on).
        conv: (batch, size, in_channels, filters) of the convolution workload.
        batch_size: the MLP's batch size.

    The process starts at once and is waited for at the first ``info`` or ``turn``, so several
    peers built one after the other import TensorFlow at the same time. Use it as a context
    manager, which ends the process.

    Raises:
        RuntimeError: the process exits or answers something other than the protocol (the
            message holds the end of its stderr).
    """

    def __init__(self, onednn: int, mlp_samples: int, conv: tuple[int, int, int, int], batch_size: int):
        self.onednn = onednn
        self._stderr = tempfile.TemporaryFile(mode="w+")
        command = [sys.executable, "-m", "benchmarks.peer", "--onednn", str(onednn), "--mlp-samples",
                   str(mlp_samples), "--conv", ",".join(map(str, conv)), "--batch-size", str(batch_size)]
        self._process = subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._stderr, text=True, bufsize=1)
        self._info = None

    @property
    def info(self) -> dict:
        """The peer's handshake (waits for it the first time): whether oneDNN is on, TensorFlow's version."""
        if self._info is None:
            self._info = self._answer("ready")
        return self._info

    def turn(self, workload: str) -> float:
        if workload not in WORKLOADS:
            raise ValueError(f"workload must be one of {WORKLOADS}, got {workload!r}")
        self.info  # noqa: B018  (the handshake comes first)
        self._process.stdin.write(workload + "\n")
        self._process.stdin.flush()
        return float(self._answer("seconds")["seconds"])

    def _answer(self, key: str) -> dict:
        line = self._process.stdout.readline()
        try:
            answer = json.loads(line)
        except json.JSONDecodeError:
            answer = {}
        if key not in answer:
            self._stderr.seek(0)
            raise RuntimeError(f"the Keras peer (TF_ENABLE_ONEDNN_OPTS={self.onednn}) answered {line!r} instead of "
                               f"{key!r}; its stderr ends with:\n{self._stderr.read()[-3000:]}")
        return answer

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                self._process.stdin.write("quit\n")
                self._process.stdin.close()
                self._process.wait(timeout=60)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait()
        self._stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def serve(onednn: int, mlp_samples: int, conv: tuple[int, int, int, int], batch_size: int) -> None:
    """The peer's side: build both Keras workloads, then answer turns on stdin until ``quit``."""
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # TensorFlow's prints go to stderr
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = str(onednn)  # before anything imports TensorFlow
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    from tensorflow.python.util import _pywrap_util_port

    from benchmarks import workloads

    X, y = workloads.mnist_flat(mlp_samples, 1)[:2]
    models = {name: workloads.keras_mlp(seed=0, **options) for name, options in KERAS_MLP_COMPILE_OPTIONS.items()}
    steps = {name: (lambda model=model: model.fit(X, y, batch_size=batch_size, epochs=1, verbose=0))
             for name, model in models.items()}
    steps["conv"] = workloads.keras_conv_step(*workloads.conv_inputs(*conv))
    protocol.write(json.dumps({"ready": True, "onednn": bool(_pywrap_util_port.IsMklEnabled()),
                               "tensorflow": tf.__version__}) + "\n")
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            break
        start = time.perf_counter()
        steps[command]()
        protocol.write(json.dumps({"seconds": time.perf_counter() - start}) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.peer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--onednn", type=int, choices=(0, 1), required=True, help="TF_ENABLE_ONEDNN_OPTS")
    parser.add_argument("--mlp-samples", type=int, required=True)
    parser.add_argument("--conv", required=True, help="batch,size,in_channels,filters")
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args(argv)
    serve(args.onednn, args.mlp_samples, tuple(int(v) for v in args.conv.split(",")), args.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
