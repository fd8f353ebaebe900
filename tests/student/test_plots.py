"""Unit tests for nnlib.plots."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import plots  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    return X, y


def split_at_zero(P):
    return (P[:, 0] > 0).astype(int)


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_decision_boundary_regions_follow_predict(ax, data):
    X, y = data
    assert plots.decision_boundary(ax, split_at_zero, X, y, resolution=40) is ax
    contour = ax.collections[0]
    np.testing.assert_allclose(contour.levels, [-0.5, 0.5, 1.5])
    class0, class1 = contour.get_paths()
    assert class0.contains_point((-1.0, 0.0)) and not class0.contains_point((1.0, 0.0))
    assert class1.contains_point((1.0, 0.0)) and not class1.contains_point((-1.0, 0.0))
    assert len(ax.collections) == 1 + 2  # regions + one scatter per class
    assert legend_texts(ax) == ["class 0", "class 1"]


def test_decision_boundary_scatter_colours_and_names(ax, data):
    X, y = data
    plots.decision_boundary(ax, split_at_zero, X, y, resolution=20,
                            class_names=["neg", "pos"], feature_names=["a", "b"], title="t")
    scatter0 = ax.collections[1]
    np.testing.assert_allclose(scatter0.get_offsets(), X[y == 0])
    np.testing.assert_allclose(scatter0.get_facecolor()[0, :3], plots.CLASS_COLORS[0])
    assert legend_texts(ax) == ["neg", "pos"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("a", "b", "t")


def test_decision_boundary_rejects_bad_input(ax, data):
    X, y = data
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\)"):
        plots.decision_boundary(ax, split_at_zero, np.zeros((5, 3)), np.zeros(5, int))
    with pytest.raises(ValueError, match="y must have shape"):
        plots.decision_boundary(ax, split_at_zero, X, y[:-1])
    with pytest.raises(ValueError, match="probabilities"):
        plots.decision_boundary(ax, lambda P: np.full((len(P), 2), 0.5), X, y, resolution=10)


def test_probability_map_mixes_class_colours(ax, data):
    X, y = data

    def proba(P):
        # class 0 left of x0 = 0; on the right, class 1 below x1 = 0 and class 2 above
        right, top = P[:, 0] > 0, P[:, 1] > 0
        return np.column_stack([~right, right & ~top, right & top]).astype(float)

    assert plots.probability_map(ax, proba, X, y, resolution=30) is ax
    image = ax.images[0].get_array()
    assert image.shape == (30, 30, 3)
    light = 0.6 * plots.CLASS_COLORS + 0.4
    np.testing.assert_allclose(image[15, 0], light[0])    # left edge: class 0
    np.testing.assert_allclose(image[0, -1], light[1])    # bottom right: class 1
    np.testing.assert_allclose(image[-1, -1], light[2])   # top right: class 2
    assert ax.images[0].origin == "lower"
    np.testing.assert_allclose(ax.images[0].get_extent(),
                               [X[:, 0].min() - 0.5, X[:, 0].max() + 0.5,
                                X[:, 1].min() - 0.5, X[:, 1].max() + 0.5])
    assert len(ax.collections) == 2
    assert legend_texts(ax) == ["class 0", "class 1"]


def test_probability_map_rejects_logits(ax, data):
    X, y = data
    with pytest.raises(ValueError, match="softmax"):
        plots.probability_map(ax, lambda P: P * 3.0, X, y, resolution=10)


def test_curves_one_line_per_key_from_epoch_1(ax):
    history = {"loss": [3.0, 2.0, 1.0], "val_loss": [3.5, 2.5, 2.0], "diverged": False}
    assert plots.curves(ax, history, keys=("loss", "val_loss"), ylabel="loss", logy=True) is ax
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [3.5, 2.5, 2.0])
    assert legend_texts(ax) == ["loss", "val_loss"]
    assert ax.get_xlabel() == "epoch" and ax.get_yscale() == "log"


def test_curves_missing_key_lists_available_keys(ax):
    with pytest.raises(ValueError, match=r"'acc'.*\['loss', 'val_loss'\]"):
        plots.curves(ax, {"loss": [1.0], "val_loss": [1.0]}, keys=("acc",))


def test_mark_epoch_adds_dashed_line_to_legend(ax):
    plots.curves(ax, {"loss": [3.0, 2.0, 1.0]})
    assert plots.mark_epoch(ax, 2, "early stop") is ax
    line = ax.lines[-1]
    assert line.get_linestyle() == "--"
    np.testing.assert_array_equal(line.get_xdata(), [2, 2])
    assert legend_texts(ax) == ["loss", "early stop"]


def test_function_and_derivative(ax):
    assert plots.function_and_derivative(ax, np.tanh, lambda x: 1 - np.tanh(x) ** 2, name="tanh") is ax
    assert legend_texts(ax) == ["tanh(x)", "tanh'(x)"]
    f_line, df_line = ax.lines[:2]
    np.testing.assert_allclose(f_line.get_xdata(), np.linspace(-5, 5, 401))
    np.testing.assert_allclose(df_line.get_ydata()[200], 1.0)  # tanh'(0)
    assert len(ax.lines) == 4  # f, f', and the axes lines at 0
    with pytest.raises(ValueError, match="df must return"):
        plots.function_and_derivative(ax, np.tanh, lambda x: 1.0)


def test_layer_histograms_one_step_density_per_layer(ax):
    rng = np.random.default_rng(0)
    acts = [rng.normal(size=(100, 5)), rng.uniform(size=(100, 5)), np.zeros((10, 3))]
    assert plots.layer_histograms(ax, acts, bins=20) is ax
    assert len(ax.patches) == 3
    assert legend_texts(ax) == ["layer 1", "layer 2", "layer 3"]
    colours = {tuple(p.get_edgecolor()) for p in ax.patches}
    assert len(colours) == 3
    plots.layer_histograms(ax, acts[:2], labels=["in", "out"])
    assert legend_texts(ax)[-2:] == ["in", "out"]
    with pytest.raises(ValueError, match="labels"):
        plots.layer_histograms(ax, acts, labels=["only one"])


def test_layer_norms_log_scale_one_line_per_name(ax):
    norms = {"sigmoid": [1.0, 0.1, 0.01], "relu": [1.0, 0.9, 0.8]}
    assert plots.layer_norms(ax, norms, title="gradient norms") is ax
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    assert legend_texts(ax) == ["sigmoid", "relu"]


def test_scatter_draws_one_collection_per_class_with_names():
    fig, ax = plt.subplots()
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    out = plots.scatter(ax, X, np.array([0, 1, 1]), class_names=("salmon", "sea bass"),
                        feature_names=("lightness", "width"))
    assert out is ax
    assert len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["salmon", "sea bass"]
    assert ax.get_xlabel() == "lightness"
    plt.close(fig)
