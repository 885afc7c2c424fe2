"""Fictional demo communities, memberships and items for one audience (seed_demo); not advice.

Chosen so that every audience rule can be tried with the demo logins (README,
"Communities"): an open community, one on request with requests waiting, an
unlisted one by invitation, and one for clinicians; items for one community
and for members of Kindred in every review state.
"""

from __future__ import annotations

from core.models import CommunityMembership, CommunityPage

JoinPolicy = CommunityPage.JoinPolicy
Preset = CommunityPage.ModerationPreset
State = CommunityMembership.State
Role = CommunityMembership.Role

NEWLY_DIAGNOSED = "newly-diagnosed"
CARERS = "carers-and-family"
PROGRESSIVE = "progressive-ms"
CLINICIANS = "clinicians-only"

COMMUNITIES = [
    {
        "slug": NEWLY_DIAGNOSED,
        "title": "Newly diagnosed",
        "intro": "<p>Your first year with MS: questions, appointments, and people who remember "
        "exactly how that felt.</p>",
        "rules": "<ol><li>Be kind: everyone here is new to this.</li><li>Share what helped you, "
        "not what others must do. Medical decisions belong with your own team.</li><li>What "
        "people say here stays here: no screenshots, no names of people who are not here."
        "</li></ol>",
        "join_policy": JoinPolicy.OPEN,
        "is_listed": True,
        "moderation_preset": Preset.HOLD_FIRST,
        "hold_first_count": 2,
    },
    {
        "slug": CARERS,
        "title": "Carers and family",
        "intro": "<p>For partners, parents, children and friends who care for someone with MS. "
        "A place to say the things you cannot say at home.</p>",
        "rules": "<ol><li>The person you care for is not here: respect their privacy, use no "
        "names.</li><li>Venting is welcome; contempt is not.</li><li>If you are worried about "
        "someone's safety, call emergency services first.</li></ol>",
        "join_policy": JoinPolicy.REQUEST,
        "is_listed": True,
        "moderation_preset": Preset.HOLD_ALL,
        "hold_first_count": 3,
    },
    {
        "slug": PROGRESSIVE,
        "title": "Progressive MS",
        "intro": "<p>A small, private group for people living with primary or secondary "
        "progressive MS. Members invite people they know.</p>",
        "rules": "<ol><li>Invitation only: do not tell anyone outside who is here.</li><li>No "
        "miracle cures, no selling.</li><li>Hard days are allowed; so is dark humour.</li></ol>",
        "join_policy": JoinPolicy.INVITATION,
        "is_listed": False,
        "moderation_preset": Preset.REPORTS,
        "hold_first_count": 3,
    },
    {
        "slug": CLINICIANS,
        "title": "Clinicians only",
        "intro": "<p>Verified clinicians discussing cases in general terms, guidelines and how "
        "to explain them to patients.</p>",
        "rules": "<ol><li>Never anything that could identify a patient.</li><li>Cite your "
        "sources.</li><li>Opinions here are not advice to members.</li></ol>",
        "join_policy": JoinPolicy.REQUEST,
        "is_listed": True,
        "moderation_preset": Preset.REPORTS,
        "hold_first_count": 3,
    },
]

# (community, username, state, role). The moderators: member1 of "Newly
# diagnosed" and "Progressive MS", member2 of "Carers and family", the expert
# of "Clinicians only". Waiting: member1 and member3 asked to join the carers;
# member3 is invited to "Progressive MS".
MEMBERSHIPS = [
    (NEWLY_DIAGNOSED, "member1", State.ACTIVE, Role.MODERATOR),
    (NEWLY_DIAGNOSED, "member2", State.ACTIVE, Role.MEMBER),
    # The demo expert answers the community's questions (issue 13).
    (NEWLY_DIAGNOSED, "expert", State.ACTIVE, Role.MEMBER),
    (CARERS, "member2", State.ACTIVE, Role.MODERATOR),
    (CARERS, "member1", State.REQUESTED, Role.MEMBER),
    (CARERS, "member3", State.REQUESTED, Role.MEMBER),
    (PROGRESSIVE, "member1", State.ACTIVE, Role.MODERATOR),
    (PROGRESSIVE, "member3", State.INVITED, Role.MEMBER),
    (CLINICIANS, "expert", State.ACTIVE, Role.MODERATOR),
]
# Members who let their profile list the community.
SHOWN_ON_PROFILE = {(NEWLY_DIAGNOSED, "member1"), (CARERS, "member2")}

# Review states, as portal.demo.seed names them.
PUBLISHED = "published"
AWAITING_EDITORIAL = "awaiting editorial review"
AWAITING_MEDICAL = "awaiting medical review"
CHANGES_REQUESTED = "changes requested"
DRAFT = "draft"

BLOG, STORY, ARTICLE = "blog", "story", "article"
MEMBERS = "members"

# One item in each review state for the carers (a community, member2) and for
# members of Kindred (member1's stories); a published item in each other community.
AUDIENCE_ITEMS = [
    {
        "kind": BLOG,
        "audience": CARERS,
        "state": PUBLISHED,
        "author": "member2",
        "title": "The night I shouted at the wheelchair",
        "summary": "Not at her, at the chair. What I felt after the worst week we have had, and "
        "why I am telling you here and nowhere else.",
        "paragraphs": [
            "It had been a week of hospital transport that never came and a ramp that would not "
            "fold. On Thursday night I stood in the hallway and shouted at a wheelchair.",
            "I love her. I also resent the life we have now, some days, and I cannot say that at "
            "home. Writing it here, where the only readers are people doing the same, helps.",
            "What got me through: a respite evening a month, a carers' assessment I should have "
            "asked for years ago, and one friend who asks how I am and waits for the answer.",
        ],
        "tags": ["carers", "mental health"],
    },
    {
        "kind": BLOG,
        "audience": CARERS,
        "state": AWAITING_EDITORIAL,
        "author": "member2",
        "title": "Who cares for the carer when the carer gets flu",
        "summary": "A week in bed taught us that our whole plan rested on me. This is the backup "
        "plan we wrote afterwards.",
        "paragraphs": [
            "When I went down with flu, we found out that nobody else knew her medication times, "
            "her physio exercises or which pharmacy holds her prescriptions.",
            "We now keep a one-page care plan on the fridge and a copy with her sister.",
        ],
        "tags": ["carers", "family"],
    },
    {
        "kind": STORY,
        "audience": CARERS,
        "state": AWAITING_MEDICAL,
        "author": "member2",
        "title": "Learning to do her injections",
        "summary": "The nurse showed me once and then it was my job. What I got wrong, and what "
        "the MS nurse told me when I finally rang.",
        "paragraphs": [
            "For the first month I was more frightened of the injections than she was. I read the "
            "leaflet so often I could recite it.",
            "The MS nurse rang back within a day, watched me do one on a video call and corrected "
            "the angle. It has been easy since. Ask for help sooner than I did.",
        ],
        "tags": ["carers", "treatment"],
        "condition": "Caring for someone with MS",
        "treatments": ["glatiramer acetate"],
        "year_of_diagnosis": 2018,
        "anonymous": True,
    },
    {
        "kind": BLOG,
        "audience": CARERS,
        "state": CHANGES_REQUESTED,
        "author": "member2",
        "title": "Our GP, our neurologist and me: a rant",
        "summary": "Three appointments, three different answers. I wrote this angry; the "
        "editors asked me to take out a name before it goes up.",
        "paragraphs": [
            "Between the GP, the neurologist and the pharmacy, nobody seemed to own her "
            "prescription. I spent three afternoons on hold.",
            "What finally worked was asking the MS nurse to be the one person who coordinates.",
        ],
        "tags": ["carers", "treatment"],
    },
    {
        "kind": BLOG,
        "audience": CARERS,
        "state": DRAFT,
        "author": "member2",
        "title": "Notes for a carers' meeting (draft)",
        "summary": "Half-written thoughts for the next carers' evening: respite, money, and sleep.",
        "paragraphs": [
            "Things to raise: the respite budget, the blue badge renewal, and how we all sleep.",
        ],
        "tags": ["carers"],
    },
    {
        "kind": STORY,
        "audience": MEMBERS,
        "state": PUBLISHED,
        "author": "member1",
        "title": "Telling my friends, one at a time",
        "summary": "I did not post it anywhere. I told five people, over five weeks, and each "
        "conversation taught me something about the next.",
        "paragraphs": [
            "I decided early that my diagnosis would not be a status update. I would tell people "
            "face to face, when I was ready.",
            "The first conversation was clumsy; by the fifth I had a short version and a long "
            "version, and I let the other person choose.",
        ],
        "tags": ["diagnosis", "family"],
        "condition": "Newly diagnosed",
        "treatments": [],
        "year_of_diagnosis": 2024,
        "anonymous": False,
    },
    {
        "kind": STORY,
        "audience": MEMBERS,
        "state": AWAITING_EDITORIAL,
        "author": "member1",
        "title": "My first MRI in a year",
        "summary": "Scanxiety is real. The week before my annual MRI, and the phone call after.",
        "paragraphs": [
            "I counted the days to the scan and then the days to the results. Nothing helped the "
            "waiting except keeping busy.",
            "The results were stable. I celebrated with the cake I always promise myself.",
        ],
        "tags": ["diagnosis", "mental health"],
        "condition": "Relapsing-remitting MS",
        "treatments": [],
        "year_of_diagnosis": 2019,
        "anonymous": False,
    },
    {
        "kind": STORY,
        "audience": MEMBERS,
        "state": AWAITING_MEDICAL,
        "author": "member1",
        "title": "Stopping a treatment I was told to stop",
        "summary": "My neurologist suggested a pause before trying for a baby. How we planned it, "
        "and how it felt to stop.",
        "paragraphs": [
            "We talked about it for months before deciding. The plan came from my team, step by "
            "step, with a date to review it.",
            "Stopping felt like letting go of a safety rail. Having the plan written down helped.",
        ],
        "tags": ["pregnancy", "treatment"],
        "condition": "Relapsing-remitting MS",
        "treatments": ["dimethyl fumarate"],
        "year_of_diagnosis": 2019,
        "anonymous": True,
    },
    {
        "kind": STORY,
        "audience": MEMBERS,
        "state": CHANGES_REQUESTED,
        "author": "member1",
        "title": "The ward where I had my first relapse",
        "summary": "Five nights in hospital, the nurse who sat with me, and why I went back to "
        "thank her.",
        "paragraphs": [
            "I was admitted on a Sunday night and did not know what was happening to my legs.",
            "The night nurse sat with me at three in the morning and explained everything twice.",
        ],
        "tags": ["relapses"],
        "condition": "Relapsing-remitting MS",
        "treatments": ["methylprednisolone"],
        "year_of_diagnosis": 2019,
        "anonymous": False,
    },
    {
        "kind": STORY,
        "audience": MEMBERS,
        "state": DRAFT,
        "author": "member1",
        "title": "A letter to myself on diagnosis day (draft)",
        "summary": "What I would say to the person crying in the hospital car park.",
        "paragraphs": ["Dear me: eat the cake. Then ring the MS nurse on Monday."],
        "tags": ["diagnosis"],
        "condition": "Newly diagnosed",
        "treatments": [],
        "year_of_diagnosis": 2019,
        "anonymous": False,
    },
    {
        "kind": BLOG,
        "audience": NEWLY_DIAGNOSED,
        "state": PUBLISHED,
        "author": "member1",
        "title": "Questions I wish I had asked in my first month",
        "summary": "A list for the first appointments, written for this group: take it, change "
        "it, add yours in the comments.",
        "paragraphs": [
            "Who do I call if something new happens on a Friday night? What is the plan if I "
            "relapse? Which of my symptoms are MS, and which are not?",
            "Bring the list, bring a person, and write the answers down: you will not remember "
            "them afterwards.",
        ],
        "tags": ["diagnosis"],
    },
    {
        "kind": STORY,
        "audience": PROGRESSIVE,
        "state": PUBLISHED,
        "author": "member1",
        "title": "When the word changed to progressive",
        "summary": "My neurologist said 'secondary progressive' at my review. Only people in "
        "this group will read how that felt.",
        "paragraphs": [
            "The change was not a surprise; hearing it said out loud was.",
            "What helped: people here who had heard the same sentence, and a physiotherapist who "
            "talked about what I can still build.",
        ],
        "tags": ["mobility", "mental health"],
        "condition": "Secondary progressive MS",
        "treatments": ["siponimod"],
        "year_of_diagnosis": 2012,
        "anonymous": True,
    },
    {
        "kind": ARTICLE,
        "audience": CLINICIANS,
        "state": PUBLISHED,
        "author": "expert",
        "title": "Explaining treatment escalation without frightening people",
        "summary": "For colleagues: the words that worked in our clinic when moving a patient "
        "to a higher-efficacy therapy.",
        "paragraphs": [
            "Escalation conversations go better when monitoring, infection risk and the reason "
            "for the change are explained in the same visit.",
            "We offer a second appointment with the MS nurse within a week, and a written summary.",
        ],
        "tags": ["treatment", "research"],
        "credentials": "Consultant neurologist, MS specialist clinic",
        "references": [
            {
                "citation": "NICE guideline NG220: Multiple sclerosis in adults: management (2022)",
                "url": "https://www.nice.org.uk/guidance/ng220",
            },
        ],
    },
]
