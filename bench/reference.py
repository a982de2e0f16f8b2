"""numpy reference of parity-lab's training loop, for side-by-side timing (npm run bench).

The same loop as core/train.ts + core/backprop.ts + core/metrics.ts: 2-layer ReLU MLP, He init, hinge loss,
gradients summed over contributing samples and divided by the batch size, batches with no contributing sample
skipped, p <- p - lr * (g + wd * p), per-step gradient norms, per-epoch evaluation of train and test accuracy and
loss, ||w - w0||_1, the secret's Fourier coefficient and W1 sparsity; stop at 100% test accuracy. Optimizers:
sgd, sign-sgd, egd (numpy.linalg.svd, U @ Vt on the nonzero singular values, as the seeds did). Its own random
numbers (numpy's), so compare across seeds (medians, cost per epoch), never seed by seed.

  python3 bench/reference.py '{"n_bits": 20, ..., "seeds": [42, 43]}'   -> {"runs": [...], "blas": {...}}
  python3 bench/reference.py --forward '{"W1": [[...]], "b1": [...], "W2": [[...]], "b2": [...], "x": [[...]]}'
                                                                         -> {"h": [[...]], "out": [...]}
"""
import ctypes
import glob
import json
import os
import sys
import time

import numpy as np


def forward(W1, b1, W2, b2, X):
    """Pre-activations, hidden activations and outputs (float32), the same kernel for training and --forward."""
    hpre = X @ W1.T + b1
    h = np.maximum(hpre, 0)
    return hpre, h, h @ W2[0] + b2[0]


def transform(grad, optimizer):
    if optimizer == "sign-sgd":
        return np.sign(grad)
    if optimizer == "egd":
        if grad.ndim == 2 and min(grad.shape) > 1:
            u, s, vt = np.linalg.svd(grad, full_matrices=False)
            keep = s > 1e-5 * s.max() if s.max() > 0 else s > 0
            return (u[:, keep] @ vt[keep]).astype(np.float32)
        if grad.size == 1:
            return np.sign(grad)
        norm = np.linalg.norm(grad)
        return grad / norm if norm > 0 else grad
    return grad


def evaluate(params, X, y, secret):
    _, _, out = forward(*params, X)
    accuracy = float((np.where(out >= 0, 1, -1) == y).mean())
    loss = float(np.maximum(0, 1 - y * out).mean())
    fourier = float((out * np.prod(X[:, secret], axis=1)).mean())
    return accuracy, loss, fourier


def run(cfg, seed):
    rng = np.random.default_rng(seed)
    n, k, hidden, B = cfg["n_bits"], cfg["k"], cfg["hidden"], cfg["batch_size"]
    secret = rng.choice(n, size=k, replace=False)
    X = rng.choice([-1.0, 1.0], size=(cfg["n_train"], n)).astype(np.float32)
    Xt = rng.choice([-1.0, 1.0], size=(cfg["n_test"], n)).astype(np.float32)
    y, yt = np.prod(X[:, secret], axis=1), np.prod(Xt[:, secret], axis=1)
    W1 = (rng.standard_normal((hidden, n)) * np.sqrt(2 / n)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    W2 = (rng.standard_normal((1, hidden)) * np.sqrt(2 / hidden)).astype(np.float32)
    b2 = np.zeros(1, np.float32)
    params = (W1, b1, W2, b2)
    initial = [p.copy() for p in params]
    lr, wd, optimizer = cfg["lr"], cfg["wd"], cfg["optimizer"]
    N = X.shape[0]
    solve_epoch, epoch, history = None, 0, []
    start = time.perf_counter()
    for epoch in range(1, cfg["max_epochs"] + 1):
        order = rng.permutation(N)
        norms = []
        for s in range(0, N, B):
            idx = order[s : s + B]
            xb, yb = X[idx], y[idx]
            hpre, h, out = forward(W1, b1, W2, b2, xb)
            contributing = yb * out < 1
            if not contributing.any():
                continue
            dout = np.where(contributing, -yb, 0).astype(np.float32) / len(idx)
            dW2 = (dout @ h)[None, :]
            db2 = np.array([dout.sum()], np.float32)
            dh = np.outer(dout, W2[0]) * (hpre > 0)
            dW1 = dh.T @ xb
            db1 = dh.sum(0)
            norms.append((float(np.linalg.norm(dW1)), float(np.linalg.norm(dW2))))
            for p, g in ((W2, dW2), (b2, db2), (W1, dW1), (b1, db1)):
                p -= lr * (transform(g, optimizer) + wd * p)
        train_acc, train_loss, _ = evaluate(params, X, y, secret)
        test_acc, test_loss, fourier = evaluate(params, Xt, yt, secret)
        moved = sum(float(np.abs(p - p0).sum()) for p, p0 in zip(params, initial))
        sparsity = float((np.abs(W1) < 0.01).mean())
        history.append((train_acc, test_acc, train_loss, test_loss, moved, fourier, sparsity, norms))
        if test_acc >= 1.0:
            solve_epoch = epoch
            break
    elapsed = (time.perf_counter() - start) * 1000
    return {"seed": seed, "epochs": epoch, "solve_epoch": solve_epoch, "elapsed_ms": elapsed, "ms_per_epoch": elapsed / epoch}


def blas_info():
    """Which BLAS numpy runs and which kernel it picked (threadpoolctl when installed, else the library itself)."""
    info = {"numpy": np.__version__}
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                info.update(library=f"{pool.get('internal_api')} {pool.get('version')}", kernel=pool.get("architecture"), threads=pool.get("num_threads"))
                return info
    except ImportError:
        pass
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    info["library"] = f"{blas.get('name')} {blas.get('version')}"
    # numpy's wheels bundle scipy-openblas, whose symbols carry a scipy_ prefix and a 64_ suffix.
    for path in glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*.so*")):
        library = ctypes.CDLL(path)
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                corename = getattr(library, f"{prefix}_get_corename{suffix}", None)
                if corename is None:
                    continue
                corename.restype = ctypes.c_char_p
                info["kernel"] = corename().decode()
                threads = getattr(library, f"{prefix}_get_num_threads{suffix}", None)
                if threads is not None:
                    info["threads"] = threads()
                return info
    return info


def forward_only(spec):
    as32 = lambda key: np.asarray(spec[key], np.float32)
    _, h, out = forward(as32("W1"), as32("b1"), as32("W2"), as32("b2"), as32("x"))
    return {"h": h.tolist(), "out": out.tolist()}


if __name__ == "__main__":
    if sys.argv[1] == "--forward":
        print(json.dumps(forward_only(json.loads(sys.argv[2]))))
        sys.exit(0)
    cfg = json.loads(sys.argv[1])
    seeds = cfg.pop("seeds")
    run(dict(cfg, max_epochs=2), seeds[0])  # warm-up: imports, BLAS thread start, first-call costs
    print(json.dumps({"runs": [run(cfg, s) for s in seeds], "blas": blas_info()}))
