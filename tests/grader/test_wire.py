"""nngrader.sandbox.protocol: plain data round-trips exactly (values, dtypes, generator streams); anything
else is refused with a WireError, on encoding and on decoding; frames on a pipe keep
their boundaries and fail with TimeoutError, EOFError or WireError as documented."""

import base64
import builtins
import io
import json
import os
import struct
import time
from collections import OrderedDict, namedtuple

import numpy as np
import pytest

from nngrader.sandbox import protocol
from nngrader.sandbox.protocol import WireError, decode, encode


def roundtrip(value):
    """Through JSON text too, as across the sandbox boundary."""
    return decode(json.loads(json.dumps(encode(value))))


@pytest.fixture
def pipe():
    r, w = os.pipe()
    ends = {"r": r, "w": w}
    yield ends
    for fd in ends.values():
        try:
            os.close(fd)
        except OSError:
            pass


def test_plain_values_roundtrip_with_their_types():
    value = {"n": 3, "x": -0.25, "s": "héllo", "none": None, "flag": True, "z": 1 - 2j,
             7: [1, (2.5, "b")], (1, "k"): {"inner": []}, "inf": float("inf")}
    back = roundtrip(value)
    assert back == value
    assert type(back[7][1]) is tuple and type(back[7]) is list
    assert back["flag"] is True and type(back["n"]) is int


def test_float_is_not_turned_into_int_and_nan_survives():
    back = roundtrip([1.0, float("nan")])
    assert type(back[0]) is float
    assert np.isnan(back[1])


@pytest.mark.parametrize("array", [
    np.arange(6, dtype=np.float32).reshape(2, 3),
    np.arange(12.0).reshape(3, 4).T[::2],          # not contiguous
    np.array([1, 2], dtype=">i2"),
    np.array([True, False]),
    np.array(["ab", "c"]),
    np.array([1 + 1j], dtype=np.complex64),
    np.array(5.0),                                 # 0-d stays an array
    np.zeros((0, 3), dtype=np.uint8),
], ids=["float32", "strided", "big-endian", "bool", "str", "complex64", "0-d", "empty"])
def test_array_roundtrip_keeps_values_shape_and_dtype(array):
    back = roundtrip(array)
    assert type(back) is np.ndarray
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_numpy_scalars_keep_their_type():
    for scalar in (np.float32(1.5), np.int8(-3), np.bool_(True), np.complex128(2j)):
        back = roundtrip(scalar)
        assert type(back) is type(scalar) and back == scalar


def test_subclasses_cross_as_plain_containers():
    Point = namedtuple("Point", "x y")
    back = roundtrip([Point(1, 2), OrderedDict(a=1)])
    assert type(back[0]) is tuple and back[0] == (1, 2)
    assert type(back[1]) is dict and back[1] == {"a": 1}


@pytest.mark.parametrize("name", sorted(protocol.GENERATORS))
def test_generator_roundtrip_continues_the_same_stream(name):
    rng = np.random.Generator(protocol.GENERATORS[name](seed=472))
    rng.standard_normal(3)            # not at the start of its stream
    copy = roundtrip(rng)
    assert copy is not rng and type(copy.bit_generator).__name__ == name
    np.testing.assert_array_equal(copy.standard_normal(5), rng.standard_normal(5))
    assert copy.integers(1 << 60) == rng.integers(1 << 60)


@pytest.mark.parametrize("value, words", [
    (np.array([object()], dtype=object), "dtype object"),
    (np.zeros(2, dtype=[("a", "f8")]), "cannot be checked"),
    (np.datetime64("2024-01-01"), "datetime64"),
    (object(), "object cannot be sent"),
    (b"bytes", "bytes cannot be sent"),
    ({"W": lambda x: x}, "function cannot be sent"),
])
def test_encode_refuses_what_is_not_plain_data(value, words):
    with pytest.raises(WireError, match=words):
        encode(value)


def test_other_objects_go_to_on_other_but_dict_keys_never_do():
    thing = object()
    seen = []
    tree = encode({"f": thing, "n": 1}, on_other=lambda obj: seen.append(obj) or {"$r": 7})
    assert seen == [thing]
    assert decode(tree, on_ref=lambda node: ("ref", node["$r"])) == {"f": ("ref", 7), "n": 1}
    with pytest.raises(WireError):
        encode({thing: 1}, on_other=lambda obj: {"$r": 1})


def test_decode_refuses_a_reference_without_on_ref():
    with pytest.raises(WireError):
        decode({"$r": 1})


def test_encode_and_decode_refuse_deep_nesting():
    deep = []
    for _ in range(protocol.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(WireError, match="nested too deeply"):
        encode(deep)
    with pytest.raises(WireError, match="nested too deeply"):
        decode(deep)            # a list of lists is also a valid tree, but too deep


def _npy(array, **kwargs):
    buffer = io.BytesIO()
    np.save(buffer, array, **kwargs)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize("tree", [
    {"$a": "not base64"},
    {"$a": _npy(np.array([None, 1], dtype=object), allow_pickle=True)},
    {"$a": _npy(np.zeros(2, dtype=[("a", "f8")]))},
    {"$a": 5},
    {"$s": _npy(np.arange(2.0))},                     # a scalar that is not 0-d
    {"$x": 1},
    {"$t": [1], "$d": []},
    {"$t": "abc"},
    {"$d": [[1]]},
    {"$d": [[[1], 2]]},                               # unhashable key
    {"$c": 1},
    {"$c": [1.0]},
    {"$c": ["a", "b"]},
    {"$g": {"$d": [["bit_generator", "Evil"]]}},
    {"$g": {"$d": [["bit_generator", "PCG64"], ["state", 3]]}},
    (1, 2),                                           # not a JSON type
], ids=repr)
def test_decode_refuses_malformed_trees(tree):
    with pytest.raises(WireError):
        decode(tree)


class _RunsCodeWhenUnpickled:
    def __reduce__(self):
        return exec, ("import builtins; builtins._nnlib_unpickled = True",)


def test_decode_never_unpickles():
    tree = {"$a": _npy(np.array([_RunsCodeWhenUnpickled()], dtype=object), allow_pickle=True)}
    with pytest.raises(WireError):
        decode(tree)
    assert not hasattr(builtins, "_nnlib_unpickled"), "decoding ran code from a pickle"


def test_frames_keep_their_boundaries(pipe):
    first = {"op": "call", "args": encode([np.eye(2, dtype=np.float32), 0.5])}
    protocol.write_frame(pipe["w"], first)
    protocol.write_frame(pipe["w"], {"op": "done"})
    message = protocol.read_frame(pipe["r"], time.monotonic() + 5)
    W, lr = decode(message["args"])
    assert W.dtype == np.float32 and lr == 0.5
    np.testing.assert_array_equal(W, np.eye(2))
    assert protocol.read_frame(pipe["r"], time.monotonic() + 5) == {"op": "done"}


def test_read_frame_times_out_when_nothing_comes(pipe):
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        protocol.read_frame(pipe["r"], start + 0.2)
    assert time.monotonic() - start >= 0.19


def test_read_frame_raises_eof_when_the_writer_closed(pipe):
    os.write(pipe["w"], struct.pack(">I", 10) + b"{}")     # a frame cut short
    os.close(pipe["w"])
    with pytest.raises(EOFError):
        protocol.read_frame(pipe["r"], time.monotonic() + 5)
    with pytest.raises(EOFError):
        protocol.read_frame(pipe["r"])


@pytest.mark.parametrize("body", [b"[1, 2]", b"{not json", b"\xff\xfe", b"[" * 50_000],
                         ids=["not-a-dict", "bad-json", "bad-utf8", "too-deep"])
def test_read_frame_refuses_malformed_frames(pipe, body):
    os.write(pipe["w"], struct.pack(">I", len(body)) + body)
    with pytest.raises(WireError):
        protocol.read_frame(pipe["r"], time.monotonic() + 5)


def test_frames_larger_than_the_limit_are_refused(pipe, monkeypatch):
    os.write(pipe["w"], struct.pack(">I", protocol.MAX_FRAME_BYTES + 1))
    with pytest.raises(WireError, match="larger than the limit"):
        protocol.read_frame(pipe["r"], time.monotonic() + 5)   # refused before reading the body
    monkeypatch.setattr(protocol, "MAX_FRAME_BYTES", 100)
    with pytest.raises(WireError, match="larger than the limit"):
        protocol.write_frame(pipe["w"], {"x": "a" * 200})
