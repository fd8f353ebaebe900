"""Unit tests for nnlib.train."""
import numpy as np
import pytest

from nnlib.train import SGD, train


def least_squares(params, X, y):
    """Loss 0.5 * mean((X w + b - y)^2) and its gradients."""
    with np.errstate(over="ignore", invalid="ignore"):
        r = X @ params["w"] + params["b"] - y
        loss = 0.5 * np.mean(r**2)
        return loss, {"w": X.T @ r / len(y), "b": np.mean(r)}


@pytest.fixture
def problem():
    rng = np.random.default_rng(42)
    X = rng.normal(size=(60, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=60)
    return X, y


def fresh_params():
    return {"w": np.zeros(3), "b": np.zeros(())}


def test_full_batch_gradient_descent_reaches_least_squares_solution(problem):
    X, y = problem
    params = fresh_params()
    history = train(params, least_squares, SGD(lr=0.5), X, y, epochs=300, progress=False)
    A = np.column_stack([X, np.ones(len(X))])
    solution, *_ = np.linalg.lstsq(A, y, rcond=None)
    np.testing.assert_allclose(params["w"], solution[:3], atol=1e-6)
    np.testing.assert_allclose(params["b"], solution[3], atol=1e-6)
    assert len(history["loss"]) == 300 and history["diverged"] is False
    assert history["loss"][-1] < history["loss"][0]


def test_minibatch_sgd_is_deterministic_given_the_rng(problem):
    X, y = problem

    def run(seed):
        params = fresh_params()
        history = train(params, least_squares, SGD(lr=0.05), X, y, epochs=5, batch_size=8,
                        rng=np.random.default_rng(seed), progress=False)
        return params, history

    (p1, h1), (p2, h2), (p3, h3) = run(0), run(0), run(1)
    np.testing.assert_array_equal(p1["w"], p2["w"])
    assert h1["loss"] == h2["loss"]
    assert h1["loss"] != h3["loss"], "a different rng must shuffle the minibatches differently"


def test_each_epoch_visits_every_sample_once_in_shuffled_batches():
    X = np.arange(10.0).reshape(10, 1)
    y = np.arange(10.0)
    seen = []

    def record(params, Xb, yb):
        seen.append(yb.copy())
        return 0.0, {}

    train({}, record, SGD(lr=0.1), X, y, epochs=2, batch_size=4,
          rng=np.random.default_rng(0), progress=False)
    assert [len(b) for b in seen] == [4, 4, 2, 4, 4, 2]
    for epoch in (seen[:3], seen[3:]):
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), y)
    assert not np.array_equal(np.concatenate(seen[:3]), y), "minibatches must be shuffled"


def test_epoch_loss_is_sample_weighted_mean_of_batch_losses():
    X = np.zeros((10, 1))
    y = np.arange(10.0) ** 2

    def mean_of_y(params, Xb, yb):
        return float(np.mean(yb)), {}

    history = train({}, mean_of_y, SGD(lr=0.1), X, y, epochs=3, batch_size=4,
                    rng=np.random.default_rng(5), progress=False)
    # batches of 4, 4 and 2: an unweighted mean of batch means would differ
    np.testing.assert_allclose(history["loss"], [np.mean(y)] * 3)


def test_history_lengths_validation_and_metrics(problem):
    X, y = problem
    X_val, y_val = X[:20] + 0.1, y[:20]

    def mae(params, X, y):
        return float(np.mean(np.abs(X @ params["w"] + params["b"] - y)))

    params = fresh_params()
    history = train(params, least_squares, SGD(lr=0.1), X, y, epochs=4, batch_size=16,
                    rng=np.random.default_rng(0), validation=(X_val, y_val),
                    metrics={"mae": mae}, progress=False)
    assert set(history) == {"loss", "val_loss", "mae", "val_mae", "lr", "diverged"}
    for key in ("loss", "val_loss", "mae", "val_mae", "lr"):
        assert len(history[key]) == 4, key
    assert history["val_loss"][-1] == pytest.approx(least_squares(params, X_val, y_val)[0])
    assert history["mae"][-1] == pytest.approx(mae(params, X, y))
    assert history["val_mae"][-1] == pytest.approx(mae(params, X_val, y_val))


def test_on_epoch_end_stops_early(problem):
    X, y = problem
    calls = []

    def stop_after_third(epoch, history, params):
        calls.append((epoch, len(history["loss"])))
        return epoch == 2

    history = train(fresh_params(), least_squares, SGD(lr=0.1), X, y, epochs=50,
                    on_epoch_end=stop_after_third, progress=False)
    assert calls == [(0, 1), (1, 2), (2, 3)]
    assert len(history["loss"]) == 3 and len(history["lr"]) == 3


def test_lr_schedule_in_on_epoch_end_is_recorded(problem):
    X, y = problem
    opt = SGD(lr=0.4)

    def halve(epoch, history, params):
        opt.lr = opt.lr / 2

    history = train(fresh_params(), least_squares, opt, X, y, epochs=4,
                    on_epoch_end=halve, progress=False)
    assert history["lr"] == [0.4, 0.2, 0.1, 0.05]


def test_lr_is_used_for_the_step(problem):
    X, y = problem
    params = fresh_params()
    train(params, least_squares, SGD(lr=0.25), X, y, epochs=1, progress=False)
    _, grads = least_squares(fresh_params(), X, y)
    np.testing.assert_allclose(params["w"], -0.25 * grads["w"])


def test_update_without_lr_records_no_lr(problem):
    X, y = problem

    def step(params, grads):
        for k in grads:
            params[k] -= 0.1 * grads[k]

    history = train(fresh_params(), least_squares, step, X, y, epochs=2, progress=False)
    assert "lr" not in history and len(history["loss"]) == 2


def test_huge_learning_rate_is_flagged_as_diverged(problem):
    X, y = problem
    params = fresh_params()
    history = train(params, least_squares, SGD(lr=1e3), X, y, epochs=200,
                    validation=(X, y), progress=False)
    assert history["diverged"] is True
    n = len(history["loss"])
    assert n < 200 and not np.isfinite(history["loss"][-1])
    assert np.all(np.isfinite(history["loss"][:-1]))
    assert len(history["val_loss"]) == n and np.isnan(history["val_loss"][-1])
    assert len(history["lr"]) == n


def test_progress_false_is_silent_and_progress_true_writes_to_stderr(problem, capsys):
    X, y = problem
    train(fresh_params(), least_squares, SGD(lr=0.1), X, y, epochs=3, progress=False)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    train(fresh_params(), least_squares, SGD(lr=0.1), X, y, epochs=3, desc="fitting")
    captured = capsys.readouterr()
    assert "fitting" in captured.err and "3/3" in captured.err and captured.out == ""


def test_train_rejects_bad_arguments(problem):
    X, y = problem
    with pytest.raises(ValueError, match="rng"):
        train(fresh_params(), least_squares, SGD(lr=0.1), X, y, epochs=1, batch_size=8, progress=False)
    with pytest.raises(ValueError, match="same number"):
        train(fresh_params(), least_squares, SGD(lr=0.1), X, y[:-1], epochs=1, progress=False)
    with pytest.raises(ValueError, match="epochs"):
        train(fresh_params(), least_squares, SGD(lr=0.1), X, y, epochs=0, progress=False)
    with pytest.raises(TypeError, match=r"pair \(loss, grads\)"):
        train(fresh_params(), lambda p, Xb, yb: 1.0, SGD(lr=0.1), X, y, epochs=1, progress=False)


def test_sgd_updates_in_place_and_validates():
    w = np.array([1.0, 2.0])
    params = {"w": w}
    SGD(lr=0.5)(params, {"w": np.array([2.0, -2.0])})
    assert params["w"] is w
    np.testing.assert_array_equal(w, [0.0, 3.0])
    with pytest.raises(KeyError, match="'v'"):
        SGD(lr=0.1)(params, {"v": np.zeros(2)})
    np.testing.assert_array_equal(w, [0.0, 3.0])
    for bad in (0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match="lr must be a positive finite number"):
            SGD(lr=bad)
    opt = SGD(lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -0.1
    assert opt.lr == 0.1
