"""PyTorch peer of bench/training.ts: the same workloads, trained the way a PyTorch user would
write them, timed the same way, printed as JSON on stdout.

bench/training.ts runs it with one argument, a JSON list of workloads (sizes, batch size,
optimizer, loss, epochs and rounds come from there, so both sides train the same thing):

    python3 bench/torch_peer.py '[{"label": "echo lstm", "kind": "lstm", ...}]'

and reads back {"torch": version, "results": [{"label", "rate", "threads", "rates"}, ...]}.
Each workload runs at 1 and at 2 threads (torch.set_num_threads); the faster counts and is
named. Only Python 3 and torch are needed (Debian: apt-get install python3-torch).

Keras semantics, where PyTorch's defaults differ:
- Adam and RMSprop take Keras's epsilon (1e-7; PyTorch's default is 1e-8) and Keras's RMSprop
  rho 0.9 (PyTorch's alpha defaults to 0.99);
- BatchNormalization: Keras's momentum 0.99 is PyTorch's 0.01, epsilon 1e-3, over features;
- torch.nn.GRU is Keras's reset_after=True; reset_after=False, and recurrent layers with an
  activation nn.RNN/nn.LSTM do not offer (SimpleRNN sigmoid, LSTM relu), are cells in a Python
  loop over the steps, as a PyTorch user would have to write them.
"""

import json
import sys
import time

import torch
from torch import nn


class Cell(nn.Module):
    """One Keras recurrent layer as an explicit loop: SimpleRNN, LSTM or GRU (either convention)."""

    def __init__(self, kind, features, units, activation):
        super().__init__()
        gates = {"simple_rnn": 1, "lstm": 4, "gru": 3, "gru_reset_before": 3}[kind]
        self.kind = kind
        self.units = units
        self.act = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[activation]
        self.kernel = nn.Linear(features, gates * units)
        self.recurrent = nn.Linear(units, gates * units, bias=kind == "gru")

    def forward(self, x, return_sequences):
        batch, steps, _ = x.shape
        h = x.new_zeros(batch, self.units)
        c = x.new_zeros(batch, self.units)
        projected = self.kernel(x)  # every step's input projection at once
        outputs = []
        u = self.units
        for t in range(steps):
            xp = projected[:, t]
            if self.kind == "simple_rnn":
                h = self.act(xp + self.recurrent(h))
            elif self.kind == "lstm":
                z = xp + self.recurrent(h)
                i, f, g, o = torch.sigmoid(z[:, :u]), torch.sigmoid(z[:, u:2 * u]), self.act(z[:, 2 * u:3 * u]), torch.sigmoid(z[:, 3 * u:])
                c = f * c + i * g
                h = o * self.act(c)
            elif self.kind == "gru":
                hp = self.recurrent(h)
                zr = torch.sigmoid(xp[:, :2 * u] + hp[:, :2 * u])
                zg, r = zr[:, :u], zr[:, u:]
                hh = self.act(xp[:, 2 * u:] + r * hp[:, 2 * u:])
                h = zg * h + (1 - zg) * hh
            else:  # gru_reset_before: the reset gate acts on the state before its product
                w = self.recurrent.weight
                zr = torch.sigmoid(xp[:, :2 * u] + h @ w[:2 * u].t())
                zg, r = zr[:, :u], zr[:, u:]
                hh = self.act(xp[:, 2 * u:] + (r * h) @ w[2 * u:].t())
                h = zg * h + (1 - zg) * hh
            if return_sequences:
                outputs.append(h)
        return torch.stack(outputs, 1) if return_sequences else h


class Recurrent(nn.Module):
    """The fastest PyTorch form of a Keras recurrent layer: cuDNN-style nn.* where it exists."""

    def __init__(self, spec, features):
        super().__init__()
        kind, units, act = spec["kind"], spec["units"], spec.get("activation", "tanh")
        self.return_sequences = spec.get("return_sequences", False)
        self.bidirectional = spec.get("bidirectional", False)
        native = {("simple_rnn", "tanh"): nn.RNN, ("lstm", "tanh"): nn.LSTM, ("gru", "tanh"): nn.GRU}.get((kind, act))
        if native is not None:
            self.native = native(features, units, batch_first=True, bidirectional=self.bidirectional)
            self.cell = None
        else:
            assert not self.bidirectional, "bidirectional is only benchmarked with native layers"
            self.native = None
            self.cell = Cell(kind, features, units, act)

    def forward(self, x):
        if self.cell is not None:
            return self.cell(x, self.return_sequences)
        out, _ = self.native(x)
        if self.return_sequences:
            return out
        if self.bidirectional:
            # Keras's last output of a backward layer is its state after the whole reversed sequence.
            half = out.shape[2] // 2
            return torch.cat([out[:, -1, :half], out[:, 0, half:]], 1)
        return out[:, -1]


class Model(nn.Module):
    def __init__(self, w):
        super().__init__()
        features = w["features"]
        self.embedding = nn.Embedding(w["vocab"], features) if w.get("vocab") else None
        self.bn_in = nn.BatchNorm1d(features, eps=1e-3, momentum=0.01) if w.get("batch_norm") else None
        self.rnn = Recurrent(w["recurrent"], features)
        width = w["recurrent"]["units"] * (2 if w["recurrent"].get("bidirectional") else 1)
        self.bn_out = nn.BatchNorm1d(width, eps=1e-3, momentum=0.01) if w.get("batch_norm") else None
        self.dense = nn.Linear(width, w["outputs"])
        self.head = w.get("head", "linear")
        self.per_step = w["recurrent"].get("return_sequences", False)

    def forward(self, x):
        if self.embedding is not None:
            x = self.embedding(x)
        if self.bn_in is not None:
            x = self.bn_in(x.transpose(1, 2)).transpose(1, 2)
        h = self.rnn(x)
        if self.bn_out is not None:
            h = self.bn_out(h)
        y = self.dense(h)
        if self.per_step:
            y = y.flatten(1)  # Dense(1) on every step, then Flatten: one value a step
        return torch.sigmoid(y) if self.head == "sigmoid" else y  # softmax is in the loss


def make_data(w, n, generator):
    steps, features = w["steps"], w["features"]
    if w.get("vocab"):
        x = torch.randint(1, w["vocab"], (n, steps), generator=generator)
    elif w.get("one_hot"):
        x = nn.functional.one_hot(torch.randint(0, features, (n, steps), generator=generator), features).float()
    else:
        x = torch.rand(n, steps, features, generator=generator)
    if w["loss"] == "categorical_crossentropy":
        y = torch.randint(0, w["outputs"], (n,), generator=generator)
    elif w["loss"] == "binary_crossentropy":
        y = torch.randint(0, 2, (n, 1), generator=generator).float()
    else:
        y = torch.rand(n, w["outputs"] * (steps if w["recurrent"].get("return_sequences") else 1), generator=generator)
    return x, y


def make_optimizer(spec, params):
    lr = spec["learning_rate"]
    if spec["name"] == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-7)
    if spec["name"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=0.9, eps=1e-7)
    raise ValueError(f"no peer for optimizer {spec['name']}")


def make_loss(name):
    return {
        "mse": nn.MSELoss(),
        "categorical_crossentropy": nn.CrossEntropyLoss(),
        "binary_crossentropy": nn.BCELoss(),
    }[name]


def train(w, epochs, model, optimizer, loss_fn, data, validation):
    """Keras's fit: shuffled batches, the loss (and accuracy) per batch, validation per epoch."""
    x, y = data
    n = x.shape[0]
    batch = w["batch"]
    classify = w["loss"] != "mse"
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad(set_to_none=True)
            out = model(x[idx])
            loss = loss_fn(out, y[idx])
            loss.backward()
            optimizer.step()
            loss.item()  # Keras logs every batch's loss: the value is read
            if classify:
                accuracy(out, y[idx])
        if validation is not None:
            model.eval()
            with torch.no_grad():
                for start in range(0, validation[0].shape[0], batch):
                    out = model(validation[0][start:start + batch])
                    loss_fn(out, validation[1][start:start + batch]).item()
                    if classify:
                        accuracy(out, validation[1][start:start + batch])


def accuracy(out, y):
    if out.shape[1] == 1:
        return ((out > 0.5).float() == y).float().mean().item()
    return (out.argmax(1) == y).float().mean().item()


def run(w, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    generator = torch.Generator().manual_seed(1)
    data = make_data(w, w["samples"], generator)
    validation = make_data(w, w["validation"], generator) if w.get("validation") else None
    model = Model(w)
    optimizer = make_optimizer(w["optimizer"], model.parameters())
    loss_fn = make_loss(w["loss"])
    train(w, w["warmup_epochs"], model, optimizer, loss_fn, data, validation)
    best = 0.0
    for _ in range(w["rounds"]):
        began = time.perf_counter()
        train(w, w["epochs"], model, optimizer, loss_fn, data, validation)
        seconds = time.perf_counter() - began
        rate = w["epochs"] / seconds if w["unit"] == "epochs/s" else w["samples"] * w["epochs"] / seconds
        best = max(best, rate)
    return best


def main():
    workloads = json.loads(sys.argv[1])
    results = []
    for w in workloads:
        rates = {str(threads): run(w, threads) for threads in (1, 2)}
        threads = max(rates, key=rates.get)
        results.append({"label": w["label"], "rate": rates[threads], "threads": int(threads), "rates": rates})
        print(f"  torch {w['label']}: {rates}", file=sys.stderr, flush=True)
    json.dump({"torch": torch.__version__, "results": results}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
