"""nnlib.datasets: generated data sets, splitting, minibatches and the corpus."""
import numpy as np
import pytest

from nnlib import datasets

GENERATORS = {
    "fish": (datasets.fish, {}, 200, 2),
    "xor": (datasets.xor, {}, 200, 2),
    "moons": (datasets.moons, {}, 200, 2),
    "spirals": (datasets.spirals, {}, 300, 3),
    "blobs": (datasets.blobs, {}, 300, 3),
    "spirals_odd": (datasets.spirals, {"n_per_class": 7, "n_classes": 5}, 35, 5),
    "xor_odd": (datasets.xor, {"n": 7}, 7, 2),
    "moons_odd": (datasets.moons, {"n": 9}, 9, 2),
}


def rng(seed=472):
    return np.random.default_rng(seed)


def least_squares_accuracy(X, y):
    """Training accuracy of a linear classifier fitted by least squares to one-hot targets."""
    A = np.column_stack([X, np.ones(len(X))])
    W = np.linalg.lstsq(A, np.eye(y.max() + 1)[y], rcond=None)[0]
    return np.mean((A @ W).argmax(axis=1) == y)


@pytest.mark.parametrize("name", GENERATORS)
def test_shapes_dtypes_and_classes(name):
    make, kwargs, n, n_classes = GENERATORS[name]
    X, y = make(rng(), **kwargs)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(np.unique(y)) == set(range(n_classes))
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(name):
    make, kwargs, _, _ = GENERATORS[name]
    X1, y1 = make(rng(1), **kwargs)
    X2, y2 = make(rng(1), **kwargs)
    X3, _ = make(rng(2), **kwargs)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)


@pytest.mark.parametrize("name", ["fish", "moons", "spirals", "blobs"])
def test_classes_balanced_and_shuffled(name):
    make, kwargs, n, n_classes = GENERATORS[name]
    _, y = make(rng(), **kwargs)
    np.testing.assert_array_equal(np.bincount(y), [n // n_classes] * n_classes)
    assert not np.all(np.diff(y) >= 0), "samples must be shuffled, not sorted by class"


def test_fish_ranges_and_which_fish_is_which():
    X, y = datasets.fish(rng(), n_per_class=500)
    assert datasets.FISH_FEATURES == ("lightness", "width")
    assert datasets.FISH_CLASSES == ("salmon", "sea bass")
    assert 1 < X[:, 0].min() and X[:, 0].max() < 13, "lightness should be roughly 2..11"
    assert 12 < X[:, 1].min() and X[:, 1].max() < 24, "width should be roughly 14..22"
    salmon, bass = X[y == 0].mean(axis=0), X[y == 1].mean(axis=0)
    assert salmon[0] < bass[0] - 2 and salmon[1] < bass[1] - 1.5, "salmon are darker and narrower"


@pytest.mark.parametrize("seed", [0, 1, 472])
def test_fish_linearly_separable_with_a_few_errors(seed):
    error = 1 - least_squares_accuracy(*datasets.fish(rng(seed)))
    assert 0 < error < 0.1


@pytest.mark.parametrize("seed", [0, 472])
def test_xor_not_linearly_separable_but_xor_rule_is_perfect(seed):
    X, y = datasets.xor(rng(seed))
    assert abs(least_squares_accuracy(X, y) - 0.5) < 0.1
    np.testing.assert_array_equal(y, (X[:, 0] > 0) ^ (X[:, 1] > 0))
    X, y = datasets.xor(rng(seed), n=400, noise=0.6)  # points cross the axes; labels follow them
    np.testing.assert_array_equal(y, (X[:, 0] > 0) ^ (X[:, 1] > 0))
    assert sorted(np.unique(np.sign(X), axis=0).tolist()) == [[-1, -1], [-1, 1], [1, -1], [1, 1]]


def test_xor_clusters_centred_on_the_corners():
    X, _ = datasets.xor(rng(), n=400, noise=0.1)
    np.testing.assert_allclose(np.abs(X), 1.0, atol=0.5)
    np.testing.assert_array_equal(np.bincount(np.sign(X[:, 0]).astype(int) + 1), [200, 0, 200])


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = datasets.moons(rng(), n=101, noise=0.0)
    np.testing.assert_array_equal(np.bincount(y), [50, 51])
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0)
    assert np.all(X[y == 0, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5), 1.0)
    assert np.all(X[y == 1, 1] <= 0.5 + 1e-12)
    assert least_squares_accuracy(X, y) < 1.0, "the moons interleave: no line separates them"


def test_spirals_label_follows_the_angle():
    X, y = datasets.spirals(rng(), n_per_class=50, n_classes=4, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(np.sort(r[y == 2]), np.linspace(0, 1, 50), atol=1e-12)
    t = np.arctan2(X[:, 0], X[:, 1])  # x = r sin t, y = r cos t
    gap = np.angle(np.exp(1j * (t - 4 * r - 4 * y)))  # wrapped to (-pi, pi]
    np.testing.assert_allclose(gap[r > 0], 0, atol=1e-9, err_msg="class j's arm is t = 4 j + 4 r")
    X_noisy, y_noisy = datasets.spirals(rng(), n_per_class=50, n_classes=4, noise=0.2)
    assert np.hypot(*X_noisy.T).max() <= 1 + 1e-12
    assert least_squares_accuracy(X_noisy, y_noisy) < 0.8


def test_blobs_linearly_separable_with_centres_on_a_circle():
    X, y = datasets.blobs(rng(), n_per_class=200, n_classes=4)
    assert least_squares_accuracy(X, y) > 0.98
    centres = np.array([X[y == c].mean(axis=0) for c in range(4)])
    radii = np.hypot(*centres.T)
    np.testing.assert_allclose(radii, radii.mean(), rtol=0.05)
    np.testing.assert_allclose(X[y == 0].std(axis=0), 1.0, rtol=0.2)
    X_wide, y_wide = datasets.blobs(rng(), n_per_class=200, n_classes=4, std=5.0)
    assert least_squares_accuracy(X_wide, y_wide) < 0.9


@pytest.mark.parametrize("call, error, match", [
    (lambda: datasets.fish(472), TypeError, "rng must be a numpy.random.Generator"),
    (lambda: datasets.xor(np.random.RandomState(0)), TypeError, "rng must be"),
    (lambda: datasets.fish(rng(), n_per_class=0), ValueError, "n_per_class must be an integer >= 1"),
    (lambda: datasets.fish(rng(), n_per_class=2.5), ValueError, "n_per_class"),
    (lambda: datasets.xor(rng(), n=-1), ValueError, "n must be an integer >= 1"),
    (lambda: datasets.xor(rng(), noise=-0.1), ValueError, "noise must be a finite number >= 0"),
    (lambda: datasets.moons(rng(), noise=float("nan")), ValueError, "noise"),
    (lambda: datasets.spirals(rng(), n_classes=1), ValueError, "n_classes must be an integer >= 2"),
    (lambda: datasets.blobs(rng(), std=-1), ValueError, "std must be"),
    (lambda: datasets.blobs(rng(), n_per_class=True), ValueError, "n_per_class"),
])
def test_bad_arguments_raise_with_a_sentence(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_train_val_split_is_a_partition_of_the_right_sizes():
    X = np.arange(50.0).reshape(25, 2)
    y = np.arange(25)
    X_train, X_val, y_train, y_val = datasets.train_val_split(X, y, 0.2, rng())
    assert X_train.shape == (20, 2) and X_val.shape == (5, 2)
    assert y_train.shape == (20,) and y_val.shape == (5,)
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_val])), y)
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train, err_msg="rows of X and y must stay paired")
    np.testing.assert_array_equal(X_val[:, 0], 2 * y_val)
    assert not np.array_equal(y_train, np.arange(20)), "the split must be random"
    _, _, _, y_val_again = datasets.train_val_split(X, y, 0.2, rng())
    np.testing.assert_array_equal(y_val, y_val_again)


def test_train_val_split_keeps_both_sets_non_empty():
    _, X_val, _, _ = datasets.train_val_split(np.zeros((3, 2)), np.zeros(3), 0.01, rng())
    assert len(X_val) == 1
    X_train, _, _, _ = datasets.train_val_split(np.zeros((3, 2)), np.zeros(3), 0.99, rng())
    assert len(X_train) == 1


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.2, "0.2"])
def test_train_val_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="val_fraction must be a number strictly between 0 and 1"):
        datasets.train_val_split(np.zeros((10, 2)), np.zeros(10), fraction, rng())


def test_train_val_split_rejects_mismatched_rows_and_bad_rng():
    with pytest.raises(ValueError, match="same number of rows"):
        datasets.train_val_split(np.zeros((10, 2)), np.zeros(9), 0.2, rng())
    with pytest.raises(TypeError, match="rng must be"):
        datasets.train_val_split(np.zeros((10, 2)), np.zeros(10), 0.2, 0)


@pytest.mark.parametrize("y_shape", [(23,), (23, 3)])
def test_minibatches_cover_every_sample_once(y_shape):
    X = np.arange(46.0).reshape(23, 2)
    y = np.arange(np.prod(y_shape)).reshape(y_shape)
    batches = list(datasets.minibatches(X, y, 5, rng=rng()))
    assert [len(xb) for xb, _ in batches] == [5, 5, 5, 5, 3]
    rows = np.concatenate([xb[:, 0] for xb, _ in batches]) / 2
    np.testing.assert_array_equal(np.sort(rows), np.arange(23))
    assert not np.array_equal(rows, np.arange(23)), "with rng the order must be shuffled"
    for xb, yb in batches:
        assert yb.shape == (len(xb),) + y_shape[1:]
        first_column = yb if yb.ndim == 1 else yb[:, 0] // 3
        np.testing.assert_array_equal(first_column, xb[:, 0] / 2, err_msg="X and y batches must stay paired")


def test_minibatches_without_rng_keep_order_and_reshuffle_each_pass():
    X, y = np.arange(10.0)[:, None], np.arange(10)
    batches = list(datasets.minibatches(X, y, 4))
    assert [yb.tolist() for _, yb in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    generator = rng()
    first = np.concatenate([yb for _, yb in datasets.minibatches(X, y, 4, rng=generator)])
    second = np.concatenate([yb for _, yb in datasets.minibatches(X, y, 4, rng=generator)])
    assert not np.array_equal(first, second)
    assert len(list(datasets.minibatches(X, y, 100))) == 1


@pytest.mark.parametrize("batch_size", [0, -3, 2.0, None, True])
def test_minibatches_rejects_bad_batch_size_when_called(batch_size):
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        datasets.minibatches(np.zeros((4, 2)), np.zeros(4), batch_size)


def test_minibatches_rejects_mismatched_rows_and_bad_rng():
    with pytest.raises(ValueError, match="same number of rows"):
        datasets.minibatches(np.zeros((4, 2)), np.zeros(5), 2)
    with pytest.raises(TypeError, match="rng must be"):
        datasets.minibatches(np.zeros((4, 2)), np.zeros(4), 2, rng=472)


def test_corpus_size_balance_and_location_tags():
    corpus = datasets.load_corpus()
    assert 300 <= len(corpus) <= 400
    sentiment = np.array([s.sentiment for s in corpus])
    assert set(sentiment.tolist()) == {0, 1}
    assert abs(sentiment.mean() - 0.5) < 0.05
    for s in corpus:
        assert isinstance(s, datasets.Sentence)
        assert len(s.tokens) == len(s.tags) > 0
        assert set(s.tags) <= {"O", "LOC"}
        assert "/" not in s.text and s.text.split() == s.tokens
    places = [t for s in corpus for t, tag in zip(s.tokens, s.tags) if tag == "LOC"]
    counts = {p: places.count(p) for p in set(places)}
    assert {"paris", "london", "karachi"} <= set(counts)
    assert sum(c == 1 for c in counts.values()) >= 10, "some places must appear only once"
    assert sum(c >= 5 for c in counts.values()) >= 10, "some places must appear often"
    assert 0.03 < len(places) / sum(len(s.tokens) for s in corpus) < 0.2
    assert len({t for s in corpus for t in s.tokens}) >= 200


def test_corpus_parses_the_loc_suffix():
    lines = [s for s in datasets.load_corpus() if "paris" in s.tokens]
    s = lines[0]
    assert s.tags[s.tokens.index("paris")] == "LOC"
    assert all(tag == "O" for tok, tag in zip(s.tokens, s.tags) if tok in ("the", "and", "was"))


def test_sentiment_data_matches_corpus():
    token_lists, y = datasets.sentiment_data()
    corpus = datasets.load_corpus()
    assert y.dtype == np.int64 and y.shape == (len(corpus),)
    assert token_lists == [s.tokens for s in corpus]
    np.testing.assert_array_equal(y, [s.sentiment for s in corpus])
    # No single word decides the sentiment.
    for word in ("not", "but", "recommend", "lovely", "awful"):
        has = np.array([word in tokens for tokens in token_lists])
        assert has.any() and 0 < y[has].mean() < 1, f"{word!r} occurs in both classes"
