"""Built-in tone rules for English drafts (see `core.tone_rules` for the pattern syntax)."""

from __future__ import annotations

from webcare_tui.core.tone_rules import ToneRule, rules

# Verbs of a customer's own doing, as they follow "you should have": not "received" or "got",
# which tell the customer what they are owed ("you should have received an e-mail").
_EN_DEED = (
    r"(?!received|got|gotten|been|had|a |an |the |one |some |any |it |this |that )"
    r"(read|checked|looked|known|asked|called|ordered|paid|followed|seen|noticed|told|"
    r"contacted|kept|waited|used|tried|done|made|taken|filled|entered|chosen|reported|"
    r"returned|registered|signed|logged|updated|saved|bought|booked|\w+ed)"
)

EN: tuple[ToneRule, ...] = (
    *rules(
        "en",
        "lecturing",
        ("hindsight", rf"you should(n't)?('ve| have) (just |simply |first |really )?{_EN_DEED}"),
        (
            "if_you_had",
            (
                r"if you('d| had) (just |only |simply |bothered to |actually )?(\w+ed|read|seen|"
                r"done|known|taken|gone|written)\b(?! (any|more))"
            ),
        ),
        # "Had you read the manual, you would ...": hindsight as an inverted conditional.
        ("had_you_done", rf"(?<![\w,] )had you (just |only |simply |actually )?{_EN_DEED}"),
        ("would_have_saved", r"(would|could) have saved you"),
        (
            "next_time",
            (
                r"next time,? (maybe |perhaps |please |just |try to |make sure (to |you )?|"
                r"remember to )?(double-?check|check|read|look|pay attention|be more careful|"
                r"think)"
            ),
        ),
        (
            "repeated",
            (
                r"(we|i)('ve| have)? (already )?(explained|told you|said|answered|mentioned|"
                r"pointed out)( this| that| it)? ((already|before|twice|again|yesterday|earlier)|"
                r"(\w+ )?times)"
            ),
        ),
        (
            "read_the_manual",
            (
                r"(?<![\w,] |\w)(please |just |maybe |try |first )*(read|reading|consult|"
                r"look at) (the|our|your) (manual|faq|faqs|instructions|terms|t&cs|conditions|"
                r"small print|fine print|user guide|confirmation( e-?mail)?)"
            ),
        ),
        (
            "apparently",
            (
                r"(which |that )?you (apparently|obviously|clearly|evidently|"
                r"conveniently) (\w+ )?(skipped|missed|ignored|overlooked|forgot|didn't|did not|"
                r"failed|chose)"
            ),
        ),
        (
            "policy_refusal",
            (
                r"(as per|per|according to) our (policy|policies|terms|rules|"
                r"conditions)[^.!?]{0,80}[.!?]?\s*[^.!?]{0,40}(can't|cannot|unable|not able|won't|"
                r"too late|no longer|refused|not accepted|not possible|not allowed|excluded)"
            ),
        ),
        ("quick_look", r"a (quick |simple )?(look|glance) at (our|the|your) \w+ would"),
    ),
    *rules(
        "en",
        "blaming",
        (
            "because_you",
            (
                r"because you (\w+ ){0,2}?(gave|entered|typed|chose|selected|picked|forgot|didn't|"
                r"did not|failed|never|ignored|missed|cancelled|canceled|clicked|used|put|ticked)"
            ),
        ),
        (
            "you_got_it_wrong",
            (
                r"you (\w+ ){0,2}?(gave|entered|typed|filled in|used|chose|selected|provided|"
                r"put in|picked) (us )?(the |an? |your )?(wrong|incorrect|invalid|old|outdated|"
                r"expired)"
            ),
        ),
        (
            "on_your_side",
            (
                r"(?<!(nothing|need|anything|don't|do not|no) (\w+ ){0,3})(that's|that is|it's|"
                r"it is|problem is|issue is|lies|is) on your (side|end)"
            ),
        ),
        (
            "yours_is_the_problem",
            (
                r"your (\w+ ){1,2}?(is|are|was|were) (the (real )?(problem|issue|cause|culprit)|"
                r"to blame|at fault)"
            ),
        ),
        (
            "just_not_home",
            (
                r"you (just |simply )?(weren't|were not|wasn't|was not) (at )?home|"
                r"nobody was (at )?home"
            ),
        ),
        ("the_one_who", r"you('re| are| were) the one (who|that)"),
        ("remember", r", remember\?"),
        ("misread", r"you (must|might|may) have (misread|misunderstood|misheard|mixed)"),
    ),
    *rules(
        "en",
        "dismissive",
        (
            "nothing_we_can_do",
            (
                r"(there's|there is) nothing (more |else )?(we|i) can do|not (much|a lot|"
                r"anything) (we|i) can do"
            ),
        ),
        (
            "figure_it_out",
            (
                r"figure (it|that|this) out|sort (it|that|this) out (yourself|with)|(?<!(we|i|"
                r"we'll|i'll|will|to|can) )take (it|that|this) up with"
            ),
        ),
        ("not_our_job", r"(we|i) (don't|do not) (handle|deal with|do) (that|this|those)( here)?\b"),
        ("between_you", r"(that's|that is|it's|it is) between you and"),
        (
            "stop_writing",
            (
                r"(don't|do not|stop) (message|messaging|contact|contacting|tweet|tweeting|email|"
                r"emailing|dm|dming|write to|writing to|tag|tagging) us"
            ),
        ),
        ("whatever", r"whatever you say"),
    ),
    *rules(
        "en",
        "sarcasm",
        ("how_did_you_survive", r"how did you (ever )?(survive|manage|cope)"),
        ("we_will_just", r"(sure|right|yeah|oh),? (we'll|i'll|we will|i will|let me|let us) just"),
        ("shall_we", r", shall we\?"),
        ("oh_great", r"\boh,? (great|wonderful|lovely|joy|brilliant|fantastic|perfect|how nice)\b"),
        (
            "another_expert",
            (
                r"(another|yet another|a real|our resident) (\w+ ){0,3}?(expert|genius|"
                r"rocket scientist|professor|know-it-all)"
            ),
        ),
        (
            "congratulations",
            (
                r"congratulations,? you('ve| have)? (found|managed|discovered|broke|broken|"
                r"succeeded|figured)"
            ),
        ),
        (
            "thanks_for_the_essay",
            (
                r"thanks? (you )?for (the|your|this) (essay|novel|lecture|rant|life story|sermon|"
                r"speech|tirade)"
            ),
        ),
        ("short_answer_no", r"short (answer|version):? no\b"),
        ("good_luck_finding", r"good luck (finding|getting|trying|with that|elsewhere)"),
    ),
    *rules(
        "en",
        "defensive",
        (
            "did_everything_right",
            (
                r"(we|i) did (everything|all|it) (right|correctly|by the book)|(everything|"
                r"all) (was|is) (done )?(correct|correctly|right|fine) on our (end|side)|(our|"
                r"the) system shows no (errors|problems|issues|faults?)"
            ),
        ),
        (
            "we_doubt_it",
            (
                r"(we|i) (seriously |really |strongly )?doubt (that|this|it) (happened|is true|"
                r"was|is the case)|(find|found) (it|that|this) hard to believe"
            ),
        ),
        ("would_never", r"(would|could) never (be|have been|do|say) (rude|that|such)"),
        (
            "not_true",
            (
                r"(that's|that is|this is) (simply |just |absolutely |completely |"
                r"totally )?(not true|untrue|false|nonsense)"
            ),
        ),
        (
            "clearly_listed",
            (
                r"(is|are|was|were) (very |quite )?clearly (listed|stated|shown|mentioned|marked|"
                r"explained|written|indicated|displayed)"
            ),
        ),
        ("never_promised", r"(we|i) never (promised|said|claimed|guaranteed|told you)"),
        ("accusations", r"(the|your|those|these|such) accusations?"),
        (
            "just_the_platform",
            (
                r"(we're|we are) (just|only|merely) (the|a) (platform|messenger|middleman|"
                r"intermediary)"
            ),
        ),
        ("not_our_side", r", not (our|the) (network|system|fault|service|app|website|side|end)\b"),
    ),
    # --- second round, tuned on the second table (now part of heldout_replies.toml) ----------
    *rules(
        "en",
        "lecturing",
        ("ought_to", r"you (really |truly )?ought to"),
        (
            "from_now_on",
            (
                r"(in (the )?future|from now on|going forward|next time)[,:]? (please |just |"
                r"maybe |try to |remember to |make sure (to |you )?)?(keep|check|read|look|"
                r"remember|make sure|be sure|take|save|double-?check|pay)|(keep|check|read|save|"
                r"remember) "
                r"[^.!?]{0,40} (in (the )?future|from now on|next time)"
            ),
        ),
        (
            "covered_in",
            (
                r"(covered|explained|described|mentioned|listed|stated|written|answered) in the "
                r"[\w -]{1,30} (you|we) (received|got|sent|signed)"
            ),
        ),
        ("a_little_patience", r"a (little|bit of|little bit of) (patience|common sense|effort)"),
    ),
    *rules(
        "en",
        "blaming",
        ("what_happens_when", r"(that's|that is|this is) what (happens|you get) (when|if) you"),
        (
            "on_your_part",
            (
                r"(improper|incorrect|wrong|careless|rough) (use|handling|installation)|(mistake|"
                r"error|fault) (on|from) your (part|side|end)|on your part"
            ),
        ),
        (
            "you_chose_it",
            (
                r"you (picked|chose|selected|opted for|went for|clicked|ticked) (\w+ ){0,3}?"
                r"(yourself|wrong|incorrect|slowest|cheapest)"
            ),
        ),
    ),
    *rules(
        "en",
        "dismissive",
        ("nothing_to_add", r"nothing (further|more|else) to (add|say|discuss)"),
        (
            "not_something_we_discuss",
            (
                r"not something (we're|we are|we'll|we will|i'm|i am) (going to |willing to |able "
                r"to )?(discuss|comment on|get into|do)"
            ),
        ),
        (
            "shop_elsewhere",
            r"(shop|go|buy|order|look) (\w+ )?elsewhere|take your (business|custom) elsewhere",
        ),
        ("not_us", r",? not (with )?us[.!]"),
    ),
    *rules(
        "en",
        "sarcasm",
        (
            "never_heard_that",
            (
                r"that's a new one|(haven't|have never|never) heard (that|this) (one |complaint |"
                r"excuse )?before"
            ),
        ),
        (
            "amazing_how",
            (
                r"(amazing|funny|strange|interesting|curious|remarkable) how [^.!?]{0,60}\byou"
                r"('ve|'re| have| are)?\b"
            ),
        ),
        ("right_because", r"(right|sure|yeah|oh yes),? because"),
        ("our_fault_too", r"our fault (too|as well)"),
    ),
    *rules(
        "en",
        "defensive",
        ("cannot_have_happened", r"(can't|cannot|couldn't|could not) (possibly )?have happened"),
        ("happy_customers", r"(thousands|millions|hundreds) of (happy|satisfied|loyal) customers"),
        (
            "unlikely_us",
            r"(unlikely|not likely|hardly) (to be )?(on our (side|end)|our fault|caused by us)",
        ),
        (
            "strict_procedures",
            (
                r"(follow|work to|adhere to|stick to) (strict|clear|standard|fixed) (procedures|"
                r"protocols|rules|guidelines)"
            ),
        ),
    ),
)
