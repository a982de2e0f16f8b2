"""numpy's version of one mod-add epoch of parity-lab (for the wasm bench): p = modulus, one-hot [a, b] inputs
(dense 2p columns, as numpy would be used), a 2-layer ReLU MLP with p outputs, softmax cross-entropy, gradients
divided by the batch size, p <- p - lr * (g + wd * p), per-step gradient norms, train and test accuracy and loss
evaluated every epoch. Its own random numbers: compare cost per epoch only.

  python3 bench/wasm-modadd-reference.py '{"modulus": 97, "hidden": 512, "batch_size": 512, "epochs": 3, ...}'
      -> {"ms_per_epoch": [...]}
"""
import json
import sys
import time

import numpy as np


def main():
    cfg = json.loads(sys.argv[1])
    p, H, B, lr, wd = cfg["modulus"], cfg["hidden"], cfg["batch_size"], cfg["lr"], cfg["wd"]
    rng = np.random.default_rng(42)
    pairs = np.array([(a, b) for a in range(p) for b in range(p)])
    rng.shuffle(pairs)
    n_train = int(round(len(pairs) * cfg["train_fraction"]))
    X = np.zeros((len(pairs), 2 * p), dtype=np.float32)
    X[np.arange(len(pairs)), pairs[:, 0]] = 1
    X[np.arange(len(pairs)), p + pairs[:, 1]] = 1
    y = (pairs[:, 0] + pairs[:, 1]) % p
    Xtr, ytr, Xte, yte = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    W1 = (rng.standard_normal((H, 2 * p)) * np.sqrt(2 / (2 * p))).astype(np.float32)
    b1 = np.zeros(H, dtype=np.float32)
    W2 = (rng.standard_normal((p, H)) * np.sqrt(2 / H)).astype(np.float32)
    b2 = np.zeros(p, dtype=np.float32)

    def forward(Xb):
        h = np.maximum(Xb @ W1.T + b1, 0)
        return h, h @ W2.T + b2

    def softmax(out):
        e = np.exp(out - out.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def evaluate(Xs, ys):
        _, out = forward(Xs)
        probs = softmax(out)
        return float((out.argmax(axis=1) == ys).mean()), float(-np.log(probs[np.arange(len(ys)), ys] + 1e-30).mean())

    times = []
    for _ in range(cfg["epochs"]):
        start = time.perf_counter()
        order = rng.permutation(n_train)
        for s in range(0, n_train, B):
            idx = order[s:s + B]
            Xb, yb = Xtr[idx], ytr[idx]
            h, out = forward(Xb)
            dout = softmax(out)
            dout[np.arange(len(yb)), yb] -= 1
            dout = (dout / len(yb)).astype(np.float32)
            dW2, db2 = dout.T @ h, dout.sum(axis=0)
            dh = (dout @ W2) * (h > 0)
            dW1, db1 = dh.T @ Xb, dh.sum(axis=0)
            np.linalg.norm(dW1), np.linalg.norm(dW2)
            for param, grad in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
                param -= (lr * (grad + wd * param)).astype(np.float32)
        evaluate(Xtr, ytr)
        evaluate(Xte, yte)
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"ms_per_epoch": times}))


main()
