"""nnlib.text: tokenizing, the vocabulary, bags of words and word windows."""
import numpy as np
import pytest

from nnlib.text import PAD, UNK, Vocabulary, bag_of_words, tokenize, word_windows


@pytest.mark.parametrize("text, tokens", [
    ("The hotel in Paris was LOVELY!", ["the", "hotel", "in", "paris", "was", "lovely"]),
    ("Don't stop; it's rock'n'roll.", ["don't", "stop", "it's", "rock'n'roll"]),
    ("'quoted' words' and 'tis", ["quoted", "words", "and", "tis"]),
    ("hello,world--again...  x", ["hello", "world", "again", "x"]),
    ("C3PO has 2 arms & 10 fingers", ["c3po", "has", "2", "arms", "10", "fingers"]),
    ("snake_case tab\tnew\nline", ["snake", "case", "tab", "new", "line"]),
    ("paris/LOC rome/loc", ["paris", "loc", "rome", "loc"]),
    ("Naïve CAFÉ", ["naïve", "café"]),
    ("it\u2019s curly", ["it's", "curly"]),
    ("", []),
    ("  ?! ' -- ", []),
])
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_tokenize_rejects_non_strings():
    with pytest.raises(TypeError, match="text must be a str"):
        tokenize(["a", "list"])


@pytest.fixture
def vocab():
    return Vocabulary.build([["b", "a", "c", "a"], ["c", "a", "d"], ["e", "d"]])


def test_vocabulary_order_frequency_then_alphabet(vocab):
    # counts: a 3, c 2, d 2, b 1, e 1
    assert vocab.tokens == [PAD, UNK, "a", "c", "d", "b", "e"]
    assert len(vocab) == 7
    assert [vocab.index(t) for t in (PAD, UNK, "a", "c", "d", "b", "e")] == list(range(7))
    assert Vocabulary.build([["e", "d"], ["c", "a", "d"], ["b", "a", "c", "a"]]).tokens == vocab.tokens


def test_vocabulary_min_count_and_unknown_tokens():
    vocab = Vocabulary.build([["a", "a", "b", "c", "c"]], min_count=2)
    assert vocab.tokens == [PAD, UNK, "a", "c"]
    assert "a" in vocab and "b" not in vocab and PAD in vocab
    assert vocab.index("b") == vocab.index("never seen") == 1
    ids = vocab.encode(["c", "b", "a"])
    assert ids.dtype == np.int64 and ids.shape == (3,)
    np.testing.assert_array_equal(ids, [3, 1, 2])
    assert vocab.decode(ids) == ["c", UNK, "a"]
    assert vocab.encode([]).shape == (0,) and vocab.encode([]).dtype == np.int64


def test_vocabulary_does_not_count_special_tokens_twice():
    vocab = Vocabulary.build([[PAD, UNK, "x", PAD]])
    assert vocab.tokens == [PAD, UNK, "x"]


def test_vocabulary_tokens_is_a_copy(vocab):
    vocab.tokens.append("zzz")
    assert "zzz" not in vocab.tokens and len(vocab) == 7


@pytest.mark.parametrize("call, error, match", [
    (lambda: Vocabulary.build(["a sentence", "not tokenized"]), TypeError, r"token_lists\[0\] must be a list of str"),
    (lambda: Vocabulary.build("abc"), TypeError, "got a single str"),
    (lambda: Vocabulary.build([["a", 1]]), TypeError, r"token_lists\[0\]"),
    (lambda: Vocabulary.build([["a"]], min_count=0), ValueError, "min_count must be an integer >= 1"),
    (lambda: Vocabulary(["a", "b"]), ValueError, "must start with"),
    (lambda: Vocabulary([PAD, UNK, "a", "a"]), ValueError, "distinct"),
])
def test_vocabulary_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_decode_and_encode_bad_arguments(vocab):
    with pytest.raises(ValueError, match=r"ids must lie in 0\.\.6"):
        vocab.decode([0, 7])
    with pytest.raises(ValueError, match="ids must be a 1-D sequence of integers"):
        vocab.decode([1.5])
    with pytest.raises(TypeError, match="tokenize it first"):
        vocab.encode("a c")


def test_bag_of_words_counts(vocab):
    counts = bag_of_words([["a", "a", "zz", "e"], [], ["c", "yy", "xx", "a"]], vocab)
    assert counts.shape == (3, 7) and counts.dtype == np.float64
    np.testing.assert_array_equal(counts, [
        # pad unk a  c  d  b  e
        [0, 1, 2, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 2, 1, 1, 0, 0, 0],
    ])


def test_word_windows_padding_and_labels(vocab):
    tokens = [["a", "in", "b"], ["e"]]
    tags = [["O", "O", "LOC"], ["LOC"]]
    ids, labels = word_windows(tokens, tags, vocab, half_width=2)
    assert ids.shape == (4, 5) and ids.dtype == np.int64
    assert labels.shape == (4,) and labels.dtype == np.int64
    # a=2, in=UNK=1, b=5, e=6, PAD=0; windows do not cross sentences
    np.testing.assert_array_equal(ids, [
        [0, 0, 2, 1, 5],
        [0, 2, 1, 5, 0],
        [2, 1, 5, 0, 0],
        [0, 0, 6, 0, 0],
    ])
    np.testing.assert_array_equal(labels, [0, 0, 1, 1])


def test_word_windows_other_width_and_tag(vocab):
    ids, labels = word_windows([["c", "d", "a"], []], [["PER", "O", "O"], []], vocab,
                               half_width=1, positive_tag="PER")
    np.testing.assert_array_equal(ids, [[0, 3, 4], [3, 4, 2], [4, 2, 0]])
    np.testing.assert_array_equal(labels, [1, 0, 0])
    ids, labels = word_windows([["a"]], [["O"]], vocab, half_width=0)
    assert ids.tolist() == [[2]] and labels.tolist() == [0]
    ids, labels = word_windows([], [], vocab)
    assert ids.shape == (0, 5) and labels.shape == (0,) and ids.dtype == labels.dtype == np.int64


def test_word_windows_bad_arguments(vocab):
    with pytest.raises(ValueError, match="same length"):
        word_windows([["a"]], [], vocab)
    with pytest.raises(ValueError, match=r"token_lists\[0\] has 2 tokens but tag_lists\[0\] has 1 tags"):
        word_windows([["a", "b"]], [["O"]], vocab)
    with pytest.raises(ValueError, match="half_width must be an integer >= 0"):
        word_windows([["a"]], [["O"]], vocab, half_width=-1)
