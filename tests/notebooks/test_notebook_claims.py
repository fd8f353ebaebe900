"""What the notebooks' text says about chaotic training runs, checked here rather than in their outputs.

A few demonstrations train with a step that is too large, or from a start that saturates every unit:
the last digits of a matrix product, which differ from CPU to CPU (BLAS kernel, SIMD path), then
change the printed figures, so nbval ignores those cells' outputs (``# NBVAL_IGNORE_OUTPUT``).
What the prose says about them must still hold; these tests rerun each demonstration with the
library's reference blocks (the notebook uses the student's own functions) on several seeds and
check the claim, with margins, never an exact figure.
"""

import numpy as np
import pytest

from nnlib import datasets
from nnlib.train import SGD, train

SEEDS = (1, 2, 3)


# ------------------------------------------------------------------ 04_activations, section 11
def _course_blocks():
    """course/blocks.py, the reference versions of what the notebooks teach (04's and 05's claims use them)."""
    import importlib.util

    from nngrader.course import REPO_ROOT
    spec = importlib.util.spec_from_file_location("course_blocks", REPO_ROOT / "course" / "blocks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BLOCKS = _course_blocks()


def _stalled_fraction(params, X, activation):
    """Dead ReLU units, or saturated (sample, unit) pairs of sigmoid / tanh (04's definition)."""
    f, df = BLOCKS.ACTIVATIONS[activation]
    peak = 0.25 if activation == "sigmoid" else 1.0
    A, Zs, As = X, [], []
    for l in range(1, BLOCKS.num_layers(params)):
        Z = A @ params[f"W{l}"].T + params[f"b{l}"]
        A = f(Z)
        Zs.append(Z)
        As.append(A)
    if activation == "relu":
        return BLOCKS.dead_fraction(np.concatenate(As, axis=1))
    return float(np.mean(df(np.concatenate(Zs, axis=1)) < 0.05 * peak))


@pytest.fixture(scope="module")
def activation_runs():
    """{(seed, lr, activation): (stalled fraction after training, accuracy)}, as in 04's section 11."""
    runs = {}
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        X, y = datasets.spirals(rng, n_per_class=100, n_classes=3)
        for lr in (0.5, 2.0):
            initial = BLOCKS.init_mlp([2, 32, 32, 3], rng, 0.5)
            for activation, pair in BLOCKS.ACTIVATIONS.items():
                params = {k: v.copy() for k, v in initial.items()}
                train(params, lambda p, Xb, yb: BLOCKS.mlp_loss_and_grads(p, Xb, yb, pair), SGD(lr), X, y,
                      epochs=30, batch_size=32, rng=rng, progress=False)
                accuracy = float(np.mean(BLOCKS.mlp_predict(params, X, pair) == y))
                runs[seed, lr, activation] = (_stalled_fraction(params, X, activation), accuracy)
    return runs


def _mean(runs, lr, activation, which):
    return float(np.mean([runs[seed, lr, activation][which] for seed in SEEDS]))


def test_04_moderate_step_relu_and_tanh_fit_sigmoid_behind(activation_runs):
    relu, tanh, sigmoid = (_mean(activation_runs, 0.5, a, 1) for a in ("relu", "tanh", "sigmoid"))
    assert relu > 0.85 and tanh > 0.85, f"at lr 0.5 ReLU and tanh should fit the spirals: {relu:.2f}, {tanh:.2f}"
    assert sigmoid < min(relu, tanh) - 0.15, f"at lr 0.5 sigmoid should be far behind: {sigmoid:.2f}"
    assert _mean(activation_runs, 0.5, "relu", 0) < 0.2, "at lr 0.5 few ReLU units should be dead"


def test_04_too_large_step_kills_relus_and_saturates_tanh(activation_runs):
    dead = _mean(activation_runs, 2.0, "relu", 0)
    assert dead > 0.3, f"at lr 2.0 more than 30 % of the ReLU units should be dead, got {dead:.2f}"
    saturated = _mean(activation_runs, 2.0, "tanh", 0)
    assert saturated > 0.5, f"at lr 2.0 most tanh units should saturate, got {saturated:.2f}"
    worse = _mean(activation_runs, 0.5, "relu", 1) - _mean(activation_runs, 2.0, "relu", 1)
    assert worse > 0.1, f"the ReLU network should fit much worse at lr 2.0 than at 0.5 (by {worse:.2f})"
    assert _mean(activation_runs, 2.0, "sigmoid", 0) < 0.3, "the sigmoid network is only starting to saturate"


# ------------------------------------------------------------------ 05_initialisation, sections 7 and 8
def _distinct_units(W, atol=1e-8):
    rows = []
    for w in W:
        if not any(np.max(np.abs(w - r)) <= atol for r in rows):
            rows.append(w)
    return len(rows)


SCHEMES = {
    "zeros": lambda fi, fo, rng: np.zeros((fo, fi)),
    "constant 0.5": lambda fi, fo, rng: np.full((fo, fi), 0.5),
    "U(0, 1)": lambda fi, fo, rng: rng.uniform(0.0, 1.0, size=(fo, fi)),
    "U(-0.5, 0.5)": lambda fi, fo, rng: rng.uniform(-0.5, 0.5, size=(fo, fi)),
    "N(0, 0.01²)": lambda fi, fo, rng: rng.normal(0.0, 0.01, size=(fo, fi)),
    "Xavier": lambda fi, fo, rng: rng.uniform(-1, 1, size=(fo, fi)) * np.sqrt(3) * BLOCKS.xavier_std(fi, fo),
    "He": lambda fi, fo, rng: rng.normal(0.0, BLOCKS.he_std(fi, fo), size=(fo, fi)),
}
SIZES = [2, 64, 64, 64, 2]


@pytest.fixture(scope="module")
def initialisation_runs():
    """{(seed, scheme): (saturated at the start, final cost, accuracy, distinct units per hidden layer,
    values of the last hidden layer, mean |logit difference|)}."""
    tanh = BLOCKS.ACTIVATIONS["tanh"]
    runs = {}
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        X, y = datasets.moons(rng, n=200, noise=0.15)
        for name, init in SCHEMES.items():
            params = {}
            for l, (fi, fo) in enumerate(zip(SIZES[:-1], SIZES[1:]), start=1):
                params[f"W{l}"], params[f"b{l}"] = init(fi, fo, rng), np.zeros(fo)
            _, (caches, _) = BLOCKS.mlp_forward(X, params, tanh)
            saturated = float(np.mean([np.mean(np.abs(np.tanh(Z)) > 0.99) for _, Z in caches[:-1]]))
            history = train(params, lambda p, Xb, yb: BLOCKS.mlp_loss_and_grads(p, Xb, yb, tanh), SGD(0.3), X, y,
                            epochs=100, batch_size=50, rng=rng, progress=False)
            accuracy = float(np.mean(BLOCKS.mlp_predict(params, X, tanh) == y))
            units = [_distinct_units(params[f"W{l}"]) for l in range(1, len(SIZES) - 1)]
            logits, (caches, _) = BLOCKS.mlp_forward(X, params, tanh)
            last_hidden = np.tanh(caches[-2][1])
            runs[seed, name] = (saturated, history["loss"][-1], accuracy, units, last_hidden,
                                float(np.mean(np.abs(logits[:, 0] - logits[:, 1]))))
    return runs


@pytest.mark.parametrize("seed", SEEDS)
def test_05_symmetric_starts_keep_one_unit_per_layer(initialisation_runs, seed):
    for name in ("zeros", "constant 0.5"):
        assert initialisation_runs[seed, name][3] == [1, 1, 1], f"{name}: the units should stay identical"
    for name in ("U(0, 1)", "U(-0.5, 0.5)", "N(0, 0.01²)", "Xavier", "He"):
        assert initialisation_runs[seed, name][3] == [64, 64, 64], f"{name} breaks the symmetry"


@pytest.mark.parametrize("seed", SEEDS)
def test_05_what_each_scheme_does(initialisation_runs, seed):
    run = {name: initialisation_runs[seed, name] for name in SCHEMES}
    assert abs(run["zeros"][1] - np.log(2)) < 0.01 and run["zeros"][2] <= 0.6, "zeros never leaves log 2"
    assert run["constant 0.5"][0] > 0.5 and run["U(0, 1)"][0] > 0.5, \
        "constant 0.5 and U(0, 1): more than half of the tanh units start saturated"
    scaled = min(run[name][2] for name in ("U(-0.5, 0.5)", "Xavier", "He"))
    assert run["U(0, 1)"][1] > np.log(2) and run["U(0, 1)"][2] < scaled - 0.05, \
        f"U(0, 1): the cost stays above log 2 and the network fits far worse than the scaled schemes: {run['U(0, 1)'][:4]}"
    assert abs(run["N(0, 0.01²)"][1] - np.log(2)) < 0.02 and run["N(0, 0.01²)"][2] <= 0.6, \
        "N(0, 0.01²): the cost sits on its plateau at log 2"
    for name in ("U(-0.5, 0.5)", "Xavier", "He"):
        assert run[name][2] >= 0.95 and run[name][1] < 0.15, f"{name} should learn the moons: {run[name][:4]}"


@pytest.mark.parametrize("seed", SEEDS)
def test_05_constant_start_ends_above_log_2_with_one_binary_feature(initialisation_runs, seed):
    _, cost, accuracy, units, last_hidden, logit_gap = initialisation_runs[seed, "constant 0.5"]
    assert cost > 2 * np.log(2), f"constant 0.5 should end well above log 2, got {cost:.2f}"
    assert np.all(np.abs(last_hidden) > 0.999), "the last hidden layer should output only ±1"
    assert np.all(last_hidden == last_hidden[:, :1]), "all 64 units of the last hidden layer should agree"
    assert accuracy <= 0.7, f"one binary feature cannot separate the moons, got accuracy {accuracy:.2f}"
    assert logit_gap > 2, f"the output should be confident (|logit difference| > 2), got {logit_gap:.1f}"


@pytest.fixture(scope="module")
def width_runs():
    """{(seed, n_train, width): (final cost, training accuracy, validation accuracy)}, as in 05's section 8."""
    relu = BLOCKS.ACTIVATIONS["relu"]
    runs = {}
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        X, y = datasets.spirals(rng, n_per_class=100, n_classes=3)
        X_tr, X_val, y_tr, y_val = datasets.train_val_split(X, y, val_fraction=0.3, rng=rng)
        for n_train, epochs in ((len(X_tr), 40), (30, 280)):
            for width in (16, 512):
                params = BLOCKS.init_mlp([2, width, 3], rng, BLOCKS.he_std)
                history = train(params, lambda p, Xb, yb: BLOCKS.mlp_loss_and_grads(p, Xb, yb, relu), SGD(0.2),
                                X_tr[:n_train], y_tr[:n_train], epochs=epochs, batch_size=32, rng=rng, progress=False)
                runs[seed, n_train, width] = (
                    history["loss"][-1],
                    float(np.mean(BLOCKS.mlp_predict(params, X_tr[:n_train], relu) == y_tr[:n_train])),
                    float(np.mean(BLOCKS.mlp_predict(params, X_val, relu) == y_val)))
    return runs


@pytest.mark.parametrize("seed", SEEDS)
def test_05_the_wide_network_learns_more_in_the_same_epochs(width_runs, seed):
    narrow, wide = width_runs[seed, 210, 16], width_runs[seed, 210, 512]
    assert wide[0] < 0.5 * narrow[0], f"width 512 should reach a far lower cost: {wide[0]:.2f} vs {narrow[0]:.2f}"
    assert wide[2] >= narrow[2] + 0.05, f"width 512 should validate better: {wide[2]:.2f} vs {narrow[2]:.2f}"


def test_05_the_wide_network_memorises_30_samples(width_runs):
    for seed in SEEDS:
        assert width_runs[seed, 30, 512][1] >= 0.97, "on 30 samples width 512 should fit its training set"
    drop = np.mean([width_runs[seed, 210, 512][2] - width_runs[seed, 30, 512][2] for seed in SEEDS])
    assert drop > 0.05, f"with 30 samples the wide network should validate well below its full-data figure ({drop:.2f})"


# ------------------------------------------------------------------ 08_batch_norm, the learning-rate sweep
def _bn_forward(Z, gamma, beta, state, train, momentum=0.1, eps=1e-5):
    if train:
        mean, var = Z.mean(axis=0), Z.var(axis=0)
        n = len(Z)
        state["running_mean"] = (1 - momentum) * state["running_mean"] + momentum * mean
        state["running_var"] = (1 - momentum) * state["running_var"] + momentum * var * n / (n - 1)
    else:
        mean, var = state["running_mean"], state["running_var"]
    inv = 1 / np.sqrt(var + eps)
    Zh = (Z - mean) * inv
    return gamma * Zh + beta, (Zh, gamma, inv)


def _bn_backward(dout, cache):
    Zh, gamma, inv = cache
    dgamma, dbeta = (dout * Zh).sum(axis=0), dout.sum(axis=0)
    dZh = dout * gamma
    dZ = inv * (dZh - dZh.mean(axis=0) - Zh * (dZh * Zh).mean(axis=0))
    return dZ, dgamma, dbeta


def _deep_forward(X, params, states, train):
    L = BLOCKS.num_layers(params)
    A, caches = X, []
    for l in range(1, L + 1):
        Z = A @ params[f"W{l}"].T + params[f"b{l}"]
        if l == L:
            return Z, caches
        bn = None
        if states:
            Z, bn = _bn_forward(Z, params[f"gamma{l}"], params[f"beta{l}"], states[l - 1], train)
        caches.append((A, bn, Z))
        A = np.maximum(Z, 0)


def _deep_loss_and_grads(params, X, y, states):
    logits, caches = _deep_forward(X, params, states, True)
    loss, dA = BLOCKS.softmax_cross_entropy(logits, y), BLOCKS.softmax_cross_entropy_grad(logits, y)
    L = BLOCKS.num_layers(params)
    A_last = np.maximum(caches[-1][2], 0)
    grads = {f"W{L}": dA.T @ A_last, f"b{L}": dA.sum(axis=0)}
    dA = dA @ params[f"W{L}"]
    for l in range(L - 1, 0, -1):
        A_in, bn, Z = caches[l - 1]
        dZ = dA * (Z > 0)
        if bn is not None:
            dZ, grads[f"gamma{l}"], grads[f"beta{l}"] = _bn_backward(dZ, bn)
        grads[f"W{l}"], grads[f"b{l}"] = dZ.T @ A_in, dZ.sum(axis=0)
        dA = dZ @ params[f"W{l}"]
    return loss, grads


def test_08_reference_batch_norm_gradients_are_right():
    """The test's own batch-norm network is right (else the sweep below proves nothing)."""
    from nnlib.gradcheck import check_gradient
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 2)), rng.integers(0, 3, size=7)
    params = BLOCKS.init_mlp([2, 4, 4, 3], rng, BLOCKS.he_std)
    for l in (1, 2):
        params[f"gamma{l}"], params[f"beta{l}"] = rng.uniform(0.5, 1.5, 4), rng.normal(size=4)
    fresh = lambda: [{"running_mean": np.zeros(4), "running_var": np.ones(4)} for _ in range(2)]
    _, grads = _deep_loss_and_grads(params, X, y, fresh())
    for k in [k for k in params if k not in ("b1", "b2")]:     # hidden biases: zero gradient under batch norm
        def f(v, k=k):
            saved, params[k] = params[k], v
            try:
                return _deep_loss_and_grads(params, X, y, fresh())[0]
            finally:
                params[k] = saved
        check_gradient(f, params[k].copy(), grads[k], rtol=1e-6)


LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 1.0]   # 08's sweep


def _deep_spirals(seed):
    """08's data and network: (X_train, X_val, y_train, y_val, params0, shuffle_seed)."""
    rng = np.random.default_rng(seed)
    X, y = datasets.spirals(rng, n_per_class=150, noise=0.2)
    X_train, X_val, y_train, y_val = datasets.train_val_split(X, y, 0.2, rng)
    params0 = BLOCKS.init_mlp([2] + [32] * 9 + [3], rng, BLOCKS.he_std)
    return X_train, X_val, y_train, y_val, params0, int(rng.integers(2**31))


def _fresh_copy(params0, batch_norm):
    """A copy of params0, with gamma, beta and running statistics per hidden layer when batch_norm."""
    params = {k: v.copy() for k, v in params0.items()}
    states = []
    if batch_norm:
        for l in range(1, BLOCKS.num_layers(params0)):
            params[f"gamma{l}"], params[f"beta{l}"] = np.ones(32), np.zeros(32)
            states.append({"running_mean": np.zeros(32), "running_var": np.ones(32)})
    return params, states


@pytest.fixture(scope="module")
def batch_norm_sweep():
    """{(seed, batch_norm, lr): validation accuracy after 30 epochs}, as in 08's sweep."""
    results = {}
    for seed in SEEDS[:2]:
        X_train, X_val, y_train, y_val, params0, shuffle_seed = _deep_spirals(seed)
        for batch_norm in (False, True):
            for lr in LEARNING_RATES:
                params, states = _fresh_copy(params0, batch_norm)
                with np.errstate(all="ignore"):
                    train(params, lambda p, Xb, yb: _deep_loss_and_grads(p, Xb, yb, states), SGD(lr),
                          X_train, y_train, epochs=30, batch_size=60,
                          rng=np.random.default_rng(shuffle_seed), progress=False)
                    logits, _ = _deep_forward(X_val, params, states, False)
                results[seed, batch_norm, lr] = float(np.mean(np.argmax(logits, axis=1) == y_val))
    return results


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_08_batch_norm_trains_at_every_rate_of_the_sweep(batch_norm_sweep, seed):
    accuracies = [batch_norm_sweep[seed, True, lr] for lr in LEARNING_RATES]
    assert min(accuracies) >= 0.9, f"with batch norm: validation accuracy per rate {accuracies}"


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_08_plain_network_fails_at_both_ends_of_the_sweep(batch_norm_sweep, seed):
    accuracies = [batch_norm_sweep[seed, False, lr] for lr in LEARNING_RATES]
    assert accuracies[0] < 0.9 and accuracies[-1] < 0.9, f"plain: validation accuracy per rate {accuracies}"
    assert max(accuracies) >= 0.9, f"plain: some rate in the middle trains, got {accuracies}"


# ------------------------------------------------------------------ 03_mlp_backprop, section 5
def _window_tagger_run(seed):
    """03's word-window tagger and its one-rule baseline on one seed: (baseline, tagger) rows of
    (recall, precision, <unk> places found), and the number of <unk> place windows."""
    from nnlib import text

    def recall_precision_unk(found, y, unknown):
        hit = found & (y == 1)
        return hit.sum() / max((y == 1).sum(), 1), hit.sum() / max(found.sum(), 1), int(np.sum(found & unknown))

    rng = np.random.default_rng(seed)
    corpus = datasets.load_corpus()
    token_lists = [s.tokens for s in corpus]
    vocab = text.Vocabulary.build(token_lists, min_count=2)
    ids, labels = text.word_windows(token_lists, [s.tags for s in corpus], vocab, half_width=2)
    ids_tr, ids_val, y_tr, y_val = datasets.train_val_split(ids, labels, val_fraction=0.25, rng=rng)
    unknown = (ids_val[:, 2] == vocab.unk_id) & (y_val == 1)
    gazetteer = set(ids_tr[y_tr == 1, 2].tolist()) - {vocab.unk_id}
    baseline = recall_precision_unk(np.isin(ids_val[:, 2], list(gazetteer)), y_val, unknown)

    D, H, k = 8, 16, ids.shape[1]
    p = {"E": rng.normal(scale=0.1, size=(len(vocab), D)),
         "W1": rng.normal(0, np.sqrt(2 / (k * D)), size=(H, k * D)), "b1": np.zeros(H),
         "W2": rng.normal(0, np.sqrt(2 / H), size=(2, H)), "b2": np.zeros(2)}

    def forward(p, ids):
        X = p["E"][ids].reshape(len(ids), -1)
        Z1 = X @ p["W1"].T + p["b1"]
        return X, Z1, np.maximum(Z1, 0) @ p["W2"].T + p["b2"]

    def loss_and_grads(p, ids, y):
        X, Z1, Z2 = forward(p, ids)
        P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        dZ2 = (P - np.eye(2)[y]) / len(y)
        A1 = np.maximum(Z1, 0)
        dZ1 = (dZ2 @ p["W2"]) * (Z1 > 0)
        dX = dZ1 @ p["W1"]
        dE = np.zeros_like(p["E"])
        np.add.at(dE, ids.ravel(), dX.reshape(-1, D))
        return float(-np.mean(np.log(P[np.arange(len(y)), y]))), \
            {"E": dE, "W1": dZ1.T @ X, "b1": dZ1.sum(0), "W2": dZ2.T @ A1, "b2": dZ2.sum(0)}

    train(p, loss_and_grads, SGD(0.5), ids_tr, y_tr, epochs=12, batch_size=32, rng=rng, progress=False)
    tagger = recall_precision_unk(np.argmax(forward(p, ids_val)[2], axis=1) == 1, y_val, unknown)
    return baseline, tagger, int(unknown.sum())


@pytest.mark.parametrize("seed", SEEDS)
def test_03_one_rule_baseline_is_not_perfect_and_the_tagger_finds_unknown_places(seed):
    baseline, tagger, n_unknown = _window_tagger_run(seed)
    assert n_unknown > 0, "the validation windows should hold place names that are <unk>"
    assert baseline[2] == 0, "the gazetteer baseline cannot find an <unk> place"
    assert baseline[0] < 1 or baseline[1] < 1, f"the one-rule baseline should not be perfect: {baseline}"
    assert tagger[2] > 0, f"the tagger should find some <unk> places from their context: {tagger}"
# ------------------------------------------------------------------ 05_initialisation, section 9
@pytest.fixture(scope="module")
def input_scale_runs():
    """{(seed, activation, inputs): (mean |a| of layer 1 at the start, first cost, last cost,
    dead fraction of layer 1 after training)}, as in 05's section 9."""
    runs = {}
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        X_fish, y_fish = datasets.fish(rng, n_per_class=100)
        inputs = {"raw": X_fish, "standardised": (X_fish - X_fish.mean(axis=0)) / X_fish.std(axis=0)}
        for activation, std_of in (("tanh", BLOCKS.xavier_std), ("relu", BLOCKS.he_std)):
            pair = BLOCKS.ACTIVATIONS[activation]
            for name, X in inputs.items():
                params = BLOCKS.init_mlp([2, 32, 32, 2], rng, std_of)
                start = float(np.mean(np.abs(pair[0](X @ params["W1"].T))))
                history = train(params, lambda p, Xb, yb: BLOCKS.mlp_loss_and_grads(p, Xb, yb, pair), SGD(0.1),
                                X, y_fish, epochs=60, batch_size=50, rng=rng, progress=False)
                dead = BLOCKS.dead_fraction(pair[0](X @ params["W1"].T + params["b1"]))
                runs[seed, activation, name] = (start, history["loss"][0], history["loss"][-1], dead)
    return runs


@pytest.mark.parametrize("seed", SEEDS)
def test_05_raw_features_saturate_tanh_and_kill_relus(input_scale_runs, seed):
    raw, standard = input_scale_runs[seed, "tanh", "raw"], input_scale_runs[seed, "tanh", "standardised"]
    assert raw[0] > 0.8, f"raw features: the first tanh layer should start saturated (mean |a| {raw[0]:.2f})"
    assert raw[2] > 2 * standard[2], f"tanh: the raw run should end far above the standardised one: {raw}, {standard}"
    raw, standard = input_scale_runs[seed, "relu", "raw"], input_scale_runs[seed, "relu", "standardised"]
    assert raw[1] > 10, f"relu, raw features: the first cost should be large, got {raw[1]:.2f}"
    assert raw[3] >= 0.5, f"relu, raw features: most first-layer units should die, got {raw[3]:.0%}"
    assert raw[2] > 2 * standard[2], f"relu: the raw run should end far above the standardised one: {raw}, {standard}"


@pytest.fixture(scope="module")
def batch_norm_curves():
    """{(seed, batch_norm): training-set loss in evaluation mode after each epoch}, 08's run at lr 0.1."""
    curves = {}
    for seed in SEEDS[:2]:
        X_train, _, y_train, _, params0, shuffle_seed = _deep_spirals(seed)
        for batch_norm in (False, True):
            params, states = _fresh_copy(params0, batch_norm)

            def eval_loss(p, Xe, ye):
                logits, _ = _deep_forward(Xe, p, states, False)
                return BLOCKS.softmax_cross_entropy(logits, ye)

            with np.errstate(all="ignore"):
                history = train(params, lambda p, Xb, yb: _deep_loss_and_grads(p, Xb, yb, states), SGD(0.1),
                                X_train, y_train, epochs=30, batch_size=60, metrics={"eval": eval_loss},
                                rng=np.random.default_rng(shuffle_seed), progress=False)
            curves[seed, batch_norm] = np.array(history["eval"])
    return curves


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_08_both_end_low_and_the_plain_run_spikes(batch_norm_curves, seed):
    """08, 'Loss curves at one learning rate': both low after 30 epochs (no "many more epochs"), and the
    plain network's curve is the one with spikes (its largest rise from one epoch to the next is larger)."""
    plain, bn = batch_norm_curves[seed, False], batch_norm_curves[seed, True]
    assert plain[-1] < 0.3 and bn[-1] < 0.3, f"both should be low after 30 epochs: {plain[-1]:.3f}, {bn[-1]:.3f}"
    plain_spike, bn_spike = np.max(np.diff(plain)), np.max(np.diff(bn))
    assert plain_spike > 0.05 and plain_spike > 2 * bn_spike, \
        f"the plain curve should spike: largest rise plain {plain_spike:.3f}, batch norm {bn_spike:.3f}"
