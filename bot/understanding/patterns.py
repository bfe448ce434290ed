"""The rules that read who needs help, with what, and whether someone is in crisis.

Every pattern runs on normalised text (see normalise.py): lower case, Scots and text speak spelled
out, keywords' misspellings corrected. Patterns match whole words only. They are written from how
people describe these situations, not from any test sentence.
"""
from __future__ import annotations

import re
from typing import Dict, List, Pattern, Tuple

from bot.understanding.normalise import any_of


def _compile(*parts: str) -> Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# ---------------------------------------------------------------- people and places in a story
RELATIVE = any_of((
    "son", "sons", "daughter", "daughters", "boy", "boys", "girl", "lass", "child", "children", "kid", "kids",
    "brother", "brothers", "sister", "sisters", "dad", "father", "mum", "mother", "mom", "husband", "wife",
    "partner", "boyfriend", "girlfriend", "fiance", "fiancee", "fiancé", "uncle", "aunt", "auntie", "aunty",
    "cousin", "nephew", "niece", "gran", "granny", "grandma", "grandmother", "grandad", "grandpa", "grandfather",
    "grandson", "granddaughter", "grandchild", "grandkid", "family", "friend", "pal", "mate", "best friend",
    "man", "fella", "other half", "stepson", "stepdaughter", "stepdad", "stepmum", "step dad", "step mum",
    "step son", "step daughter", "ex", "husband's", "son in law", "daughter in law", "brother in law",
    "sister in law", "loved one", "youngest", "eldest", "oldest", "twin", "twins", "baby father", "baby's dad",
    "kids dad", "kids' dad", "children's dad", "children's father", "flatmate", "neighbour", "relative", "relatives",
    "parent", "parents", "mum and dad", "grandparent", "grandparents", "carer", "foster son", "foster daughter",
    "adopted son", "adopted daughter", "young one", "young yin", "boy friend", "girl friend", "lad", "laddie", "son's",
))
POSSESSIVE = r"(?:my|our|me|his|her|their|the|a|your)"
SOMEONE_CLOSE = rf"\b{POSSESSIVE}\s+(?:little\s+|younger\s+|older\s+|big\s+|best\s+|eldest\s+|youngest\s+)?{RELATIVE}\b"
THIRD_PERSON = rf"(?:{SOMEONE_CLOSE}|\b(?:he|she|they|him|her|them|he's|she's|they're|someone i love|somebody i love)\b)"
FIRST_PERSON = r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself|mine)\b"

PRISON_WORDS = any_of((
    "prison", "prisons", "jail", "jails", "gaol", "inside", "the nick", "nick", "locked up", "banged up", "behind bars",
    "custody", "remand", "remanded", "on remand", "hmp", "yoi", "young offenders", "polmont", "barlinnie", "the bar l",
    "bar l", "bar-l", "kilmarnock prison", "bowhouse", "sentence", "sentenced", "jailed", "imprisoned", "serving",
    "doing time", "time inside", "the jail", "cell", "prisoner", "detained", "police station", "the cells",
))
JUSTICE_EVENT = any_of((
    "arrested", "lifted", "huckled", "charged", "lifted by the police", "taken in", "taken away", "taken down",
    "picked up by the police", "in court", "at court", "court case", "up in court", "appeared in court", "convicted",
    "found guilty", "pled guilty", "pleaded guilty", "got the jail", "got jail", "got time", "got years",
    "got \\d+ (?:years|months|weeks)", "got \\w+ (?:years|months)", "sent down", "sent to prison", "put away",
    "remanded", "on remand", "in custody", "in prison", "in jail", "in the jail", "inside", "on bail", "bailed",
    "on licence", "on license", "recalled", "tagged", "on a tag", "on tag", "curfew", "on probation",
    "community payback", "unpaid work", "cpo", "doing time", "serving", "due in court", "going to court",
    "first appearance", "trial", "sheriff court", "high court", "the fiscal", "procurator fiscal", "criminal record",
    "offending", "offence", "crime he", "crime she", "been done for", "got done for", "done for", "jailed",
    "in trouble with the police", "police station", "in the cells", "locked up", "banged up", "in the nick",
))
RELEASE_WORDS = any_of((
    "released", "release", "releasing", "getting out", "get out", "gets out", "got out", "coming out", "come out",
    "comes out", "came out", "just out", "liberated", "liberation", "out of prison", "out of jail", "out the jail",
    "out of the jail", "leaving prison", "leave prison", "leaving jail", "leave jail", "left prison", "left jail",
    "release date", "due out", "out on licence", "out on license", "home detention curfew", "hdc", "early release",
    "let out", "been let out", "on licence", "on license", "walked out", "gate",
))
# Someone who may have been harmed (as victim or witness).
VICTIM_EVENT = any_of((
    "attacked", "assaulted", "robbed", "mugged", "burgled", "burglary", "broken into", "break in", "break-in",
    "stabbed", "battered", "beaten up", "beat up", "punched", "jumped", "hit", "hurt", "kicked", "harassed",
    "stalked", "threatened", "intimidated", "scammed", "defrauded", "conned", "vandalised", "smashed",
    "abused", "bullied", "targeted", "raped", "sexually assaulted", "groped", "touched", "set upon", "slashed",
    "glassed", "headbutted", "strangled", "choked", "shot", "run over", "knocked down", "vandalized",
))
VICTIM_WORDS = any_of((
    "victim", "victims", "a victim", "victim of crime", "victim support", "witness", "witnesses", "a witness",
    "give evidence", "giving evidence", "cited", "citation", "the accused", "the person who hurt me",
    "the man who hurt me", "the guy who hurt me", "the guy that battered me", "the one who attacked me",
    "the person that attacked me", "my attacker", "my abuser", "the perpetrator", "the offender",
    "crime against me", "crime was committed against", "reported a crime", "reported it to the police",
    "reporting a crime", "report a crime", "victim statement", "impact statement",
))

# ---------------------------------------------------------------- crisis
_SELF = r"(?:myself|my self|my own life|masel)"
_OTHER_SELF = r"(?:himself|herself|themselves|themself|theirself|his own life|her own life|their own life|his life|her life|their life)"
SUICIDAL_FIRST = _compile(
    rf"\b(?:kill|killing|hurt|hurting|harm|harming|hang|hanging|drown|drowning|cut|cutting|burn|burning|top|topping|end|ending|off|offing|do|doing|starve|starving|poison|poisoning|shoot|shooting|destroy|destroying)\s+{_SELF}\b(?!\s+(?:laughing|out|up|in the|a favour))",
    r"\bdo myself in\b",
    r"\bsuicid(?:e|al)\b(?!\s+(?:prevention|statistics|rates?|rate|figures|policy|risk assessment|watch|awareness|training))",
    r"\b(?:want|wanting|wanna|going|planning|plan|plans|thinking|think|thought|thoughts|feel like|ready|decided|deciding|tempted|trying|tried|attempting|attempted)\s+(?:to\s+|about\s+|of\s+)?(?:die|dying|be dead|not be here|not exist|not wake up|end it|end it all|end things|end everything|end my life|take my life|take my own life|kill myself|disappear for good|jump|jumping|overdose|overdosing)\b",
    r"\b(?:end|ending|end it|ending it)\s+(?:it\s+)?all\b", r"\bend my life\b", r"\b(?:take|taking|took) my (?:own )?life\b",
    r"\bin case (?:i'm|i am|im) (?:not here|gone|dead)\b",
    r"\b(?:not|never) (?:going to|gonna) be (?:around|here|alive)\b", r"\b(?:won't|will not|wont) be (?:around|here) (?:to see|when|for)\b",
    r"\b(?:said|say|saying|made) (?:all )?my goodbyes\b", r"\b(?:sorted|sorting|written|writing|made|making)\b.{0,30}\b(?:who gets my|my will|letters? (?:for|to) my (?:kids|children|family|daughter|son))\b",
    r"\b(?:giving|given|gave) (?:away )?(?:all )?(?:my|his|her|their) (?:stuff|things|belongings)(?: away)?\b",
    r"\b(?:scared|afraid|frightened|worried) (?:of )?what (?:i'll|i will|i might|i'd) do to myself\b",
    r"\b(?:tell|give) my (?:daughter|son|kids|children|mum|dad|family|wife|husband|partner) (?:i loved|i love|i'm sorry|im sorry)\b",
    r"\b(?:doing|do) (?:us|everyone|them|you) (?:all )?a favour if (?:i|he|she|they) (?:wasn't|weren't|was not|were not|didn't|wasnt) (?:here|around|alive|exist)\b",
    r"\bsee (?:yous|you|ya|y'all) on the other side\b", r"\bwants? to be with (?:my|her|his|our) (?:late |dead )?\w+\b(?=.*\b(?:died|dead|passed|lost|killed)\b)", r"\b(?:won't|will not|wont|not going to) be (?:here|around|alive) (?:tomorrow|much longer|for much longer|by|after|anymore|any more)\b",
    r"\b(?:i'm|i am) at breaking point\b(?=.*\b(?:life|die|end|kill|myself|can't)\b)",
    r"\bending (?:it|things|my life)\b", r"\bend (?:it|things) tonight\b",
    r"\b(?:i|i'd|i would|i just|i really)\s+(?:rather|prefer to)\s+(?:be\s+)?(?:dead|die)\b",
    r"\b(?:wish|wished)\s+(?:i was|i were|i'd|i could be|to be)\s+(?:dead|never born|gone|not here|not alive)\b",
    r"\bwish i (?:could )?(?:die|disappear|never wake up|not wake up|wasn't here|was not here|wasn't alive|didn't exist)\b",
    r"\b(?:don't|do not|dont)\s+want\s+to\s+(?:be here|be alive|live|exist|wake up|go on|carry on|keep going|be around)\b",
    r"\bnot (?:wake|waking) up\b", r"\bnever wake up\b", r"\b(?:don't|dont|won't|wont|do not|will not) wake up\b", r"\bgo to sleep (?:and|n) (?:not|never) wake\b",
    r"\b(?:better off|be better)\s+(?:dead|without me|if i (?:was|were) (?:gone|dead|not here))\b",
    r"\bno (?:point|reason) (?:in )?(?:living|being alive|going on|carrying on|to live|to go on|in anything|any more|anymore|in me being here)\b",
    r"\bnothing (?:left )?to live for\b", r"\b(?:life|living)\s+(?:isn't|is not|ain't|aint|not)\s+worth\b",
    r"\bcan't see a way (?:through|out|forward)\b", r"\bcan't (?:take (?:much )?more of this (?!(?:stupid |bloody |flipping |daft )?(?:system|booking|website|form|queue|waiting|weather|app|phone line|place|job|paperwork)\b))", r"\bcan't (?:go on(?!\s+(?:the|a|an|my|his|her|that|this|holiday|visits?|with|at|to|for|in|about)\b)|keep going|carry on(?!\s+(?:with|at|to|working|visiting))|do this any ?more|take (?:it|this|any more|anymore|no more)|cope any ?more|face (?:the night|tonight|tomorrow|another day|it any ?more|living|life)|see a way (?:out|forward)|live like this)\b",
    r"\bcannot (?:go on(?!\s+(?:the|a|an|my|his|her|that|this|holiday|visits?|with|at|to|for|in|about)\b)|keep going|carry on|face (?:the night|tonight|another day|it)|take (?:it|this) any ?more|cope any ?more)\b",
    r"\b(?:can't|cannot|don't want to) (?:be|stay|spend the night|get through (?:the|this|tonight)) (?:on my own|alone)\b",
    r"\b(?:want|need) (?:it|everything|this|the pain) (?:all )?to (?:stop|end)\b",
    r"\b(?:saving|saved|stockpiling|hoarding|collecting|storing)\s+(?:up\s+)?(?:my\s+|all\s+my\s+|the\s+)?(?:tablets|pills|meds|medication|medicine|painkillers|paracetamol)\b",
    r"\b(?:took|taken|take|taking|swallowed|swallow)\s+(?:a\s+|an\s+)?(?:load of|lot of|bunch of|handful of|all (?:my|of my|the)|the whole|too many|more|loads of|a whole)\s+(?:of\s+)?(?:my\s+)?(?:tablets|pills|meds|medication|paracetamol|painkillers)\b",
    r"\b(?:took|taken|taking|i've had|had|going to take|gonna take|about to take)\s+an?\s+(?:overdose|od)\b",
    r"\b(?:i've|i have|i)\s+(?:od'd|oded|overdosed)\b(?!.*\b(?:years? ago|in the past|when i was)\b)",
    r"\bself\s?harm(?:ing|ed)?\b", r"\bcutting (?:my|me)\b", r"\bcut (?:my|me)\s+(?:arms?|wrists?|legs?|self)\b",
    r"\b(?:slit|slitting|cut|cutting|scratch|scratched|scratching|slash|slashed|slashing|scrape|scraped|scraping)\s+(?:at\s+)?(?:my|me)\s+(?:wrists?|arms?|legs?|skin|thighs?)\b",
    r"\bjump (?:off|from|in front of)\b", r"\bjumping (?:off|from|in front of)\b",
    r"\bstep (?:in front of|off)\s+(?:a|the)\s+(?:train|bus|bridge|car|lorry|ledge|roof)\b",
    r"\b(?:goodbye|suicide)\s+(?:note|letter|message)\b", r"\bthis is (?:my )?goodbye\b", r"\bsay(?:ing)? (?:my )?goodbyes?\b",
    r"\bunalive\b", r"\bkms\b", r"\bnot safe (?:from|with|around) myself\b", r"\bdon't trust myself\b",
    r"\bgive up on (?:life|everything|living)\b", r"\bgiving up on (?:life|everything|living)\b",
    r"\b(?:want|wanna) to disappear\b", r"\bdisappear (?:for ever|forever|for good)\b",
    r"\b(?:rope|noose|ligature)\b(?=.*\b(?:myself|me|tonight|ready|bought|got)\b)",
    r"\b(?:dark|scary|bad) thoughts?\b(?=.*\b(?:myself|me|ending|die|life)\b)",
    r"\bthoughts? (?:of|about) (?:dying|death|ending|suicide|killing|hurting myself|harming myself)\b",
    r"\b(?:everyone|everybody|they|my family|the kids|my kids|people) (?:would|will|'d)\s+be better off\b",
    r"\bwhat'?s the point (?:of|in) (?:living|going on|anything|being here|me|life)\b",
)
SUICIDAL_OTHER = _compile(
    rf"\b(?:kill|killing|hurt|hurting|harm|harming|hang|hanging|cut|cutting|end|ending|do|doing|top|topping|off|offing)\s+{_OTHER_SELF}\b",
    rf"\b(?:do|doing|done)\s+(?:himself|herself|themselves)\s+in\b",
    r"\b(?:he|she|they|he's|she's|they're|him|her|them)\b.{0,60}\b(?:wants? to die|wanting to die|want to end it|talking about (?:suicide|dying|ending it|killing)|suicidal|not want to live|doesn't want to (?:live|be here|be alive|go on)|don't want to (?:live|be here|be alive))\b",
    r"\b(?:says|said|told me|saying|keeps saying|threatening|threatened|talking about|talks about|mentioned)\s+(?:that\s+)?(?:she|he|they)?\s*(?:wants?|want|is going|are going|was going|is gonna|will|'ll|might)\s+(?:to\s+)?(?:die|kill|end it|end (?:his|her|their) life|jump|take (?:his|her|their) (?:own )?life)\b",
    r"\b(?:wants? to|going to|gonna|threatening to|threatened to|trying to|tried to|talking about|planning to)\s+(?:die|kill (?:himself|herself|themselves)|end (?:it|it all|his life|her life|their life)|take (?:his|her|their) (?:own )?life|jump)\b",
    r"\b(?:on|at|near)\s+(?:the\s+)?(?:bridge|ledge|roof|edge|railway line|tracks?)\b(?=.*\b(?:jump|end|die|kill|going to)\b)",
    r"\b(?:he|she|they)(?:'s| is| are| has| have)?\s+(?:taken|took|had|swallowed)\s+an?\s+(?:overdose|od)\b",
    r"\b(?:he|she|they)(?:'s| has| have)?\s+(?:overdosed|od'd|oded)\b(?!.*\b(?:years? ago|in the past|survived|recovery)\b)",
    r"\b(?:he|she|they|he's|she's|they're|he'd|she'd|they'd)\b.{0,30}\b(?:better off dead|rather be dead|be better off without (?:him|her|them)|wants? to be dead|wish (?:he|she|they) (?:was|were) dead)\b",
    r"\b(?:he|she|they)\s+(?:is|are|was|were|has been|have been|keeps|kept|started|'s)\s+(?:cutting|harming|self harming|burning)\b",
    r"\bsuicid(?:e|al)\s+(?:risk|watch|attempt|threat)\b(?=.*\b(?:now|tonight|today|again|he's|she's)\b)",
)
DANGER = _compile(
    r"\b(?:i'm|i am|we're|we are|my \w+ is|he's|she's|they're|someone is|someone's)\s+(?:in|in real)\s+danger\b(?!\s+of\s+(?:losing|being evicted|getting|missing|falling))",
    r"\b(?:i'm|i am|we're|we are|i feel|we feel)\s+not\s+safe\b(?!\s+to\b)", r"\bnot safe (?:here|at home|right now|now|tonight|in my (?:house|home|flat))\b",
    r"\b(?:trying|going|coming|about|threatening|threatened|says he's going|said he'd|said they'd|said he will|said they will|says he will|says they will|swears he'll|vowed)\s+(?:to\s+)?(?:kill|stab|hurt|batter|attack|burn|shoot|murder)\s+(?:me|us|my|the kids|the children|the bairns)\b(?!.*\b(?:when|if) (?:she|he|they|my \w+) (?:finds? out|sees|hears|knows|gets home)\b)",
    r"\b(?:trying|going|coming|about|threatening|threatened|swears he'll|vowed)\s+(?:to\s+)?(?:get|do)\s+(?:me|us)\b(?=.*\b(?:scared|threat|kill|hurt|batter|revenge|sort me out|knife|weapon|dead|frightened)\b)",
    r"\b(?:said|says|say|told me|told us|threatened|warned|swore|swears)\b.{0,60}\b(?:will|'ll|going to|gonna|would|'d)\s+(?:kill|stab|hurt|burn|shoot|batter|get|murder|do)\s+(?:me|us|my)\b(?!.*\b(?:years ago|long ago|last year)\b)",
    r"\b(?:parked|waiting|sitting|standing|hanging about|hanging around|lurking|watching)\s+(?:right\s+)?outside\s+(?:my|our|the)\s+(?:house|flat|home|work|door|window|school)\b(?=.*\b(?:swore|threat|get me|attacked|hurt|convicted|assault|scared|released|got out|won't leave|knife)\b)",
    r"\b(?:contract|price|hit)\s+(?:out\s+)?on\s+(?:me|my head|my life)\b",
    r"\b(?:child|kid|son|daughter|boy|girl|grandson|granddaughter|niece|nephew|wee one|little one)(?:'s)?\s+(?:has\s+)?(?:been\s+|is\s+being\s+|was\s+|being\s+)?(?:abused|hurt|hit|beaten|battered)\s+by\b",
    r"\b(?:holding|keeping|taken|got|kidnapped|snatched|grabbed)\s+(?:my|our)\s+(?:little\s+)?(?:son|boy|daughter|girl|kid|child|baby|wean|brother|sister)\b(?=.*\b(?:until|unless|pay|money|won't let|threat|hostage|ransom)\b)",
    r"\b(?:he's|she's|they're|he is|she is|they are|someone is|someone's|somebody's|somebody is|a man is|a guy is|there's (?:a man|a guy|someone|somebody|people))\s+(?:outside|at|in|banging on|kicking|trying to (?:get|break) in|breaking (?:in|down))\s*(?:my|the|our)?\s*(?:door|house|home|flat|window|gate|room|close|stair)?\b(?=.*\b(?:scared|frightened|terrified|help|knife|weapon|now|won't go|threaten|kill|hurt|police|going to)\b)",
    r"\b(?:breaking|broke|broken|trying to break|kicking)\s+(?:in|into|down)\s+(?:my|the|our)\s+(?:door|house|home|flat)\b(?=.*\b(?:now|right now|help|scared|please)\b)",
    r"\bsomeone(?:'s| is)? (?:breaking|trying to break|trying to get|getting) (?:in|into)\b",
    r"\b(?:has|have|got|holding|waving|carrying|pulled|pointing)\s+(?:got\s+)?(?:a|an)\s+(?:knife|gun|weapon|blade|machete|bat|hammer|axe|crowbar)\b(?!\s+crime)",
    r"\b(?:with|wi)\s+(?:a|an)\s+(?:knife|gun|weapon|blade|machete|crowbar|axe)\b(?=.*\b(?:outside|here|now|at my|in my|front|garden|door|window|coming|following)\b)",
    r"\b(?:being|getting|been)\s+(?:attacked|beaten|battered|chased|followed|stabbed|hit|threatened|strangled|choked|kicked|hurt)\s+(?:right\s+)?now\b",
    r"\b(?:is|are|'s|'re)\s+(?:attacking|beating|battering|hitting|stabbing|strangling|choking|hurting|kicking|threatening)\s+(?:me|us|my|her|him|them|someone|somebody|a|the)\b(?=.*\b(?:now|right now|help|please|stop|scared)\b)",
    r"\b(?:attacking|beating|battering|hitting|hurting|kicking|strangling|choking|threatening)\s+(?:me|us|my mum|my mam|my son|my daughter|a child|the child|the kids|my kids|the baby|my baby|someone|somebody)\s+(?:right\s+)?now\b",
    r"\b(?:call|get|send|phone|ring)\s+(?:the\s+|an?\s+)?(?:police|ambulance|999)\b(?!.*\b(?:what happens|if i|should i|when|non emergency|101)\b)",
    r"\bsend (?:help|someone)\b", r"^(?:please\s+)?(?:somebody|someone) help\b",
    r"\b(?:need|needs|want)\s+(?:the\s+|an?\s+)?(?:police|ambulance)\s*(?:now|here|quick|please|urgently)\b",
    r"\bthis is an emergency\b", r"^(?:emergency|it's an emergency|help,? emergency)\b", r"\bemergency\b(?=.*\b(?:help|now|please)\b)(?!.*\b(?:accommodation|housing|grant|payment|appointment|contact|number|visit|loan|fund|dentist|budget|services? (?:for|at)|funding)\b)",
    r"\b(?:scared|afraid|fear|fearing|frightened|terrified)\s+for\s+(?:my|our|his|her|their)\s+(?:life|lives|safety)\b",
    r"\b(?:he|she|they|someone|somebody)(?:'s| is| are|'re)?\s+(?:going to|gonna|coming to|on (?:his|their|her) way to)\s+(?:kill|hurt|get|batter|stab|attack|do)\s+(?:me|us|my|him|her)\b",
    r"\b(?:threatened|threatening|threatens|said|says|told me)\s+(?:that\s+)?(?:he'll|he will|they'll|they will|she'll|she will|to)\s+(?:kill|stab|burn|hurt|batter|shoot|come back|get me|get us)\b",
    r"\b(?:coming|come)\s+(?:back\s+)?(?:for|to get)\s+(?:me|us)\b(?=.*\b(?:scared|threat|kill|hurt|batter|said|sort me|knife|revenge|get me back|tonight)\b)", r"\bcoming (?:back|round) (?:tonight|later|again)\b(?=.*\b(?:threat|kill|hurt|batter|scared|said)\b)",
    r"\bhiding (?:in|from|under)\b(?!.*\b(?:the truth|the fact|from (?:my|the) (?:kids|family|children)|it from)\b)", r"\blocked (?:myself|ourselves|us|me) in\b",
    r"\b(?:won't|will not|wont|don't|do not|not)\s+(?:let|letting)\s+(?:me|us)\s+(?:leave|out|go home|get out)\b", r"\b(?:keeping|kept|holding|held)\s+(?:me|us)\s+(?:here|in|prisoner|against)\b",
    r"\b(?:crowd|gang|group|mob|load of (?:guys|men|lads)|men|lads|guys|people)\s+(?:is\s+|are\s+)?(?:outside|at)\s+(?:my|our|the)\s+(?:house|door|flat|home|window|close)\b(?=.*\b(?:throwing|shouting|threat|banging|kick|smash|weapon|knife|machete|scared|help|now|waiting|balaclava|brick)\b)",
    r"\b(?:battering|beating|attacking|stabbing|kicking|jumping|hitting|assaulting|dragging)\s+(?:a|the|some|this|that|an|my)\s+(?:boy|man|woman|girl|guy|lad|person|kid|child|wean|old|young|someone|somebody|neighbour)\b(?!.*\b(?:last|ago|yesterday|years?)\b)",
    r"\b(?:i'm|i am|we're|we are|he's|she's)\s+getting\s+(?:battered|attacked|beaten up|beaten|stabbed|jumped|chased|followed|hit)\b",
    r"\b(?:taken|took|snatched|grabbed)\s+(?:my|the|our)\s+(?:child|kid|kids|children|son|daughter|baby|wean)\b(?=.*\b(?:not allowed|bail|order|won't give|police|scared|help|now)\b)",
    r"\b(?:has|have|'s|'ve)\s+(?:been\s+)?(?:taken|took|snatched)\s+by\s+(?:her|his|their|my|the)\s+(?:dad|father|mum|mother|ex)\b(?=.*\b(?:not allowed|bail|order|police|scared|help)\b)", r"\b(?:trapped|cornered)\b(?=.*\b(?:help|can't get out|now)\b)",
    r"\b(?:child|children|kid|kids|baby|wean)\s+(?:is|are)\s+in\s+danger\b", r"\b(?:hurting|beating|hitting|abusing)\s+(?:a|the|my|their|his|her)\s+(?:child|kid|baby|toddler)\b(?=.*\b(?:now|right now|next door|help|hear)\b)",
    r"\b(?:i'm|i am|i've been|he's|she's|someone's|someone has been|someone's been|just been|just got)\s+(?:been\s+)?(?:stabbed|shot|slashed|glassed)\b(?!.*\b(?:last|ago|years?|months?|weeks?)\b)",
    r"\b(?:i'm|i am|he's|she's|they're)\s+(?:bleeding|unconscious|not breathing)\b", r"\bbleeding (?:badly|heavily|a lot|everywhere)\b",
    r"\b(?:not|isn't|is not|stopped|won't|wont) (?:responding|breathing|waking up|moving)\b", r"\b(?:had|having) a (?:fit|seizure|heart attack|stroke)\b",
    r"\b(?:collapsed|passed out|unconscious)\b(?=.*\b(?:now|help|not|won't|can't)\b)",
    r"\b(?:can't|cannot|can not) find (?:her|him|them|my (?:\w+ )?(?:son|daughter|child|kid|boy|girl|wean))\b(?=.*\b(?:anywhere|missing|gone|lost|minutes|mins|hours)\b)",
    r"\b(?:child|kid|son|daughter|boy|girl|wean|toddler|baby)(?:'s| is| has)?\s+(?:gone )?missing\b",
    r"\b(?:help|please help)\s+(?:me\s+)?(?:quick|now)\s*!*$", r"\bhelp me\b.{0,20}\b(?:he's|she's|they're)\s+(?:going to|gonna|here|outside|coming)\b",
    r"\bat my (?:door|gate|window) (?:right )?now\b", r"\boutside (?:my|the) (?:door|house|window|flat) (?:right )?now\b",
    r"\b(?:going|gonna|want|about)\s+to\s+(?:kill|stab|batter|hurt)\s+(?:him|her|them|the guy|the man|that|someone)\b(?=.*\b(?:now|tonight|going round|knife|way)\b)",
    r"\bgoing round (?:there|now|to (?:his|her|their))\b(?=.*\b(?:kill|batter|stab|hurt|knife)\b)",
    r"\b(?:won't|will not|wont)\s+(?:let me|let us)\s+(?:leave|out|go)\b(?=.*\b(?:now|scared|locked|help)\b)",
    r"\b(?:fire|smoke|burning)\b(?=.*\b(?:house|flat|set|started|petrol)\b)(?=.*\b(?:now|help|threaten)\b)",
    r"\b(?:threaten\w*|going)\s+to\s+(?:burn|torch|petrol bomb|set fire to)\b",
)
DOMESTIC_ABUSER = any_of((
    "partner", "husband", "wife", "boyfriend", "girlfriend", "ex", "ex partner", "ex husband", "ex wife",
    "ex boyfriend", "ex girlfriend", "man", "fella", "bloke", "other half", "fiance", "fiancé", "dad", "father",
    "stepdad", "step dad", "stepfather", "mum", "mother", "stepmum", "son", "daughter", "brother", "sister",
    "uncle", "family", "in laws", "in-laws", "boyfriend's", "baby father", "kids dad", "children's dad",
))
ABUSE_ACT = any_of((
    "hits me", "hit me", "hitting me", "hitting me again", "beats me", "beat me", "beating me", "batters me",
    "battered me", "battering me", "punches me", "punched me", "kicks me", "kicked me", "slaps me", "slapped me",
    "strangles me", "strangled me", "chokes me", "choked me", "grabs me", "grabbed me", "shoves me", "shoved me",
    "pushes me", "pushed me", "throws things at me", "threw things at me", "spits on me", "pulls my hair",
    "hurts me", "hurt me", "abuses me", "abused me", "abusing me", "threatens me", "threatened me", "threatening me",
    "controls me", "controlling", "controls my money", "takes my money", "took my money", "takes my bank card",
    "checks my phone", "reads my messages", "tracks my phone", "tracks me", "won't let me leave", "won't let me go out",
    "won't let me see my friends", "won't let me see my family", "won't let me work", "won't let me have money",
    "doesn't let me go out", "doesn't let me see", "won't let me out", "locks me in", "takes my wages",
    "won't let me have a bank account", "won't let me have money", "takes my bank card", "checks everything", "locked me in", "keeps me in", "isolates me", "stops me seeing", "stopped me seeing",
    "stops me from seeing", "calls me names", "puts me down", "makes me feel worthless",
    "scares me", "frightens me", "terrifies me", "forced me", "forces me", "rapes me", "raped me", "sexually abused me",
    "making my life hell", "made my life hell", "walking on eggshells", "on eggshells", "leathering me",
    "leathered me", "leathers me", "pinned me", "pins me", "by my throat", "by the throat", "knocking me about", "knocks me about", "knocked me about", "booting me",
    "kicking me", "kicking the head in me", "beating me up", "beats me up", "battering me", "slapping me",
))
DOMESTIC_ABUSE = _compile(
    rf"\b(?:my|me|our)\s+(?:ex\s+|new\s+|current\s+)?{DOMESTIC_ABUSER}(?:'s)?\b.{{0,80}}\b{ABUSE_ACT}\b",
    rf"^(?=.*\b(?:partner|husband|wife|boyfriend|girlfriend|ex|man|relationship|home|house|marriage|married|he's|she's|angry|temper|since he|since she|drinking|drunk|drink|again|got out|came out|gets out|getting out|comes out|back|always|every|scared|afraid|frightened)\b).*\b(?:he|she|they)(?:'s|'re)?\s+(?:(?:still|always|keeps|has|has been|been|is|are|started|again|just|now)\s+){{0,2}}{ABUSE_ACT}\b",
    r"\b(?:scared|afraid|frightened|terrified)\s+(?:of|to go home to|to be around)\s+(?:my\s+)?(?:him|her|husband|partner|boyfriend|girlfriend|wife|ex|man|dad|father|stepdad|mum|son)\b",
    r"\b(?:scared|afraid|frightened|terrified)\s+(?:to go home|of what he'll do|of what she'll do|what he'll do|what he will do)\b",
    r"\b(?:i'm|i am|i've been|i have been|i think i'm|i think i am|we're|we are)\s+(?:being\s+)?(?:abused|controlled|hit|beaten|in an abusive|in a violent|experiencing domestic|suffering domestic|a victim of domestic|living with domestic)\b",
    r"\b(?:experiencing|suffering|living with|going through|escape|escaping|flee|fleeing|leave|leaving)\s+(?:domestic\s+)?(?:abuse|violence|an abusive|a violent|my abuser)\b(?!.*\b(?:court|programme|charge|charged|convicted|sentence|statistics|training|course)\b)",
    r"\b(?:abusive|violent|controlling)\s+(?:relationship|partner|husband|boyfriend|wife|girlfriend|ex|marriage|man)\b(?!.*\b(?:years? ago|long time ago|used to be|i'm safe|i am safe|now safe|safe now|moved on)\b)",
    r"\bcoercive control\b(?=.*\b(?:me|my|i'm|i am)\b)(?!.*\b(?:what is|what's|define|law|offence|charge)\b)",
    r"\b(?:forced|forcing|force|making|make|pressuring|pressured)\s+(?:me\s+)?(?:to|into)\s+(?:marry|marriage|get married)\b", r"\bforced marriage\b(?=.*\b(?:me|my|i'm|i am|sister|daughter|friend)\b)",
    r"\b(?:since he|since she)\s+(?:got|came|come|was let|was released)\s+(?:out|home|back)\b.{0,60}\b(?:hitting|hit|beating|battering|hurting|threatening|abusing|controlling)\b",
    r"\b(?:hitting|battering|beating|hurting|abusing|threatening)\s+me\s+again\b",
    r"^(?=.*\b(?:domestic|abuse|abusive|hit|hitting|violent|violence|beat|batter|scared)\b).*\b(?:it's|it is|the abuse is|the violence is|the abuse has|it has|it's all)\s+(?:starting|started|happening|kicking off|begun|begin)\s+(?:all over\s+)?again\b",
    r"\b(?:breach|breaking|broke|broken)\w*\s+(?:his|her|the)\s+(?:bail|licence|license|non harassment order|nho|order|conditions)\b.{0,80}\b(?:at my|outside|came to|turned up|here|threaten|hit|scared)\b",
    r"\b(?:licence|license|bail|order|conditions)\b.{0,80}\b(?:can't|cannot|not allowed to|isn't allowed to)\s+(?:come|go)\s+near\s+me\b.{0,60}\b(?:at my|outside|here|now)\b",
)
SEXUAL_VIOLENCE = _compile(
    r"\b(?:i was|i've been|i have been|i got|i'd been|i had been|she was|he was|they were|she's been|he's been|my \w+ (?:was|has been|got))\s+(?:\w+\s+)?(?:raped|sexually (?:assaulted|abused|attacked)|molested|groped|assaulted sexually|spiked and|touched up|abused sexually)\b",
    r"\b(?:raped|molested|sexually (?:assaulted|abused|attacked))\s+(?:me|her|him|my|them)\b",
    r"\b(?:attacked|assaulted|abused|touched)\s+sexually\b", r"\bsexually\s+(?:attacked|assaulted|abused)\b(?!.*\b(?:sentence for|charged with|statistics)\b)",
    r"\b(?:rape|raped)\b(?!\s+(?:crisis|case|cases|trial|conviction|charge|sentence|law|laws|statistics|kit))(?=.*\b(?:me|i|my|her|she)\b)(?!.*\b(?:sentence for|charged with|convicted of|accused of|trial for|jailed for|done for|in prison for|got \w+ years for|statistics|what is the|how long)\b)",
    r"^(?=.*\b(?:me|i was|happened to|my (?:daughter|son|child|sister|friend|partner|wife))\b)(?!.*\b(?:sentence for|charged with|convicted of|accused of|trial|statistics|programme|register|offender|what is)\b).*\bsexual\s+(?:assault|abuse|violence|attack)\b",
    r"\b(?:touched|touches|touching|grabbed|groped|kissed|made me touch)\s+(?:me|my|her|him)\b.{0,40}\b(?:didn't want|wanted to stop|without|against my|when i said no|private|inappropriately|down there|sexually)\b",
    r"\b(?:made|makes|make|forced|forces|force|pressured|pressures)\s+(?:me|her|him)\s+(?:to\s+)?(?:do|have|perform|watch|send)\s+(?:sexual|sex|things|stuff|pictures|photos|nudes)\b",
    r"\b(?:forced|made)\s+(?:me|her)\s+(?:to\s+)?have sex\b", r"\bnon ?consensual\b", r"\bwithout my consent\b", r"\bdidn't consent\b",
    r"\b(?:comes|came|coming|creeps)\s+into\s+my\s+(?:room|bed)\b",
    r"\b(?:been |is |was )?(?:abusing|molesting|touching|grooming)\s+(?:our|my|her|his|their)\s+(?:son|daughter|child|kid|boy|girl|wean|grandson|granddaughter|niece|nephew)\b",
    r"\btook (?:the|a) condom off\b", r"\bstealthing\b", r"\b(?:spiked)\b(?=.*\b(?:woke|remember|happened|touched|sex)\b)",
    r"\b(?:sharing|shared|posted|threatening to share|threatened to share)\s+(?:my\s+)?(?:nudes|intimate|naked|private)\s*(?:pictures|photos|images|videos)?\b",
    r"\b(?:abused|molested|raped)\s+(?:me\s+)?(?:as a|when i was a|when i was)\s+(?:child|kid|little|young|teenager)\b",
    r"\bpassed me (?:round|around)\b", r"\b(?:when|while) i was (?:out of it|passed out|unconscious|asleep|too drunk|spiked)\b(?=.*\b(?:he|they|someone|somebody|sex|touched|did things|took advantage)\b)",
    r"\btook advantage of me\b",
)
# Words in a message that show a crisis word is not about someone's safety now.
NOT_NOW = _compile(
    r"\b(?:used to|years ago|year ago|long time ago|long ago|in the past|as a teenager|as a kid|when i was (?:younger|a teenager|young|at school))\b.{0,80}\b(?:but|and)\s+(?:i'm|i am|im|now i'm|i feel)\s+(?:fine|ok|okay|better|good|safe|well|doing well)\b",
    r"\b(?:i'm|i am|we're|we are)\s+(?:safe|fine|ok|okay|alright)\s+now\b", r"\bi'm not in (?:any )?danger\b", r"\bnot suicidal\b",
    r"\b(?:it's|its|it is|this is)\s+not (?:an )?(?:emergency|urgent)\b", r"\bnot an emergency\b", r"\bnobody is in danger\b",
    r"\b(?:i'm|i am)\s+not\s+(?:scared|afraid|frightened|worried)\s+of\b", r"\bbereave(?:d|ment)\b", r"\b(?:lost|losing)\s+(?:my|her|his|their|our)\s+\w+\s+(?:to suicide|three|two|\d|years|last)\b",
    r"\b(?:died|took (?:his|her|their) own life|killed (?:himself|herself|themselves))\b.{0,40}\b(?:years? ago|last year|months ago|in \d{4}|back in)\b",
    r"\b(?:survived|in recovery|recovered|clean for|sober for)\b", r"\b(?:i'm|i am|we're|we are) (?:now )?doing (?:great|well|really well|fine)\b",
    r"\b(?:she's|he's|they're|she is|he is|they are) (?:doing )?(?:great|well|fine|ok|okay|better|safe) now\b",
)
# Questions about crime, law or services, asked for information, not reporting harm to oneself.
CRIME_REPORTED = _compile(
    r"\b(?:charged with|convicted of|accused of|arrested for|done for|jailed for|got \w+ (?:years|months) for|serving (?:time|a sentence) for|in (?:prison|jail) for|sentenced for|on trial for|pled guilty to|pleaded guilty to)\b",
)
INFORMATION_ABOUT = _compile(
    r"\b(?:what|how long|how many|how much)\s+(?:is|are|'s|do you get|would|will|does|did)?\s*(?:the\s+)?(?:sentence|sentences|maximum|punishment|penalty|jail time|time)\s+(?:for|in scotland for)\b",
    r"\b(?:statistics|stats|figures|rates?)\s+(?:for|on|of)\b", r"\b(?:prevention|awareness)\s+(?:programme|course|training|week|campaign)\b",
    r"\b(?:safeguarding|procedure|protocol)\b",
    r"\b(?:max|maximum|minimum)\s+(?:sentence|penalty|punishment)\b", r"\bwhat happens if (?:you|ye|someone|he|she|they)\b",
    r"\b(?:training|svq|course|essay|assignment|dissertation|research|policy|policies|session i'm running)\b",
    r"\b(?:support|help|services?)\s+(?:available\s+)?(?:for|in)\s+(?:prisoners|prisons?|hmp|inmates)\b",
    r"\bwhat(?:'s| is)\s+an?\s+[\w\s]{0,30}(?:order|court)\b",
)


# Someone telling what is happening to them now, even while they mention a conviction.
FIRST_PERSON_NOW = _compile(
    r"\b(?:me|i'm|i am|us|we're)\b.{0,40}\b(?:now|tonight|again|outside|keeps|keep|still|threatening|phoning|scared)\b",
    r"\b(?:threatening|hitting|phoning|following|watching)\s+me\b",
)


# A practical how-to, or wanting to cut down on a habit: the words may sound like a crisis ("I can't
# go on the visit", "cutting down") but the person is asking how to do something.
PRACTICAL = _compile(
    r"\bhow (?:do|can|would|should) (?:i|we) (?:cancel|book|change|rearrange|arrange|apply|pay|send|get|find|contact|visit|claim|register|put|transfer|write|ask|check|find out|request)\b",
    r"^(?=.*\b(?:weed|cannabis|drink|drinking|smoking|drugs|booze|gambling|bevvy)\b).*\bcut(?:ting)? down\b",
    r"\b(?:want|wanting|trying|need|needing|going|help|helping)\s+(?:me\s+)?(?:to\s+)?(?:stop|quit|cut down|cutting down|give up|come off|get off)\s+(?:on\s+)?(?:the\s+)?(?:drinking|drink|booze|using|drugs|smoking|weed|cannabis|gambling|the bevvy|heroin|methadone|valium)\b",
    r"\bcut(?:ting)? down (?:on )?(?:the )?(?:drinking|drink|booze|drugs|smoking|weed|cannabis|gambling)\b",
)


def is_information_question(text: str) -> bool:
    """Asks about crime, law, services or statistics, asks a practical how-to, or tells of harm that is
    over: never a crisis on a classifier's word alone (bot/rasa_ext/nlu/support_signals.py)."""
    return bool(INFORMATION_ABOUT.search(text) or NOT_NOW.search(text) or PRACTICAL.search(text) or FIGURE_OF_SPEECH.search(text))


# Exasperation, not a threat: "I'm going to kill him, he's forgotten to book the visit AGAIN".
FIGURE_OF_SPEECH = _compile(
    r"\b(?:i'm|i am|i'll|i will|i could|gonna|going to)\s+(?:going to |gonna )?(?:kill|murder|strangle|throttle)\s+(?:him|her|them|my \w+)\b.*\b(?:forgot|forgotten|again|haha|lol|late|left the|never listens)\b",
    r"\b(?:nearly|almost) (?:died|had a heart attack|fainted)\b(?!.*\b(?:overdose|attack|stabbed|hit|beat)\b)", r"\bi'll (?:scream|go mad|lose it|explode)\b",
    r"\b(?:dying|dying to|could murder|would kill) (?:for|to)\b",
)


def crisis_kinds(text: str) -> List[str]:
    """The kinds of crisis a normalised message describes, most urgent first (may be empty)."""
    found: List[str] = []
    info = bool(INFORMATION_ABOUT.search(text))
    reported = bool(CRIME_REPORTED.search(text)) and not FIRST_PERSON_NOW.search(text)
    distanced = bool(NOT_NOW.search(text))
    if DANGER.search(text) and not (distanced or info or FIGURE_OF_SPEECH.search(text)):
        found.append("danger")
    if (SUICIDAL_FIRST.search(text) or SUICIDAL_OTHER.search(text)) and not (distanced or info):
        found.append("suicidal")
    if DOMESTIC_ABUSE.search(text) and not (info or reported or distanced):
        found.append("domestic_abuse")
    if SEXUAL_VIOLENCE.search(text) and not (info or reported):
        found.append("sexual_violence")
    return found


# ---------------------------------------------------------------- audiences
SELF_STATES = any_of((
    "arrested", "charged", "convicted", "sentenced", "remanded", "lifted", "jailed", "done for", "in prison",
    "in jail", "in the jail", "inside", "in custody", "on remand", "on bail", "on licence", "on license", "on probation",
    "on a cpo", "on a community payback order", "on an order", "on a tag", "on tag", "tagged", "on a curfew",
    "doing unpaid work", "doing community service", "doing my hours", "due in court", "going to court", "up in court",
    "in court", "found guilty", "pled guilty", "pleaded guilty", "given a cpo", "given unpaid work", "given community service",
    "got a cpo", "got unpaid work", "got community service", "got the jail", "got jail", "got time", "serving",
    "on hdc", "under supervision", "on a dtto", "on a structured deferred sentence", "in trouble with the police",
    "being investigated", "under investigation", "on a supervision order", "recalled", "in the cells", "locked up",
    "banged up", "a prisoner", "an ex offender", "an ex prisoner", "an offender", "an ex con", "on the sex offenders register",
    "a criminal record", "a record", "a conviction", "convictions", "previous convictions", "hours to do", "unpaid work",
    "a cpo", "community service", "a court date", "a court case", "a trial", "a social worker", "a justice social worker",
    "a probation officer", "a tag", "a curfew", "bail conditions",
))
SELF_IN_JUSTICE = _compile(
    r"\b(?:i'm|i am|i was|it's me|it was me)\s+(?:the one|the person)\s+(?:who|that)\s+(?:was|is|got|has been|'s been|is being)\s+(?:in prison|inside|in jail|arrested|charged|convicted|sentenced|on remand|remanded|lifted)\b",
    rf"\b(?:i|i'm|i am|i've|i've been|i have been|i was|i got|i get|i'll be|i will be|i've got|i have got|i have|i had|i'm being|i am being|i might be|i could be|i'm going to be|i'm due to be|i just got|i've just been|i've just got|just got)\s+(?:just\s+|now\s+|still\s+|been\s+|currently\s+)?{SELF_STATES}\b",
    r"\bmy\s+(?:conviction|convictions|criminal record|record|sentence|order|cpo|unpaid work|hours|court date|court case|case|charge|charges|licence|license|social worker|justice social worker|criminal justice worker|probation officer|tag|curfew|bail conditions|trial|offence|offences|past convictions)\b",
)
SELF_LEAVING = _compile(
    r"\b(?:i|i'm|i am|i've|i have|i was|i'll|i will|i)\s+(?:just\s+)?(?:been\s+|being\s+|getting\s+|get\s+|got\s+|be\s+|am\s+)?(?:released|liberated|let out)\b(?!\s+(?:on bail|pending|without charge|under investigation|on an undertaking|with no charge|from (?:the )?(?:police station|custody|the cells)))",
    r"\b(?:i|i'm|i am|i've|i)\s+(?:just\s+)?(?:got out|get out|getting out|coming out|come out|came out|due out|out of prison|out of jail|out the jail|out of the jail|home from prison|home from jail|out on licence|out on license|leaving prison|leaving jail|left prison|left jail)\b",
    r"\b(?:i've|i have)\s+(?:just\s+)?(?:come|got|been let)\s+out\b", r"\bi'm out\s+(?:of (?:prison|jail)|on licence|on license|now|since|today|yesterday|last|this|on hdc|on a tag)\b",
    r"\b(?:when|once|after|before|until)\s+i\s+(?:get|got|come|came|am|'m|get let|was|leave|left)\s+(?:out|released|liberated|let out|home)\b",
    r"\bmy\s+(?:release|release date|liberation|liberation date|hdc|throughcare|throughcare worker|licence conditions|license conditions)\b",
    r"\bjust (?:out|released|liberated) (?:of|from) (?:prison|jail|hmp)\b",
    r"(?:^|,|\band\b|\bi\b|\bbut\b)\s*(?:just\s+)?(?:got|came|been let|was let) out\b(?!\s+of (?:bed|the house|hospital|work))",
    r"\b(?:guys|people|men|women|lads|folk|someone|anyone|prisoners)\s+(?:who are\s+|who're\s+)?(?:coming|getting|just|being)\s+(?:out|released|liberated)\b",
    r"^(?:just\s+|only\s+|recently\s+)?(?:got out|out of prison|out of jail|released|liberated|let out|came out|come out|getting out|due out|leaving prison|leaving jail)\b",
)
OTHER_IN_JUSTICE = _compile(
    rf"{SOMEONE_CLOSE}.{{0,80}}\b(?:{JUSTICE_EVENT}|{PRISON_WORDS})\b",
    rf"\b(?:{JUSTICE_EVENT}|{PRISON_WORDS})\b.{{0,40}}{SOMEONE_CLOSE}",
    r"\b(?:families|family|relatives|partners|friends|parents|children|kids) of (?:people in|someone in|prisoners|a prisoner|offenders|people who)\b",
    r"\b(?:someone|somebody|a loved one|a person) (?:i love |i care about |close to me )?(?:in|who is in|who's in)\s+(?:prison|jail|custody)\b",
    r"\b(?:visit|visiting|see|write to|email|phone|call)\s+(?:a|my|our|the)\s+(?:prisoner|inmate)\b",
    r"\b(?:he's|she's|they're|he is|she is|they are|he was|she was|he got|she got|they got|he's been|she's been|they've been|he has been|she has been)\s+(?:just\s+)?(?:arrested|lifted|charged|remanded|sentenced|convicted|jailed|sent down|sent to prison|in prison|in jail|inside|locked up|on remand|in custody|taken away|taken in|put away|given \d+|got \d+|got the jail)\b",
)
OTHER_LEAVING = _compile(
    rf"{SOMEONE_CLOSE}.{{0,60}}\b{RELEASE_WORDS}\b",
    r"\b(?:he|she|they|he's|she's|they're)\s+(?:is\s+|are\s+|'s\s+)?(?:getting out|gets out|coming out|comes out|due out|being released|released|been released|got out|came out|liberated|getting liberated)\b",
)
SELF_HARMED = _compile(
    rf"\b(?:i|we)\s+(?:was|were|got|am being|'m being|keep getting|kept getting)\s+(?:\w+\s+)?{VICTIM_EVENT}\b",
    rf"\b(?:i've|we've|i have|we have|i had|we had|i'd|we'd)\s+(?:just\s+)?been\s+(?:\w+\s+)?{VICTIM_EVENT}\b",
    rf"\b(?:i'm|i am)\s+being\s+{VICTIM_EVENT}\b",
    rf"(?:^|,|\band\b|\bi\b|\bhelp\b)\s*(?:just\s+)?(?:been|got)\s+(?:\w+\s+)?(?:hurt|attacked|assaulted|battered|stabbed|robbed|mugged|jumped|glassed|punched|burgled|beaten up)\b",
    rf"\b{VICTIM_WORDS}\b",
    r"\b(?:someone|somebody|they|he|she|a man|a guy|a woman|people|a gang|my neighbour|my ex|the guy|the man)\s+(?:\w+\s+)?(?:attacked|assaulted|robbed|mugged|burgled|stabbed|battered|beat|hit|punched|threatened|harassed|stalked|scammed|hurt|abused|raped)\s+me\b",
    r"\b(?:attacking|assaulting|robbing|mugging|burgling|stabbing|battering|hitting|punching|threatening|harassing|stalking|scamming|hurting|abusing)\s+me\b",
    r"\b(?:getting|receiving|suffering|experiencing|facing|sent|sending me|been sent)\s+(?:\w+\s+)?(?:abuse|harassment|threats|hate|threatening messages|abusive messages)\b",
    r"\b(?:racist|racial|homophobic|transphobic|hate|disability)\s+(?:abuse|attack|crime|incident|harassment)\b",
    r"\bposting (?:lies|stuff|things|pictures|photos) about me\b",
    r"\b(?:my|our)\s+(?:house|home|flat|car|shop|van|garden|shed)\s+(?:was|got|has been|had been)\s+(?:broken into|burgled|vandalised|vandalized|robbed|smashed|set on fire|attacked)\b",
    r"\b(?:burgled|burglary|break in|broken into|robbed|mugged)\b(?=.*\b(?:my|me|our|i|we)\b)",
    r"\b(?:harassing|stalking|threatening|bullying|intimidating)\s+(?:me|us|my)\b",
    r"\b(?:i'm|i am|i was|i've been)\s+(?:the one|the person)\s+(?:who|that)\s+(?:was|got)\s+(?:hurt|attacked|assaulted|robbed|hit|battered)\b",
)
OTHER_HARMED = _compile(
    rf"{SOMEONE_CLOSE}\s+(?:(?:who|that)\s+)?(?:was|got|has been|had been|'s been|is being|were)\s+(?:\w+\s+)?{VICTIM_EVENT}\b",
    rf"\b(?:he|she|they)\s+(?:was|got|has been|had been|is the one who got|was the one who got|were)\s+(?:\w+\s+)?{VICTIM_EVENT}\b",
    rf"\b(?:he|she|they)\s+(?:was|is|were)\s+the\s+(?:one|victim)\b",
    rf"\b{VICTIM_EVENT}\s+{SOMEONE_CLOSE}\b",
)


# ---------------------------------------------------------------- needs
NEED_PATTERNS: Tuple[Tuple[str, Pattern[str]], ...] = (
    ("find_prison", _compile(
        r"\b(?:which|what)\s+(?:prison|jail)\b", r"\bwhere\s+(?:is|has|have|was|will|are)\s+(?:he|she|they|my \w+)\s+(?:been\s+)?(?:taken|held|sent|moved|gone|go|be held|be sent|being held|now)\b",
        r"\bfind out where\b", r"\bwhere (?:they've|they have|the police have) taken\b", r"\btrace (?:a|my|someone)\b",
        r"\bwhere (?:he|she|they) (?:is|are) (?:being )?(?:held|kept)\b", r"\bdon't know where (?:he|she|they) (?:is|are|went|has been taken)\b",
    )),
    ("release_info", _compile(
        r"\b(?:told|tell me|know|notified|informed|warned|find out|hear)\b.{0,30}\bwhen\s+(?:he|she|they|the \w+|my \w+|him|her|the person|my attacker|my abuser|the offender)\b.{0,30}\b(?:released|out|getting out|gets out|let out|freed|home)\b",
        r"\bvictim notification\b", r"\bvns\b", r"\b(?:release|released|getting out|gets out|let out)\b.{0,40}\b(?:attacker|abuser|the man who|the guy who|the person who|hurt me|attacked me|assaulted me|raped me)\b",
        r"\b(?:attacker|abuser|the (?:man|guy|person|woman|boy|lad|one|people) (?:who|that) (?:hurt|attacked|assaulted|robbed|raped|abused|battered|burgled|stabbed|hit|mugged|threatened|harassed|stalked) (?:me|us|my))\b.{0,60}\b(?:released|getting out|gets out|let out|coming out|due out|out)\b",
    )),
    ("reporting", _compile(
        r"\b(?:how (?:do|can|would|should) (?:i|we)|want to|wanting to|need to|where (?:do|can|should) (?:i|we)|can i|could i|should i|like to|going to|trying to|how to)\s+(?:report|tell the police|contact the police|let the police know)\b",
        r"\bwithout (?:giving|leaving|saying) my name\b", r"\banonymous(?:ly)?\b",
        r"\b(?:don't|dont|do not) want (?:them|him|her|anyone|people|the police) (?:to )?know(?:ing)? (?:it was|that it was|it's) me\b", r"\bcrimestoppers\b", r"\b101\b",
        r"\bnon emergency\b", r"\bnot an emergency\b",
    )),
    ("compensation", _compile(r"\bcompensation\b", r"\bcompo\b", r"\bcriminal injuries\b", r"\bcica\b", r"\bclaim (?:for|money|back)\b")),
    ("court_witness", _compile(
        r"\bgive evidence\b", r"\bgiving evidence\b", r"\b(?:a|the) witness\b", r"\bwitness (?:in|at|for)\b", r"\bcited\b",
        r"\bcitation\b", r"\b(?:going|go|have to go|got to go|need to go|called) to court\b.{0,40}\b(?:witness|evidence|victim|testify|scared|nervous)\b",
        r"\btestify\b", r"\bwitness service\b", r"\bwaiting room\b", r"\b(?:scared|nervous|anxious|worried|terrified)\s+(?:about\s+|of\s+)?(?:going\s+to\s+)?court\b",
    )),
    ("children", _compile(
        r"\b(?:tell|telling|explain|explaining|say to|talk to|talking to)\s+(?:my|the|our|his|her)\s+(?:kids|children|child|son|daughter|little one|little ones|boy|girl|grandchildren|grandkids)\b",
        r"\b(?:kids|children|child|little ones)\b.{0,40}\b(?:keep asking|keeps asking|asking where|miss(?:es|ing)? (?:their|his|her) (?:dad|mum|father|mother)|understand|don't know)\b",
        r"\bchildren'?s hearing\b", r"\bchildren'?s reporter\b", r"\bthe reporter\b", r"\bscra\b", r"\byouth justice\b",
        r"\b(?:my|our)\s+(?:son|daughter|boy|girl|child|kid|grandson|granddaughter)\b.{0,20}\b(?:is|'s|aged|age)?\s*(?:only\s+)?(?:1[0-7]|[8-9])\b(?:\s*(?:years old|yo))?.{0,40}\b(?:charged|arrested|police|offence|in trouble|lifted)\b",
        r"\b(?:under|age of)\s+(?:criminal\s+)?(?:responsibility|16|18)\b",
    )),
    ("visiting", _compile(
        r"\bvisit(?:s|ing|ed|or|ors)?\b", r"\bvisiting (?:times|hours)\b", r"\b(?:get|go) (?:in )?to see\b", r"\bsee (?:him|her|them)\b",
        r"\b(?:see|seeing)\s+(?:my|our)\s+\w+\s+(?:in|at)\s+(?:prison|jail|hmp|the jail)\b",
        r"\bletters?\b", r"\bwrite (?:to|a letter)\b", r"\bwriting to\b", r"\bemail a prisoner\b", r"\bemap\b",
        r"\bsend (?:him|her|them)?\s*(?:money|cash|clothes|a parcel|parcels|stuff|things|a letter|photos|pictures|an email)\b",
        r"\b(?:put|send|transfer|get) money (?:in|into|to)\b", r"\bkeep(?:ing)? in (?:touch|contact)\b", r"\bstay(?:ing)? in (?:touch|contact)\b",
        r"\b(?:phone|call|calls|ring|speak to|talk to|hear from)\s+(?:him|her|them|me|us|my \w+)\s+(?:in|inside|from)\s+(?:prison|jail|there|the jail)\b",
        r"\b(?:email|e mail)\s+(?:someone|him|her|them|my \w+|a prisoner)\b", r"\bnumber (?:needs|has to be|must be) (?:approved|added)\b",
        r"\b(?:phone|calls?)\s+(?:from|to)\s+(?:the\s+)?(?:prison|jail|a prisoner)\b", r"\b(?:video|virtual)\s+(?:call|visit)s?\b",
        r"\bvoicemail\b", r"\bbook (?:a|the) (?:visit|video)\b", r"\btravel (?:costs|expenses|money)\b", r"\b(?:bus|train|fares?) to (?:the )?(?:prison|jail)\b",
        r"\bhelp with (?:the )?(?:fares|travel|petrol|getting there)\b", r"\bget to (?:the )?(?:prison|jail|hmp)\b",
    )),
    ("housing", _compile(
        r"\bhomeless(?:ness)?\b", r"\bnowhere (?:to|tae) (?:stay|sleep|live|go|kip|crash)\b", r"\bno(?:where| place| home| house| flat| roof)\s+(?:to (?:stay|sleep|live|go)|for tonight)\b",
        r"\b(?:no|without a|without any)\s+(?:home|house|flat|address|accommodation|roof over)\b", r"\bsofa (?:surfing|surf)\b", r"\bcouch (?:surfing|surf)\b",
        r"\bsleep(?:ing)? (?:rough|on the streets|in (?:a|my|the) car|outside|in a tent)\b", r"\bon the streets\b", r"\bevict(?:ed|ion|ing)?\b",
        r"\bhousing\b", r"\baccommodation\b", r"\bhostel\b", r"\b(?:a|somewhere|anywhere|place)\s+to\s+(?:stay|sleep|live|kip)\b",
        r"\b(?:kicked|thrown|chucked|put)\s+out\s+(?:of\s+)?(?:the|my|our|his|her)?\s*(?:house|home|flat)?\b", r"\btenancy\b", r"\brent arrears\b",
        r"\b(?:lose|losing|lost)\s+(?:my|our|the|his|her)\s+(?:house|home|flat|tenancy)\b", r"\b(?:a|the)\s+council (?:house|flat)\b", r"\bhousing officer\b",
        r"\bcan't go (?:back )?home\b", r"\bbed for (?:the night|tonight)\b", r"\bemergency accommodation\b", r"\btemporary accommodation\b",
        r"\b(?:where|where's)\s+(?:is\s+|am\s+|are\s+|do\s+|does\s+|will\s+|can\s+)?(?:he|she|they|i|we|my \w+)\s+(?:meant|going|supposed|able|gonna)?\s*(?:to\s+)?(?:stay|live|sleep)\b",
        r"\bwhere (?:will|would|can|do) (?:me and the kids|we|i|me and my \w+) go\b",
        r"\b(?:need|find|get|looking for)\s+(?:a|somewhere|anywhere)\s+(?:place|room|bed|roof)\b", r"\bcan't (?:stay|live) (?:there|here|with)\b",
        r"\b(?:afford|pay|paying|behind (?:on|with))\s+(?:the|my|our)\s+rent\b", r"\brent\b(?=.*\b(?:afford|pay|behind|arrears|owe)\b)",
    )),
    ("legal_advice", _compile(
        r"\bsolicitors?\b", r"\blawyers?\b", r"\blegal aid\b", r"\blegal (?:aid|advice|help|rep|representation)\b", r"\bduty (?:solicitor|lawyer)\b", r"\bappeal\b",
        r"\b(?:my|his|her|their) rights\b", r"\bplead(?:ing)?\b", r"\bcourt date\b", r"\bbail conditions\b", r"\bnot guilty\b",
    )),
    ("money", _compile(
        r"\bmoney\b(?!\s+(?:in|into|to)\s+(?:him|her|them|my|his|the\s+prison|prison|jail))", r"\bskint\b", r"\bbroke\b(?!\s+(?:in|into|down|his|her|the|my|a|up))", r"\bbenefits?\b", r"\buniversal credit\b", r"\b(?:uc|pip|esa|jsa)\b",
        r"\bdebts?\b", r"\bbills\b", r"\bcan't afford\b", r"\bfood ?bank\b", r"\bcrisis (?:grant|loan|payment)\b", r"\bwelfare fund\b",
        r"\bcommunity care grant\b", r"\bbank account\b", r"\bfeed (?:the|my|our) (?:kids|children|family|weans)\b", r"\b(?:wages|income|only money|the money)\b(?=.*\b(?:help|coming in|gone|stopped|lost|only)\b)", r"\bcan't afford\b", r"\bno (?:money|cash|food|income)\b", r"\bfines?\b(?=.*\b(?:pay|paying|owe|afford|can't)\b)",
        r"\bpay(?:ing)? (?:a|my|the|his|her) fines?\b", r"\bpaid\b(?=.*\b(?:benefit|universal credit|dwp)\b)", r"\bdwp\b", r"\bjobcentre\b", r"\bfinanc(?:es|ial)\b",
    )),
    ("drugs_alcohol", _compile(
        r"\bdrugs?\b(?!\s+(?:treatment and testing|court))", r"\bdrink(?:ing)?\b(?!\s+(?:driving|driver|water|tea|coffee))", r"\balcohol(?:ic|ism)?\b", r"\baddict(?:ion|ed|s)?\b",
        r"\bheroin\b", r"\bsmack\b", r"\bcoke\b", r"\bcocaine\b", r"\bcrack\b", r"\bvalium\b", r"\bvallies\b", r"\bbenzos?\b", r"\bstreet (?:valium|benzos)\b",
        r"\bmethadone\b", r"\bbuvidal\b", r"\bsubutex\b", r"\brecovery\b", r"\brehab\b", r"\bdetox\b", r"\brelapse[ds]?\b", r"\busing again\b",
        r"\bsubstances?\b", r"\bbooze\b", r"\bgambling\b", r"\bgear\b(?=.*\b(?:use|using|everywhere|scared|off|on)\b)", r"\buse again\b", r"\bscript\b", r"\bnaloxone\b", r"\bhabit\b(?=.*\b(?:drug|drink|using|heroin)\b)", r"\bsober\b", r"\bclean\b(?=.*\b(?:stay|staying|drugs?|get)\b)",
    )),
    ("mental_health", _compile(
        r"\bmental (?:health|illness|breakdown)\b", r"\bdepress(?:ed|ion|ing)\b", r"\banxi(?:ety|ous)\b", r"\bpanic attacks?\b", r"\bnerves\b",
        r"\bstress(?:ed)?\b", r"\b(?:nervous )?breakdown\b", r"\bptsd\b", r"\btrauma\b", r"\bpsychiatri(?:c|st)\b", r"\bcpn\b", r"\bcounsell(?:ing|or)\b",
        r"\btherap(?:y|ist)\b", r"\blow mood\b", r"\b(?:feeling|feel|felt)\s+(?:so\s+|really\s+|very\s+|pure\s+|that\s+)?(?:low|down|depressed|hopeless|numb|empty|awful|terrible|dreadful)\b",
        r"\bnot (?:sleeping|eating)\b", r"\bcan't (?:sleep|eat|stop crying)\b", r"\bmy head(?:'s| is) (?:gone|mince|all over|a mess)\b",
    )),
    ("employment", _compile(
        r"\bjobs?\b", r"\b(?:find|get|looking for|back to|back into|into|start|getting)\s+(?:a\s+)?work\b", r"\bemploy(?:ment|er|ers|ed|ability)\b",
        r"\bcareer\b", r"\b(?:training|course|courses|apprenticeship|qualifications?)\b", r"\bcollege\b", r"\bcv\b", r"\bjob interview\b", r"\bvolunteer(?:ing)?\b",
    )),
    ("legal_disclosure", _compile(
        r"\bcriminal record\b", r"\bmy record\b", r"\b(?:disclos(?:e|ure|ing))\b", r"\bpvg\b", r"\b(?:basic|standard|enhanced|background|police|record)\s+(?:check|disclosure)\b",
        r"\bspent\b", r"\bunspent\b", r"\b(?:tell|telling|declare|declaring)\s+(?:an?|my|the|new)?\s*(?:employer|employers|boss|landlord|college|university|uni)\b",
        r"\bconvictions?\b(?=.*\b(?:job|work|employer|show|check|declare|tell|spent|how long|still)\b)", r"\bshow (?:up )?on (?:a|my|the)\b.{0,20}\bcheck\b",
        r"\bprevious convictions\b", r"\bwill it show\b",
    )),
    ("emotional_support", _compile(
        r"\b(?:someone|somebody|anyone|anybody)\s+to\s+(?:talk|speak|chat)\s+to\b", r"\b(?:talk|speak)\s+to\s+(?:someone|somebody|anyone|a person)\b",
        r"\b(?:need|want)\s+to\s+(?:talk|vent|get it off my chest)\b", r"\blisten(?:ing)? (?:to me|ear)\b", r"\blonely\b", r"\bisolated\b", r"\bon my own\b",
        r"\bstruggling\b", r"\bnot coping\b", r"\bcan't cope\b", r"\bupset\b", r"\bin bits\b", r"\bworried sick\b", r"\bheartbroken\b", r"\bfalling apart\b",
        r"\bsupport group\b", r"\bdevastated\b", r"\bbeside myself\b", r"\bat my wits'? end\b", r"\bout of my mind\b", r"\bin a state\b", r"\bgreet(?:ing)?\b",
        r"\bcrying\b", r"\bbroken hearted\b", r"\bdon't know (?:how|what) to (?:cope|do)\b", r"\bdon't know where to turn\b", r"\bscared\b", r"\bworried\b", r"\bworrying\b",
        r"\bbereave(?:d|ment)\b", r"\bgrie(?:f|ving)\b", r"\bpassed away\b", r"\bdied\b",
    )),
)


# ---------------------------------------------------------------- follow-ups and corrections
FOLLOW_UP_PATTERNS: Tuple[Tuple[str, Pattern[str]], ...] = (
    ("phone", _compile(
        r"\b(?:how|where)\s+(?:do|can|would|could|should)\s+(?:i|we|you)\s+(?:phone|call|ring|contact|get in touch with|get hold of|reach|speak to|talk to)\s+(?:them|they|him|her|it|that|those|this|the service|that service|the team|the helpline|that one|that team)\b",
        r"\b(?:what's|what is|what are|give me|send me|can i have|can i get|can you give me|need|got)\s+(?:the|their|its|his|her|that|a)\s+(?:phone\s+)?(?:number|numbers|phone|contact details|contact number|helpline number)\b",
        r"\b(?:their|the|that|its)\s+(?:phone\s+)?(?:number|phone number|contact number|helpline)\s*\??$", r"^(?:the\s+)?(?:phone\s+)?number\s*\??$",
        r"\b(?:is it|are they|is that|is the call|is the number|is the line)\s+(?:free|freephone|free to call)\b", r"\bdo they (?:have|answer) (?:a|the) phone\b",
        r"\bcan i (?:phone|call|ring|text) (?:them|it|that|they)\b", r"\b(?:phone|call|ring|contact) (?:them|it|that one)\b",
    )),
    ("where", _compile(
        r"\bwhere\s+(?:are|is)\s+(?:they|it|that|the office|their office|the service|this)(?:\s+based|\s+located)?\b", r"\b(?:their|the|its)\s+(?:address|office|location)\b",
        r"\bwhere (?:do|would|can) i (?:go|find them|find it)\b", r"\bhow do i get there\b", r"\bnear (?:me|here)\b\s*\??$",
    )),
    ("hours", _compile(
        r"\b(?:are|is)\s+(?:they|it|that|the line|the helpline|the office|the service)\s+(?:open|available|on)\b", r"\bopening (?:hours|times)\b", r"\bwhen (?:are|is) (?:they|it|that) (?:open|available)\b",
        r"\bwhat (?:times?|hours?|days?)\s+(?:are|is|do)\s+(?:they|it)\b", r"\b(?:open|available) (?:at|on|over|during) (?:the )?(?:weekends?|saturdays?|sundays?|night|nights|evenings?|bank holidays?)\b",
        r"\b(?:open|available)\s+(?:now|today|tonight|24 ?(?:hours|7|/7))\b", r"\bwhat time\b", r"\bhours\s*\??$",
        r"\bwhen (?:is|are|does|do)\b.{1,40}\b(?:open|close|closed|shut|available)\b",
    )),
    ("web", _compile(r"\b(?:their|the|a|its)\s+(?:website|web site|site|link|web page|page)\b", r"\bwebsite\s*\??$", r"\b(?:their|an|the)\s+email\b")),
    ("more", _compile(r"^(?:tell me more|more|more info|more information|more details|go on|what else)\b", r"\b(?:tell|show) me more\b", r"\bmore (?:info|information|details) (?:about|on) (?:them|that|it|this)\b", r"\bwhat (?:do|does|can) (?:they|it) (?:do|help with|offer)\b")),
)
CORRECTION = _compile(
    r"^(?:no|naw|nah|nope|not|sorry|wait|hang on|hold on|actually|oops|i mean|i meant|correction|scratch that|my mistake|my bad|wrong)\b",
    r"\bno wait\b", r"\bi meant\b", r"\bi got (?:that|it) wrong\b", r"\bthat's (?:wrong|not right|not what i meant)\b", r"\bnot (?:for )?(?:him|her|them|my \w+),?\s+(?:it's\s+)?(?:for\s+)?me\b",
    r"\bi'm the one\b", r"\bit's me (?:who|that)\b", r"\bit's (?:actually )?for me\b", r"\bit's not for\b", r"\bfor myself\b",
)
SELF_REFERENCE = _compile(r"\bfor me\b", r"\bfor myself\b", r"\bit's me\b", r"\bi'm the one\b", r"\bit's about me\b", r"\bmyself\b")
HELP_SEEKING = _compile(
    r"\b(?:help|helping|support|advice|advise|guidance|assistance)\b", r"\bwho (?:can|could|do|should|would)\b", r"\bwhere (?:can|do|should|could) (?:i|we)\b",
    r"\bwhat (?:can|do|should|could) (?:i|we) do\b", r"\bwhat (?:happens|now|next)\b", r"\bdon't know what to do\b", r"\bcan you\b", r"\bis there (?:anything|anyone|any)\b",
    r"\bhow (?:do|can|should) (?:i|we)\b", r"\bplease\b", r"\bneed\b", r"\b(?:struggling|not coping|can't cope)\b", r"\bany ideas\b", r"\bwhat are (?:my|our) options\b",
)
ASKS_MEANING = _compile(
    r"\bwhat (?:does|do|is|are|'s|is a|is an|does a|does an)\b.{0,40}\b(?:mean|means|meaning|stand for)\b", r"\bmeaning of\b", r"\bdefin(?:e|ition)\b",
    r"^(?:what's|what is|what are|whats|explain|tell me what)\s+(?:a\s+|an\s+|the\s+)?[\w\s']{2,40}\??$", r"\bexplain (?:what|the term|a|an)\b",
    r"\bnever heard of\b", r"\bwhat'?s that\b", r"\bin plain english\b",
)
ASKS_HOW = _compile(
    r"\bhow (?:do|can|would|should|does|will|did|long|often|many|much|far) (?:i|we|you|he|she|they|it|my|a|the|people|visits?|that|this|ahead|in advance)\b",
    r"\bhow (?:i|we|to) (?:arrange|book|visit|get|apply|do|send|contact|write|email|phone|find|claim|register|pay)\b",
    r"\bwhat (?:i|we) (?:will |would |'ll )?(?:need|have) to\b", r"\bwhat to bring\b", r"\b(?:need|have) to bring\b", r"\bis there a way\b",
    r"\b(?:advise|explain) (?:me )?(?:how|what)\b",
    r"\bwhat (?:do|should|can|would) (?:i|we) (?:need|bring|do|say|take)\b", r"\bwhat (?:id|identification|documents?|papers)\b",
    r"\b(?:can|could|may|will) (?:i|we|he|she|they|the kids|children|my \w+) (?:visit|see|send|write|phone|call|bring|get|be told|get told|claim|apply|book|do|leave|use)\b",
    r"\bwhat (?:ways|options|else)\b", r"\bways (?:to|of)\b",
    r"\bwhen (?:can|do|will|does|is|are) (?:i|we|he|she|they|visiting|visits?)\b", r"\bis it possible\b", r"\bwhat happens\b",
    r"\bwhere (?:do|can|should) (?:i|we) (?:go|apply|book|find|send)\b", r"\b(?:explain|tell me about|how does it work|how it works)\b",
    r"\b(?:rules|process|procedure|steps)\b",
)

# Questions about the justice system that often come inside a request for help: the topic intent
# whose answer they need ("he got 3 years, when will he get out?").
TOPIC_PATTERNS: Tuple[Tuple[str, Pattern[str]], ...] = (
    ("ask_release_throughcare", _compile(
        r"\bwhen (?:will|would|does|do|can|could|is|might)\s+(?:he|she|they|my \w+|i)\s+(?:actually\s+|likely\s+|roughly\s+)?(?:get|be|come|gets|getting)\s+(?:out|released|home|let out)\b",
        r"\bwhen (?:is|was|will) (?:he|she|they|my \w+|i) (?:be )?due (?:out|for release|to be released|home)\b",
        r"\bhow long (?:will|would|does|do)\s+(?:he|she|they|my \w+|i)\s+(?:actually\s+)?(?:serve|do|be in|be inside|spend)\b",
        r"\b(?:parole|early release|automatic release|release date|halfway point|half way)\b",
        r"\b(?:still|can i|could i)\b.{0,30}\b(?:get help|get support|help from social work)\b.{0,40}\b(?:got out|released|after|since)\b",
        r"\b(?:got out|released|since i got out)\b.{0,60}\b(?:still get|can i still|help from social work|voluntary throughcare)\b",
    )),
    ("ask_prison_sentence", _compile(
        r"\bwhere (?:will|would|do|does|did|are|is)\s+(?:they|he|she|the police)\s+(?:take|taken|send|sent|get taken|be taken|be sent|go)\b",
        r"\bif (?:he|she|they|my \w+) (?:gets?|is|are) remanded\b", r"\bwhich prison (?:do|does|will|would)\b",
    )),
    ("ask_arrest_custody", _compile(
        r"\b(?:get|gets|getting|entitled|right) (?:to )?(?:speak to |see |have |talk to )?a (?:lawyer|solicitor)\b", r"\bduty solicitor\b",
        r"\bhow long can (?:they|the police) (?:keep|hold)\b",
    )),
    ("ask_disclosure", _compile(
        r"\b(?:is it|is my|are my|will it be|when (?:does|will|is) (?:it|my \w+|a conviction|the conviction))\s+(?:be\s+|become\s+)?spent\b",
        r"\b(?:become|becomes|be|is it|when is it) spent\b", r"\bshow (?:up )?on (?:a|my|the) (?:disclosure|check|record)\b",
    )),
    ("ask_bail_supervision", _compile(
        r"\b(?:oppose|opposing|opposed|refuse|refused|refusing|won't give|get|getting|given)\s+(?:him\s+|her\s+|them\s+)?bail\b",
        r"\bbail (?:supervision|conditions|support)\b", r"\b(?:instead of|rather than|avoid|keep \w+ out of)\s+(?:remand|being remanded)\b",
    )),
    ("ask_community_payback_order", _compile(
        r"\bhow long (?:have i got|do i have|have you got|does he have|does she have|to finish|to complete|to do)\b.{0,40}\b(?:hours|unpaid work|community service|cpo)\b",
        r"\b(?:hours|unpaid work|community service)\b.{0,40}\bhow long\b",
        r"\bwhen (?:does|do|will|should) (?:my |the |his |her )?(?:unpaid work|community service|hours|cpo|order) (?:start|begin)\b",
        r"^(?=.*\b(?:unpaid work|community service|cpo|community payback|hours)\b).*\bwhen (?:does|will|do|should) (?:it|they|that) (?:start|begin)\b",
        r"\bhow (?:quickly|soon) (?:do|does|will) (?:i|he|she|the unpaid work) (?:start|begin)\b",
    )),
    ("ask_partners", _compile(
        r"\bwho(?:'s| is| are)? (?:actually |all )?(?:in|on|part of|members of|involved in) (?:the |this |your |that )?(?:[\w&]+ ){0,4}(?:partnership|partnerships)\b",
        r"\bwho are (?:the |its |their |your )?(?:statutory |local |main |community justice )?partners\b",
        r"\b(?:which|what|who) (?:organisations|bodies|agencies|partners)\b.{0,60}\b(?:partnership|take part|involved|the act|by law|statutory)\b",
        r"\bwho (?:does|do|did) the act (?:say|name|list)\b", r"\b(?:has|have) to take part\b",
    )),
    ("ask_home_detention_curfew", _compile(
        r"\b(?:out|released|get out|come out|home) early (?:on|with) (?:a )?tag\b", r"\bhome detention curfew\b", r"\bhdc\b",
    )),
    # content answers people reach by their question (no intent of their own)
    ("breaching_an_order", _compile(
        r"\b(?:break|breach|broke|broken|breached|breaching|miss|missed|missing)\s+(?:one of\s+)?(?:my|his|her|the|a|their)\s+(?:licence|license|order|cpo|conditions?|licence conditions|curfew|tag|appointments?|unpaid work|hours)\b",
        r"\b(?:get|got|be|being|was|been) recalled\b", r"\brecall(?:ed)? to (?:prison|jail)\b", r"\bsent back (?:to prison|to jail|inside)\b",
    )),
    ("telling_children", _compile(
        r"\b(?:tell|telling|explain|explaining|say to)\b.{0,30}\b(?:kids|children|child|son|daughter|little one|grandchildren|grandkids)\b.{0,40}\b(?:prison|jail|inside|away|where (?:he|she|dad|mum|daddy|mummy) is)\b",
    )),
    ("money_after_release", _compile(
        r"\b(?:will|does|do|can) (?:he|she|i|they) (?:get|be given|have) (?:any )?money (?:when|after|once)\b", r"\bdischarge grant\b",
        r"\bmoney (?:when|after|once) (?:he|she|i|they) (?:gets?|comes?|is|am) (?:out|released)\b",
    )),
    ("finding_which_prison", _compile(
        r"\bwhere (?:he|she|they|my \w+) (?:will|would|is going to|are going to|is|are) (?:be )?(?:held|taken|sent|kept)\b",
        r"\b(?:find out|know) (?:which|what) prison\b", r"\bwhere (?:will|would) (?:they|he|she) (?:take|send|hold) (?:her|him|them)\b",
    )),
    ("legal_aid", _compile(
        r"\blegal aid\b", r"\b(?:can't|cannot|cant) afford (?:a |my |the )?(?:lawyer|solicitor)\b", r"\bfree (?:lawyer|solicitor|legal)\b",
    )),
    ("paying_fines", _compile(r"\bpay(?:ing)? (?:a|my|the|his|her) fine\b", r"\bfine (?:payment|instalments?)\b", r"\b(?:can't|cannot|cant) pay (?:my|the|a) fine\b")),
    ("criminal_injuries_compensation", _compile(r"\bcompensation\b", r"\bcompo\b", r"\bcriminal injuries\b", r"\bcica\b")),
    ("going_to_court_as_witness", _compile(
        r"\bwaiting room\b", r"\b(?:give|giving) evidence\b.{0,60}\b(?:how|what|will|can|do)\b", r"\bchildcare\b.{0,40}\bcourt\b",
        r"\bcourt\b.{0,40}\bchildcare\b", r"\bscreen\b.{0,30}\b(?:court|evidence)\b",
    )),
)


def topics_asked(text: str) -> List[str]:
    return [intent for intent, pattern in TOPIC_PATTERNS if pattern.search(text)]
