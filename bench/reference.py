"""numpy reference of parity-lab's training loop, for side-by-side timing (npm run bench).

Same loop as core/train.ts + core/backprop.ts: 2-layer ReLU MLP, He init, hinge loss, gradients summed over
contributing samples and divided by the batch size, batches with no contributing sample skipped,
p <- p - lr * (g + wd * p), per-epoch evaluation of train and test accuracy/loss and ||w - w0||_1, stop at
100% test accuracy. Its own random numbers (numpy's), so compare across seeds, not per seed.
Prints one JSON object: {"runs": [{seed, epochs, solve_epoch, elapsed_ms, ms_per_epoch}], "blas": ...}.
"""
import json
import sys
import time

import numpy as np


def sign_or_egd(grad, optimizer):
    if optimizer == "sign-sgd":
        return np.sign(grad)
    if optimizer == "egd":
        if grad.ndim == 2 and min(grad.shape) > 1:
            u, s, vt = np.linalg.svd(grad, full_matrices=False)
            keep = s > 1e-5 * s.max() if s.max() > 0 else s > 0
            return (u[:, keep] @ vt[keep]).astype(np.float32)
        norm = np.linalg.norm(grad)
        if grad.size == 1:
            return np.sign(grad)
        return grad / norm if norm > 0 else grad
    return grad


def run(cfg, seed):
    rng = np.random.default_rng(seed)
    n, k, h, B = cfg["n_bits"], cfg["k"], cfg["hidden"], cfg["batch_size"]
    secret = rng.choice(n, size=k, replace=False)
    X = rng.choice([-1.0, 1.0], size=(cfg["n_train"], n)).astype(np.float32)
    Xt = rng.choice([-1.0, 1.0], size=(cfg["n_test"], n)).astype(np.float32)
    y = np.prod(X[:, secret], axis=1)
    yt = np.prod(Xt[:, secret], axis=1)
    W1 = (rng.standard_normal((h, n)) * np.sqrt(2 / n)).astype(np.float32)
    b1 = np.zeros(h, np.float32)
    W2 = (rng.standard_normal((1, h)) * np.sqrt(2 / h)).astype(np.float32)
    b2 = np.zeros(1, np.float32)
    params0 = [p.copy() for p in (W1, b1, W2, b2)]
    lr, wd, opt = cfg["lr"], cfg["wd"], cfg["optimizer"]
    N = X.shape[0]
    solve_epoch = None
    start = time.perf_counter()
    epoch = 0
    for epoch in range(1, cfg["max_epochs"] + 1):
        perm = rng.permutation(N)
        for s in range(0, N, B):
            idx = perm[s : s + B]
            xb, yb = X[idx], y[idx]
            hpre = xb @ W1.T + b1
            hh = np.maximum(hpre, 0)
            out = hh @ W2[0] + b2[0]
            mask = yb * out < 1
            if not mask.any():
                continue
            dout = np.where(mask, -yb, 0).astype(np.float32) / len(idx)
            dW2 = (dout @ hh)[None, :]
            db2 = np.array([dout.sum()], np.float32)
            dh = np.outer(dout, W2[0]) * (hpre > 0)
            dW1 = dh.T @ xb
            db1 = dh.sum(0)
            for p, g in ((W2, dW2), (b2, db2), (W1, dW1), (b1, db1)):
                g = sign_or_egd(g, opt)
                p -= lr * (g + wd * p)
        accs = []
        for XX, yy in ((X, y), (Xt, yt)):
            o = np.maximum(XX @ W1.T + b1, 0) @ W2[0] + b2[0]
            accs.append(float((np.where(o >= 0, 1, -1) == yy).mean()))
            _loss = float(np.maximum(0, 1 - yy * o).mean())
        _moved = sum(float(np.abs(p - p0).sum()) for p, p0 in zip((W1, b1, W2, b2), params0))
        if accs[1] >= 1.0:
            solve_epoch = epoch
            break
    elapsed = (time.perf_counter() - start) * 1000
    return {"seed": seed, "epochs": epoch, "solve_epoch": solve_epoch, "elapsed_ms": elapsed, "ms_per_epoch": elapsed / epoch}


def blas_info():
    try:
        from threadpoolctl import threadpool_info

        return [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}" for i in threadpool_info()]
    except Exception:
        return [f"numpy {np.__version__}"]


if __name__ == "__main__":
    cfg = json.loads(sys.argv[1])
    seeds = cfg.pop("seeds")
    run(dict(cfg, max_epochs=2), seeds[0])  # warm-up
    print(json.dumps({"runs": [run(cfg, s) for s in seeds], "blas": blas_info(), "numpy": np.__version__}))
