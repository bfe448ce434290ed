"""Put a message into one plain form before rules read it: lower case, straight apostrophes,
Scots and text-speak spelled out, and misspellings of the words that matter corrected.

"MA BOYS BEEN LIFTED BY THE POLIS" -> "my boy's been lifted by the police".
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List

# Whole-word replacements (Scots, text speak, missing apostrophes). Keys are lower case.
SPELLED_OUT: Dict[str, str] = {
    # missing apostrophes
    "im": "i'm",
    "ive": "i've",
    "cant": "can't",
    "dont": "don't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "thats": "that's",
    "whats": "what's",
    "wheres": "where's",
    "whos": "who's",
    "theres": "there's",
    "youre": "you're",
    # text speak
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "ppl": "people",
    "2day": "today",
    "2nite": "tonight",
    "2night": "tonight",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "nite": "night",
    "b4": "before",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "bc": "because",
    "tho": "though",
    "hw": "how",
    "bk": "book",
    "bkd": "booked",
    "vst": "visit",
    "vist": "visit",
    "vsit": "visit",
    "vists": "visits",
    "hav": "have",
    "hve": "have",
    "wnt": "want",
    "cld": "could",
    "shld": "should",
    "wud": "would",
    "wat": "what",
    "wot": "what",
    "wht": "what",
    "whit": "what",
    "sum1": "someone",
    "some1": "someone",
    "sumone": "someone",
    "any1": "anyone",
    "ne1": "anyone",
    "no1": "no one",
    "evry1": "everyone",
    "every1": "everyone",
    "dnt": "don't",
    "dno": "don't know",
    "dunno": "don't know",
    "idk": "i don't know",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "kinda": "kind of",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "hubby": "husband",
    "bro": "brother",
    "sis": "sister",
    "kms": "kill myself",
    "thx": "thanks",
    "ty": "thanks",
    "asap": "as soon as possible",
    "wk": "week",
    "yr": "year",
    "yrs": "years",
    "mins": "minutes",
    "txt": "text",
    "msg": "message",
    "num": "number",
    "tel": "phone",
    "hrs": "hours",
    # Scots
    "cannae": "can't",
    "canny": "can't",
    "cannie": "can't",
    "dinnae": "don't",
    "dinny": "don't",
    "didnae": "didn't",
    "wisnae": "wasn't",
    "isnae": "isn't",
    "wasnae": "wasn't",
    "wouldnae": "wouldn't",
    "couldnae": "couldn't",
    "shouldnae": "shouldn't",
    "willnae": "won't",
    "huvnae": "haven't",
    "havnae": "haven't",
    "disnae": "doesn't",
    "wid": "would",
    "wi": "with",
    "tae": "to",
    "fae": "from",
    "frae": "from",
    "oot": "out",
    "aboot": "about",
    "noo": "now",
    "naw": "no",
    "nae": "no",
    "ken": "know",
    "wean": "child",
    "weans": "children",
    "bairn": "child",
    "bairns": "children",
    "lassie": "girl",
    "laddie": "boy",
    "polis": "police",
    "mair": "more",
    "hame": "home",
    "hoose": "house",
    "gonnae": "going to",
    "gaun": "going",
    "masel": "myself",
    "masell": "myself",
    "hissel": "himself",
    "hersel": "herself",
    "yersel": "yourself",
    "thersel": "themselves",
    "dae": "do",
    "doin": "doing",
    "dain": "doing",
    "aw": "all",
    "awfy": "very",
    "greetin": "crying",
    "da": "dad",
    "maw": "mum",
    "mam": "mum",
    "mammy": "mum",
    "mummy": "mum",
    "wee": "little",
    "ah'm": "i'm",
    "whae": "who",
    "wha": "who",
    "whaur": "where",
    "hur": "her",
    "hum": "him",
    "yous": "you",
    "youse": "you",
    "naebody": "nobody",
    "onybody": "anybody",
    "onyone": "anyone",
    "ony": "any",
    "a'll": "i'll",
    "ah'll": "i'll",
    "naewhere": "nowhere",
    "nowt": "nothing",
    "nuthin": "nothing",
    "nothin": "nothing",
    "somethin": "something",
    "anythin": "anything",
    "goin": "going",
    "gettin": "getting",
    "comin": "coming",
    "tryin": "trying",
    "lookin": "looking",
    "sayin": "saying",
    "talkin": "talking",
    "feelin": "feeling",
    "wantin": "wanting",
    "needin": "needing",
    "stayin": "staying",
    "livin": "living",
    "killin": "killing",
    "sleepin": "sleeping",
    "hittin": "hitting",
    "batterin": "battering",
    "drinkin": "drinking",
    "usin": "using",
    "jile": "jail",
    "jyle": "jail",
    "aff": "off",
    "deid": "dead",
    "dee": "die",
    "heid": "head",
    "gettin'": "getting",
    "oan": "on",
    "wan": "one",
    "fur": "for",
    "knockin": "knocking",
    "roond": "round",
    "doon": "down",
    "leatherin": "leathering",
    "leathert": "leathered",
    "bootin": "booting",
    "feart": "scared",
    "hidin": "hiding",
    "bein": "being",
    "sittin": "sitting",
    "mines": "mine",
    "wiv": "with",
    "wen": "when",
    "wer": "where",
    "wiz": "was",
    "wis": "was",
    "alky": "alcoholic",
    "bevvy": "drink",
    "bevvied": "drunk",
}

# The words rules look for, so that "prision" or "sucidal" still counts. Only words this long or
# longer are corrected, and only to a word one edit away (two for long words).
KEYWORDS = (
    "prison",
    "prisoner",
    "prisons",
    "visiting",
    "visit",
    "visits",
    "suicide",
    "suicidal",
    "remand",
    "remanded",
    "released",
    "release",
    "releasing",
    "homeless",
    "housing",
    "probation",
    "conviction",
    "convicted",
    "domestic",
    "abuse",
    "abused",
    "abusive",
    "assault",
    "assaulted",
    "raped",
    "sexual",
    "sexually",
    "harassment",
    "harassing",
    "burglary",
    "burgled",
    "victim",
    "witness",
    "disclosure",
    "criminal",
    "record",
    "sentence",
    "sentenced",
    "solicitor",
    "lawyer",
    "compensation",
    "overdose",
    "tablets",
    "myself",
    "himself",
    "herself",
    "sheriff",
    "daughter",
    "brother",
    "sister",
    "husband",
    "partner",
    "boyfriend",
    "girlfriend",
    "grandson",
    "granddaughter",
    "nephew",
    "children",
    "support",
    "helpline",
    "number",
    "accommodation",
    "benefits",
    "addiction",
    "alcohol",
    "drinking",
    "methadone",
    "heroin",
    "cocaine",
    "arrested",
    "custody",
    "police",
    "threatened",
    "threatening",
    "frightened",
    "scared",
    "danger",
    "dangerous",
    "emergency",
    "attacked",
    "attacking",
    "battered",
    "stabbed",
    "weapon",
    "knife",
    "anxiety",
    "depressed",
    "depression",
    "struggling",
    "worried",
    "mental",
    "health",
    "counselling",
    "employment",
    "training",
    "college",
    "universal",
    "credit",
    "money",
    "family",
    "families",
    "dumfries",
    "galloway",
    "ayrshire",
    "kilmarnock",
    "stranraer",
    "irvine",
    "please",
    "someone",
    "anyone",
    "nowhere",
    "tonight",
    "community",
    "payback",
    "unpaid",
    "licence",
    "tagged",
    "curfew",
    "court",
    "charged",
    "harming",
    "cutting",
    "living",
    "anymore",
    "coping",
    "cannot",
    "because",
    "probably",
    "really",
    "weekend",
    "address",
    "website",
    "opening",
    "hours",
    "phone",
    "contact",
    "letters",
    "email",
    "prisoner's",
)

TOKEN = re.compile(r"[a-z0-9']+|[^a-z0-9'\s]")


def _distance(a: str, b: str, cap: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), stopping early above `cap`."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > cap:
            return cap + 1
        previous2, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=1)
def known_words() -> FrozenSet[str]:
    """English word forms (spaCy's lookup lemmatizer tables), which are never "corrected"."""
    try:
        import spacy_lookups_data

        table = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
        lemmas: Dict[str, str] = json.loads(gzip.decompress(table.read_bytes()))
    except (ImportError, OSError, ValueError):
        lemmas = {}
    return frozenset(lemmas) | frozenset(lemmas.values()) | frozenset(SPELLED_OUT.values())


@lru_cache(maxsize=20000)
def correct(word: str) -> str:
    """A keyword this word is a likely misspelling of, else the word itself."""
    if len(word) < 5 or word in KEYWORDS or not word.isalpha() or word in known_words():
        return word
    cap = 2 if len(word) >= 8 else 1
    best, best_distance = word, cap + 1
    for keyword in KEYWORDS:
        if keyword[0] != word[0] and keyword[:2] != word[1::-1]:
            continue  # misspellings rarely change the first letter
        distance = _distance(word, keyword, cap)
        if distance < best_distance:
            best, best_distance = keyword, distance
    return best


def words(text: str) -> List[str]:
    return TOKEN.findall(text)


def normalise(text: str) -> str:
    """The message in the plain form the rules are written for."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'").replace("´", "'")
    text = re.sub(r"(\w)\1{3,}", r"\1\1", text)  # "pleeeease" -> "pleease"
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # "self-harm" -> "self harm"
    out: List[str] = []
    tokens = words(text)
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        previous = out[-1] if out else ""
        if (
            token in ("ma", "mah")
            and following[:1].isalpha()
            and previous not in ("my", "your", "his", "her", "the", "their")
        ):
            out.append("my")  # "ma boy" -> "my boy" ("my ma" stays mum)
            continue
        if token in ("ma", "mah"):
            out.append("mum")
            continue
        if token == "ah" and following in (
            "need",
            "cannae",
            "can't",
            "am",
            "want",
            "dinnae",
            "don't",
            "wis",
            "was",
            "have",
            "huv",
            "just",
            "feel",
            "think",
            "cant",
            "dont",
            "know",
            "ken",
            "got",
            "will",
        ):
            out.append("i")
            continue
        if token == "aye":
            out.append(
                "yes" if not previous or not previous[0].isalpha() else "always"
            )  # "he's aye at it": always
            continue
        if token == "am" and following in (
            "gonnae",
            "going",
            "no",
            "nae",
            "gonna",
            "just",
            "that",
            "so",
            "pure",
            "gettin",
            "getting",
            "being",
            "in",
            "at",
            "scared",
            "feart",
            "greetin",
            "crying",
            "sittin",
            "sitting",
            "stuck",
            "locked",
            "hidin",
            "hiding",
            "bein",
        ):
            out.append("i'm")
            continue
        if token.endswith("'s") and token[:-2] in ("ma", "mah"):
            out.append("my")
            continue
        replacement = SPELLED_OUT.get(token)
        if replacement is None and token.endswith("in") and len(token) > 4 and token + "g" in known_words():
            replacement = token + "g"  # "batterin" -> "battering", "greetin" -> "greeting"
        if replacement is not None:
            out.append(replacement)
        elif token.isalpha():
            out.append(correct(token))
        else:
            out.append(token)
    joined = " ".join(out)
    joined = re.sub(r" ([,.!?;:)])", r"\1", joined)
    joined = re.sub(r"\b(\w+) ' s\b", r"\1's", joined)
    return re.sub(r"\s+", " ", joined).strip()


def any_of(words_: Iterable[str]) -> str:
    """A regex alternative of whole words or phrases."""
    return (
        r"(?:"
        + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words_), key=len, reverse=True))
        + r")"
    )
