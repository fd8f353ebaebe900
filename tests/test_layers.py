"""nnlib.layers and nnlib.mlp: checked against definitions and numerical gradients."""

import numpy as np
import pytest

from nnlib import layers, mlp
from nnlib.gradcheck import check_gradient


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_softmax_matches_the_definition_and_survives_huge_scores(rng):
    Z = rng.normal(size=(4, 3))
    np.testing.assert_allclose(layers.softmax(Z), np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))
    with np.errstate(all="raise", under="ignore"):
        P = layers.softmax(np.array([[1e4, 0.0]], dtype=np.float32))
    assert P.dtype == np.float32
    np.testing.assert_allclose(P, [[1.0, 0.0]])


def test_log_softmax_is_log_of_softmax_and_finite(rng):
    Z = rng.normal(size=(2, 5))
    np.testing.assert_allclose(layers.log_softmax(Z), np.log(layers.softmax(Z)))
    np.testing.assert_allclose(layers.log_softmax(np.array([0.0, -1e4])), [0.0, -1e4])


def test_softmax_cross_entropy_hard_labels_is_mean_negative_log_probability(rng):
    Z, y = rng.normal(size=(5, 3)), np.array([0, 2, 1, 1, 0])
    loss, _ = layers.softmax_cross_entropy(Z, y)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(P[np.arange(5), y])))


@pytest.mark.parametrize("soft", [False, True])
def test_softmax_cross_entropy_gradient(rng, soft):
    Z = rng.normal(size=(4, 3))
    Y = rng.dirichlet(np.ones(3), size=4) if soft else np.array([2, 0, 1, 2])
    _, dZ = layers.softmax_cross_entropy(Z, Y)
    check_gradient(lambda z: layers.softmax_cross_entropy(z, Y)[0], Z.copy(), dZ, rtol=1e-6)


def test_softmax_cross_entropy_rejects_bad_labels():
    with pytest.raises(ValueError, match="labels in 0..2"):
        layers.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="distributions"):
        layers.softmax_cross_entropy(np.zeros((2, 3)), np.zeros((2, 4)))


def test_affine_backward_matches_numerical_gradients(rng):
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(2, 3)), rng.normal(size=2)
    G = rng.normal(size=(4, 2))
    out, cache = layers.affine_forward(X, W, b)
    np.testing.assert_allclose(out, X @ W.T + b)
    dX, dW, db = layers.affine_backward(G, cache)
    check_gradient(lambda x: np.sum(G * layers.affine_forward(x, W, b)[0]), X.copy(), dX)
    check_gradient(lambda w: np.sum(G * layers.affine_forward(X, w, b)[0]), W.copy(), dW)
    check_gradient(lambda c: np.sum(G * layers.affine_forward(X, W, c)[0]), b.copy(), db)


def test_sigmoid_is_stable_and_keeps_float32():
    with np.errstate(all="raise", under="ignore"):
        s = layers.sigmoid(np.array([-1000.0, 0.0, 1000.0], dtype=np.float32))
    assert s.dtype == np.float32
    np.testing.assert_allclose(s, [0.0, 0.5, 1.0])


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "identity"])
def test_activation_derivatives_match_numerical(rng, name):
    f, df = layers.ACTIVATIONS[name]
    x = rng.normal(size=7) + 0.05  # away from ReLU's kink
    numerical = (f(x + 1e-6) - f(x - 1e-6)) / 2e-6
    np.testing.assert_allclose(df(x), numerical, rtol=1e-5, atol=1e-7)


def test_relu_derivative_at_zero_is_zero():
    assert layers.ACTIVATIONS["relu"][1](np.array([0.0]))[0] == 0.0


def test_init_mlp_shapes_and_he_scale(rng):
    params = mlp.init_mlp([400, 300, 3], rng, scheme="he")
    assert params["W1"].shape == (300, 400) and params["b2"].shape == (3,)
    assert params["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert not params["b1"].any()


def test_init_mlp_rejects_bad_arguments(rng):
    with pytest.raises(ValueError, match="at least two"):
        mlp.init_mlp([3], rng)
    with pytest.raises(ValueError, match="scheme"):
        mlp.init_mlp([3, 2], rng, scheme="lecun")
    with pytest.raises(TypeError, match="Generator"):
        mlp.init_mlp([3, 2], 0)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_gradients_match_numerical(rng, activation):
    params = mlp.init_mlp([3, 5, 4, 2], rng, scheme="xavier")
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 2, size=6)
    _, grads = mlp.mlp_loss_and_grads(params, X, y, activation=activation, l2=0.1)
    for key in params:
        def loss_of(value, key=key):
            return mlp.mlp_loss_and_grads({**params, key: value}, X, y, activation, l2=0.1)[0]
        check_gradient(loss_of, params[key].copy(), grads[key], rtol=1e-5)


def test_mlp_learns_xor(rng):
    from nnlib.datasets import xor
    from nnlib.train import SGD, train

    X, y = xor(rng, n=200, noise=0.1)
    params = mlp.init_mlp([2, 16, 2], rng)
    train(params, mlp.mlp_loss_and_grads, SGD(0.5), X, y, epochs=200, progress=False)
    assert np.mean(mlp.mlp_predict(params, X) == y) > 0.95
