"""Write lib/nnlib/data/corpus.tsv: short made-up review sentences, half positive.

    python tools/make_corpus.py

Deterministic (np.random.default_rng(472)). Place names carry a ``/LOC``
suffix for the window-classification (named-entity) example. Sentiment comes
from many words, and negation ("not clean") and contrast ("... but ...") keep
any single word from deciding it.
"""
from pathlib import Path

import numpy as np

N_PER_CLASS = 175
OUT = Path(__file__).resolve().parents[1] / "lib" / "nnlib" / "data" / "corpus.tsv"

# Each domain: venues, how a visit starts ({v} venue, {p} place), things judged, and their praise/blame.
DOMAINS = {
    "hotel": dict(
        venue=["hotel", "guesthouse", "hostel", "resort", "inn"],
        visit=["we stayed at a {v} in {p}", "our {v} in {p} was near the station", "we spent three nights at a {v} in {p}"],
        noun=["room", "bed", "bathroom", "suite", "pool", "lobby", "kitchen", "corridor", "shower", "balcony"],
        pos=["clean", "spotless", "comfortable", "spacious", "quiet", "cozy", "bright", "modern"],
        neg=["dirty", "noisy", "cramped", "damp", "shabby", "smelly", "tiny", "dark"],
    ),
    "restaurant": dict(
        venue=["restaurant", "cafe", "bistro", "diner", "bakery"],
        visit=["we had dinner at a {v} in {p}", "we found a small {v} in {p}", "friends took us to a {v} in {p}"],
        noun=["food", "soup", "curry", "pasta", "dessert", "bread", "salad", "rice", "pizza", "kebab"],
        pos=["delicious", "tasty", "fresh", "hearty", "flavourful", "juicy", "rich", "authentic"],
        neg=["bland", "greasy", "stale", "salty", "soggy", "overpriced", "lukewarm", "burnt"],
    ),
    "trip": dict(
        venue=["tour", "trip", "cruise", "holiday", "getaway"],
        visit=["we booked a {v} to {p}", "we took a {v} from {p}", "my sister planned a {v} to {p}"],
        noun=["guide", "train", "flight", "bus", "ferry", "hike", "itinerary", "schedule", "transfer", "driver"],
        pos=["punctual", "relaxing", "smooth", "efficient", "enjoyable", "safe", "organised", "scenic"],
        neg=["late", "stressful", "chaotic", "exhausting", "uncomfortable", "unsafe", "disorganised", "rushed"],
    ),
    "film": dict(
        venue=["film", "movie", "documentary", "thriller", "comedy"],
        visit=["we watched a {v} set in {p}", "we saw a {v} about {p}", "at a festival in {p} we saw a {v}"],
        noun=["plot", "acting", "ending", "script", "soundtrack", "dialogue", "story", "music", "finale", "performance"],
        pos=["gripping", "moving", "clever", "funny", "original", "touching", "beautiful", "powerful"],
        neg=["boring", "predictable", "confusing", "silly", "slow", "wooden", "clumsy", "forgettable"],
    ),
}
GOOD = ["excellent", "wonderful", "lovely", "superb", "great", "fantastic", "pleasant", "brilliant"]
BAD = ["awful", "terrible", "poor", "dreadful", "disappointing", "mediocre", "horrible", "dull"]
ADVERB = ["very", "really", "quite", "truly", "rather", "incredibly", "surprisingly", "so"]
WHO = ["my wife", "my husband", "my friend", "my brother", "my mother", "my colleague", "our son", "our daughter"]
WHEN = ["last summer", "in march", "on our honeymoon", "for a weekend", "in the winter", "after a long flight"]
# Frequent places come back often; rare ones are used once each.
FREQUENT = ["paris", "london", "rome", "karachi", "islamabad", "lahore", "berlin", "tokyo", "cairo",
            "madrid", "istanbul", "lisbon", "delhi", "pakistan", "italy", "egypt"]
RARE = ["prague", "athens", "oslo", "dublin", "nairobi", "lima", "seoul", "hanoi", "bangkok", "kyoto",
        "venice", "naples", "seville", "porto", "zurich", "munich", "amsterdam", "vienna", "budapest",
        "marrakech", "beirut", "muscat", "doha", "kathmandu", "colombo", "dhaka", "peshawar", "multan",
        "quetta", "hunza", "nepal", "peru", "kenya", "morocco", "greece", "ireland", "japan", "france"]

# Judgements: {n}/{m} nouns, {a}/{b} apt praise, {x}/{y} apt blame, {g} a general word of the
# sentence's sentiment. The first two are plain (and drawn twice as often); the rest negate or contrast.
CLAUSES = {
    "pos": ["the {n} was {adv} {a}", "the {n} was {a} and the {m} was {b}", "the {n} was not {x} at all",
            "the {n} was a little {x} but the {m} was {g}", "everything was {g} and the {n} was {a}",
            "we would happily go back", "i would recommend it to anyone", "the {n} could not have been more {a}"],
    "neg": ["the {n} was {adv} {x}", "the {n} was {x} and the {m} was {y}", "the {n} was not {a} at all",
            "the {n} was {a} but the {m} was {g}", "everything was {g} and the {n} was {x}",
            "we will never go back", "i would not recommend it to anyone", "the {n} could not have been more {x}"],
}
# Sentence shapes; {c} is a general word of the opposite sentiment ("rome was dreadful but the bed was cozy").
SHAPES = ["{visit} and {clause}", "{visit} {when} and {clause}", "{clause}", "{clause}",
          "{who} and i went to {p} {when} and {clause}", "{p} was {c} but {plain}",
          "{who} flew from {p} to {p2} and {clause}", "if you are ever in {p} {advice}"]
ADVICE = {"pos": "do not miss this {v}", "neg": "stay away from this {v}"}


def pick(rng, options):
    return options[rng.integers(len(options))]


def sentence(rng, sentiment, rare):
    """One sentence; place names are drawn only for the {p} slots the shape uses."""
    d = DOMAINS[pick(rng, list(DOMAINS))]
    n, m = rng.choice(d["noun"], 2, replace=False)
    a, b = rng.choice(d["pos"], 2, replace=False)
    x, y = rng.choice(d["neg"], 2, replace=False)
    good, bad = (GOOD, BAD) if sentiment == "pos" else (BAD, GOOD)
    slots = dict(n=n, m=m, a=a, b=b, x=x, y=y, g=pick(rng, good), c=pick(rng, bad),
                 adv=pick(rng, ADVERB), who=pick(rng, WHO), when=pick(rng, WHEN), v=pick(rng, d["venue"]),
                 p="{p}", p2="{p}")  # places are filled in below
    plain = CLAUSES[sentiment][:2]
    text = pick(rng, SHAPES).format(
        visit=pick(rng, d["visit"]).format(**slots), clause=pick(rng, CLAUSES[sentiment] + plain).format(**slots),
        plain=pick(rng, plain).format(**slots), advice=ADVICE[sentiment].format(**slots), **slots)
    while "{p}" in text:  # frequent places come back; each rare one is used once
        name = rare.pop() if rare and rng.random() < 0.3 else pick(rng, FREQUENT)
        text = text.replace("{p}", name + "/LOC", 1)
    return text


def main():
    rng = np.random.default_rng(472)
    rare = [str(name) for name in rng.permutation(RARE)]
    rows, seen = [], set()
    for sentiment in ["pos", "neg"] * N_PER_CLASS:
        text = sentence(rng, sentiment, rare)
        while text in seen:
            text = sentence(rng, sentiment, rare)
        seen.add(text)
        rows.append(f"{sentiment}\t{text}")
    order = rng.permutation(len(rows))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("sentiment\tsentence\n" + "".join(rows[i] + "\n" for i in order), encoding="utf-8")
    print(f"wrote {len(rows)} sentences to {OUT}")


if __name__ == "__main__":
    main()
