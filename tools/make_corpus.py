"""Write lib/nnlib/data/corpus.tsv: short made-up review sentences, half positive.

    python tools/make_corpus.py

Deterministic (np.random.default_rng(472)). Place names carry a ``/LOC``
suffix for the window-classification (named-entity) example.

The corpus is meant to be *honest*: a bag-of-words classifier must not solve it.
Each sentence's judgement is one of five kinds (for both sentiments alike):

- plain ("the room was very clean"): the words decide;
- negated ("the room was not clean"): "not" flips the adjective after it, and
  negated praise and negated blame are equally common, so neither "not" nor
  the adjective decides alone (an XOR of two words, as in notebook 01);
- contrast ("the room was dirty but the staff were lovely", "although ..."):
  the clause after "but" (the main clause beside "although") decides, so the
  same bag of words occurs with both labels: only word order tells them apart;
- rare ("the curry was sublime"): the only opinion word is seen once in the
  whole corpus, so a model must guess or read the context;
- mixed ("the bed was cozy and the shower was damp, overall it was dreadful"):
  both kinds of adjective, and a closing verdict decides.

Places that are also ordinary words ("nice", "turkey", "bath", "reading",
"china") or people's names ("jordan", "sydney", "florence") appear both as
places (tagged) and as non-places (not tagged), and places stand in many
contexts, so place-name tagging needs the context too.
"""
from pathlib import Path

import numpy as np

N_PER_CLASS = 200
OUT = Path(__file__).resolve().parents[1] / "lib" / "nnlib" / "data" / "corpus.tsv"

# Each domain: venues, how a visit starts ({v} venue, {p} place), things judged, and their praise/blame.
DOMAINS = {
    "hotel": dict(
        venue=["hotel", "guesthouse", "hostel", "resort", "inn"],
        visit=["we stayed at a {v} in {p}", "our {v} in {p} was near the station", "we spent three nights at a {v} in {p}"],
        noun=["room", "bed", "bathroom", "suite", "pool", "lobby", "bath", "corridor", "shower", "balcony"],
        pos=["clean", "comfortable", "spacious", "quiet", "cozy"],
        neg=["dirty", "noisy", "cramped", "damp", "shabby"],
    ),
    "restaurant": dict(
        venue=["restaurant", "cafe", "bistro", "diner", "bakery"],
        visit=["we had dinner at a {v} in {p}", "we found a small {v} in {p}", "friends took us to a {v} in {p}"],
        noun=["food", "soup", "curry", "turkey", "dessert", "bread", "china", "rice", "pizza", "kebab"],
        pos=["delicious", "tasty", "fresh", "hearty", "authentic"],
        neg=["bland", "greasy", "stale", "salty", "overpriced"],
    ),
    "trip": dict(
        venue=["tour", "trip", "cruise", "holiday", "getaway"],
        visit=["we booked a {v} to {p}", "we took a {v} from {p}", "my sister planned a {v} to {p}"],
        noun=["guide", "train", "flight", "bus", "ferry", "hike", "itinerary", "schedule", "transfer", "driver"],
        pos=["punctual", "relaxing", "smooth", "efficient", "scenic"],
        neg=["late", "stressful", "chaotic", "exhausting", "rushed"],
    ),
    "film": dict(
        venue=["film", "movie", "documentary", "thriller", "comedy"],
        visit=["we watched a {v} set in {p}", "we saw a {v} about {p}", "at a festival in {p} we saw a {v}"],
        noun=["plot", "acting", "ending", "script", "soundtrack", "dialogue", "story", "music", "finale", "performance"],
        pos=["gripping", "moving", "clever", "funny", "beautiful"],
        neg=["boring", "predictable", "confusing", "silly", "slow"],
    ),
}
GOOD = ["excellent", "wonderful", "lovely", "superb", "great", "fantastic", "pleasant", "nice"]
BAD = ["awful", "terrible", "poor", "dreadful", "disappointing", "mediocre", "horrible", "dull"]
# Opinion words used once each in the whole corpus (the "rare" sentences).
RARE_WORDS = {
    "pos": ["sublime", "immaculate", "exquisite", "heavenly", "impeccable", "marvellous", "splendid",
            "stellar", "divine", "flawless", "charming", "dazzling", "glorious", "terrific", "outstanding",
            "memorable", "delightful", "gorgeous", "magnificent", "idyllic", "enchanting", "faultless"],
    "neg": ["abysmal", "atrocious", "ghastly", "appalling", "grim", "grubby", "squalid", "dismal", "dire",
            "woeful", "shoddy", "lousy", "rancid", "filthy", "tedious", "sloppy", "pathetic", "revolting",
            "horrid", "miserable", "dingy", "insipid"],
}
ADVERB = ["very", "really", "quite", "truly", "rather", "incredibly", "surprisingly", "so"]
# Place names that are also people's names: as a person they are not tagged.
NAMES = ["jordan", "sydney", "florence", "victoria", "georgia", "chad"]
WHO = ["my wife", "my husband", "my brother", "my mother", "my colleague", "our son", "our daughter",
       "my friend {name}", "our guide {name}", "{name} from work"]
WHEN = ["last summer", "in march", "on our honeymoon", "for a weekend", "in the winter", "after a long flight",
        "after reading the reviews", "with {name}"]
# Frequent places come back often; rare ones are used once each; ambiguous ones are also ordinary words.
FREQUENT = ["paris", "london", "rome", "karachi", "islamabad", "lahore", "berlin", "tokyo", "cairo",
            "madrid", "istanbul", "lisbon", "delhi", "pakistan", "italy", "egypt"]
AMBIGUOUS = ["nice", "turkey", "bath", "reading", "china", *NAMES]
RARE = ["prague", "athens", "oslo", "dublin", "nairobi", "lima", "seoul", "hanoi", "bangkok", "kyoto",
        "venice", "naples", "seville", "porto", "zurich", "munich", "amsterdam", "vienna", "budapest",
        "marrakech", "beirut", "muscat", "doha", "kathmandu", "colombo", "dhaka", "peshawar", "multan",
        "quetta", "hunza", "nepal", "peru", "kenya", "morocco", "greece", "ireland", "japan", "france"]

# Judgements: {n}/{m} nouns; {a}/{b} apt words of the sentence's sentiment, {x}/{y} of the opposite one;
# {g} a general word of the sentence's sentiment, {c} one of the opposite; {r} a rare word of the sentiment.
JUDGEMENTS = {
    "plain": ["the {n} was {adv} {a}", "the {n} was {a} and the {m} was {b}", "the {n} was {a}",
              "everything was {g} and the {n} was {a}", "the {n} felt {adv} {a}",
              "{recommend} because the {n} was {a}"],
    "negated": ["the {n} was not {x}", "the {n} was not {adv} {x}", "the {n} was never {x}",
                "i would not call the {n} {x}", "the {n} was {g} and the {m} was not {x}",
                "the {n} was not {x} and overall it was not {c}"],
    "contrast": ["the {n} was {x} but the {m} was {a}", "the {n} was {adv} {x} but the {m} was {adv2} {a}",
                 "although the {n} was {x} the {m} was {a}", "the {m} was {a} although the {n} was {x}",
                 "the {n} was {c} but the {m} was {g}"],
    "rare": ["the {n} was {adv} {r}", "the {n} was {r}", "honestly the {n} was {r}"],
    "mixed": ["the {n} was {a} and the {m} was {x} and overall it was {g}",
              "the {n} was {x} and the {m} was {a} and overall it was {g}"],
}
# How often each kind occurs; negation is commoner in negative reviews ("not clean"), as in real ones.
KINDS = {"pos": {"plain": 0.66, "negated": 0.08, "contrast": 0.10, "rare": 0.08, "mixed": 0.08},
         "neg": {"plain": 0.60, "negated": 0.14, "contrast": 0.10, "rare": 0.08, "mixed": 0.08}}

# Sentence shapes; places stand in many contexts, not only after "in" / "to" / "from".
SHAPES = ["{visit} and {judgement}", "{visit} {when} and {judgement}", "{judgement}", "{judgement}",
          "{who} and i went to {p} {when} and {judgement}", "{who} flew from {p} to {p2} and {judgement}",
          "in {p} {judgement}", "we loved {p} and {judgement}", "back home from {p} {who} said {judgement}",
          "{who} recommended this {v} and {judgement}"]


def pick(rng, options):
    return str(options[rng.integers(len(options))])


def kind_of(rng, sentiment):
    names = list(KINDS[sentiment])
    return names[rng.choice(len(names), p=[KINDS[sentiment][k] for k in names])]


def sentence(rng, sentiment, rare_places, rare_words):
    """One sentence of the given sentiment; place names are drawn only for the {p} slots used."""
    d = DOMAINS[pick(rng, list(DOMAINS))]
    other = "neg" if sentiment == "pos" else "pos"
    n, m = rng.choice(d["noun"], 2, replace=False)
    a, b = rng.choice(d[sentiment], 2, replace=False)
    x, y = rng.choice(d[other], 2, replace=False)
    good, bad = (GOOD, BAD) if sentiment == "pos" else (BAD, GOOD)
    kind = kind_of(rng, sentiment)
    if kind == "rare" and not rare_words[sentiment]:
        kind = "plain"
    name = pick(rng, NAMES)
    slots = dict(n=n, m=m, a=a, b=b, x=x, y=y, g=pick(rng, good), c=pick(rng, bad),
                 r=rare_words[sentiment].pop() if kind == "rare" else "",
                 recommend="i would recommend it" if sentiment == "pos" else "i would not recommend it",
                 adv=pick(rng, ADVERB), adv2=pick(rng, ADVERB), v=pick(rng, d["venue"]),
                 who=pick(rng, WHO).format(name=name), when=pick(rng, WHEN).format(name=name),
                 p="{p}", p2="{p}")  # places are filled in below
    shape = pick(rng, SHAPES)
    text = shape.format(visit=pick(rng, d["visit"]).format(**slots),
                        judgement=pick(rng, JUDGEMENTS[kind]).format(**slots), **slots)
    while "{p}" in text:  # frequent places come back; each rare one is used once
        u = rng.random()
        place = rare_places.pop() if rare_places and u < 0.2 else pick(rng, AMBIGUOUS if u < 0.45 else FREQUENT)
        text = text.replace("{p}", place + "/LOC", 1)
    return text


def main():
    rng = np.random.default_rng(472)
    rare_places = [str(name) for name in rng.permutation(RARE)]
    rare_words = {s: [str(w) for w in rng.permutation(words)] for s, words in RARE_WORDS.items()}
    rows, seen = [], set()
    for sentiment in ["pos", "neg"] * N_PER_CLASS:
        text = sentence(rng, sentiment, rare_places, rare_words)
        while text in seen:
            text = sentence(rng, sentiment, rare_places, rare_words)
        seen.add(text)
        rows.append(f"{sentiment}\t{text}")
    order = rng.permutation(len(rows))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("sentiment\tsentence\n" + "".join(rows[i] + "\n" for i in order), encoding="utf-8")
    print(f"wrote {len(rows)} sentences to {OUT}")


if __name__ == "__main__":
    main()
