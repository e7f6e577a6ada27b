"""Invented names and canned text for the demo district (see seop_tui.demo).

Everything here is made up for demonstration. Names are common given and family
names with a Southern Utah flavour (Scandinavian and pioneer surnames, Spanish,
Pacific Islander and Navajo names); school names are invented places in red-rock
country. Phone numbers use the 555-01xx range reserved for fiction and e-mail
addresses use the reserved example.org domain.
"""

from __future__ import annotations

# Name groups: (weight, family names, given names for children, given names for adults).
# A child's given name comes from its family's group most of the time and from the
# first (most common) group otherwise.
NAME_GROUPS: tuple[tuple[float, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        0.72,
        (
            "Jensen", "Christensen", "Larsen", "Nielsen", "Hansen", "Sorensen", "Petersen", "Madsen", "Frandsen",
            "Jorgensen", "Smith", "Johnson", "Anderson", "Peterson", "Nelson", "Young", "Allred", "Barlow", "Call",
            "Hafen", "Leavitt", "Snow", "Cox", "Gubler", "Frei", "Hunt", "Hurst", "Jolley", "Lyman", "Pace",
            "Prince", "Reber", "Staheli", "Terry", "Whitehead", "Bowler", "Cannon", "Empey", "Graff", "Holt",
            "Iverson", "Judd", "Kemp", "Lamb", "McArthur", "Mathis", "Nisson", "Pulsipher", "Randall", "Sullivan",
            "Tobler", "Webb", "Woodbury", "Atkin", "Bundy", "Cottam", "Dalton", "Esplin", "Foremaster", "Gardner",
            "Heaton", "Jepson", "Kelsey", "Lund", "Mortensen", "Nuttall", "Olsen", "Pratt", "Reeve", "Stucki",
            "Thurston", "Wadsworth", "Bracken", "Crosby", "Doxey", "Fawcett", "Goulding", "Harmon", "Ence", "Sant",
            "O'Brien", "McDonald", "Kim", "Patel",
        ),
        (
            "Emma", "Olivia", "Charlotte", "Evelyn", "Amelia", "Lucy", "Hazel", "Eliza", "Claire", "Ruby",
            "Ava", "Sophia", "Isabella", "Mia", "Harper", "Ellie", "Nora", "Avery", "Scarlett", "Violet",
            "Lily", "Aubrey", "Brooklyn", "Paisley", "Kennedy", "Emery", "Navy", "Oakley", "Sadie", "Stella",
            "Addison", "Maren", "Kinsley", "Hallie", "Tessa", "Afton", "Kaylee", "McKenna", "Sariah", "Abigail",
            "Liam", "Oliver", "William", "James", "Henry", "Lincoln", "Hudson", "Jack", "Samuel", "Benjamin",
            "Elijah", "Ethan", "Logan", "Owen", "Jackson", "Wyatt", "Lucas", "Gideon", "Boston", "Beckham",
            "Bridger", "Brigham", "Parker", "Tanner", "Colton", "Ryker", "Hyrum", "Porter", "Stockton", "Jace",
            "Isaac", "Caleb", "Nathan", "Carter", "Easton", "Maverick", "Ezra", "Asher", "Joseph", "Daniel",
        ),
        (
            "Jennifer", "Amanda", "Jessica", "Sarah", "Melissa", "Rachel", "Heather", "Megan", "Brittany", "Ashley",
            "Natalie", "Kristen", "Lindsey", "Camille", "Whitney", "Michael", "David", "Jason", "Ryan", "Brandon",
            "Tyler", "Justin", "Spencer", "Dustin", "Kyle", "Bryce", "Jared", "Travis", "Darrell", "Brent",
        ),
    ),
    (
        0.18,
        (
            "Garcia", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Rodriguez", "Perez", "Sanchez", "Ramirez",
            "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Morales", "Ortiz", "Castillo", "Jimenez", "Vargas",
            "Mendoza",
        ),
        (
            "Sofia", "Valentina", "Camila", "Ximena", "Lucia", "Mariana", "Daniela", "Guadalupe", "Esmeralda",
            "Yesenia", "Mateo", "Santiago", "Diego", "Alejandro", "Emiliano", "Javier", "Luis", "Miguel", "Angel",
            "Adrian",
        ),
        ("Maria", "Ana", "Rosa", "Lupita", "Veronica", "Claudia", "Jose", "Carlos", "Juan", "Ricardo", "Jorge", "Raul"),
    ),
    (
        0.05,
        ("Fifita", "Taufa", "Havili", "Mahe", "Tuipulotu", "Fonua", "Vainikolo", "Kaufusi", "Tuilagi", "Pouha"),
        ("Malia", "Leilani", "Mele", "Losana", "Fetu", "Sione", "Tevita", "Viliami", "Keoni", "Kainoa"),
        ("Seini", "Lavinia", "Ana", "Salote", "Siosaia", "Lopeti", "Sione", "Tevita"),
    ),
    (
        0.05,
        ("Begay", "Yazzie", "Benally", "Tsosie", "Nez", "Etsitty", "Jim", "Tom", "Charley", "Bitsui"),
        ("Shandiin", "Nizhoni", "Ahiga", "Dezba", "Kai", "Ayita", "Elan", "Hania", "Kaya", "Dyami"),
        ("Loretta", "Darlene", "Rena", "Marlene", "Leonard", "Wilson", "Harrison", "Calvin"),
    ),
)

# Some students go by a shorter preferred name.
PREFERRED: dict[str, str] = {
    "Alejandro": "Alex", "Benjamin": "Ben", "Abigail": "Abby", "Samuel": "Sam", "Isabella": "Bella",
    "Daniela": "Dani", "Nathan": "Nate", "Joseph": "Joe", "Santiago": "Santi", "Guadalupe": "Lupe",
    "Viliami": "Vili", "Evelyn": "Evie", "Daniel": "Danny", "Emiliano": "Emi", "Mariana": "Mari",
    "Addison": "Addie", "Charlotte": "Charlie", "Isaac": "Ike", "Elijah": "Eli", "Jackson": "Jack",
}

FEMALE_ADULTS = frozenset({
    "Jennifer", "Amanda", "Jessica", "Sarah", "Melissa", "Rachel", "Heather", "Megan", "Brittany", "Ashley",
    "Natalie", "Kristen", "Lindsey", "Camille", "Whitney", "Maria", "Ana", "Rosa", "Lupita", "Veronica",
    "Claudia", "Seini", "Lavinia", "Salote", "Loretta", "Darlene", "Rena", "Marlene",
})

LANGUAGES: tuple[tuple[str, float], ...] = (
    ("English", 0.86), ("Spanish", 0.11), ("Tongan", 0.015), ("Samoan", 0.008), ("Navajo", 0.007),
)

# (code, name) in the order they are used; the first ones are fixed by the data
# files (requirement rules key on DHS and PVHS).
HIGH_SCHOOLS: tuple[tuple[str, str], ...] = (
    ("DHS", "Desert Hills High"), ("PVHS", "Pine View High"), ("RBHS", "Red Butte High"),
    ("CSHS", "Coral Sands High"), ("SHHS", "Sand Hollow High"), ("JRHS", "Juniper Ridge High"),
    ("KCHS", "Kolob Canyon High"), ("VRHS", "Virgin River High"), ("VCHS", "Vermilion Cliffs High"),
    ("BRHS", "Black Ridge High"), ("GWHS", "Gunlock Wash High"), ("LDHS", "Ledges High"),
)
MIDDLE_SCHOOLS: tuple[tuple[str, str], ...] = (
    ("DHMS", "Desert Hills Middle"), ("PVMS", "Pine View Middle"), ("RBMS", "Red Butte Middle"),
    ("CSMS", "Coral Sands Middle"), ("SHMS", "Sand Hollow Middle"), ("JRMS", "Juniper Ridge Middle"),
    ("KCMS", "Kolob Canyon Middle"), ("VRMS", "Virgin River Middle"), ("VCMS", "Vermilion Cliffs Middle"),
    ("BRMS", "Black Ridge Middle"), ("GWMS", "Gunlock Wash Middle"), ("LDMS", "Ledges Middle"),
    ("SDMS", "Slickrock Drive Middle"), ("QCMS", "Quail Creek Middle"),
)
ELEMENTARY_SCHOOLS: tuple[tuple[str, str], ...] = (
    ("SCE", "Sunset Canyon Elementary"), ("CRE", "Coral Ridge Elementary"), ("JFE", "Juniper Flats Elementary"),
    ("SHE", "Sand Hollow Elementary"), ("QCE", "Quail Creek Elementary"), ("RRE", "Red Rock Vista Elementary"),
    ("CWE", "Cottonwood Wash Elementary"), ("KTE", "Kayenta Trail Elementary"), ("GRE", "Gunlock Road Elementary"),
    ("VME", "Vermilion Mesa Elementary"), ("SBE", "Sagebrush Elementary"), ("CHE", "Chuckwalla Elementary"),
    ("TRE", "Tortoise Rock Elementary"), ("LGE", "Ledges Elementary"), ("SME", "Sand Mountain Elementary"),
    ("WPE", "Whiptail Elementary"), ("PBE", "Paradise Bench Elementary"), ("BVE", "Bloomcrest Valley Elementary"),
    ("DCE", "Dixie Crest Elementary"), ("SNE", "Santa Clara Narrows Elementary"), ("TWE", "Three Washes Elementary"),
    ("ACE", "Apple Creek Elementary"), ("HBE", "Hidden Bench Elementary"), ("MCE", "Mesquite Cove Elementary"),
    ("ORE", "Ocotillo Ridge Elementary"), ("PCE", "Petroglyph Canyon Elementary"), ("SLE", "Slickrock Elementary"),
    ("TCE", "Toquerville Creek Elementary"), ("WCE", "Willow Canyon Elementary"), ("YCE", "Yucca Crest Elementary"),
    ("BCE", "Bluff Creek Elementary"), ("CFE", "Cinder Flats Elementary"), ("DPE", "Desert Primrose Elementary"),
    ("FSE", "Fire Sand Elementary"), ("HLE", "Hoodoo Lane Elementary"), ("LSE", "Lava Springs Elementary"),
    ("NPE", "Navajo Point Elementary"), ("PME", "Pinon Mesa Elementary"), ("RWE", "Red Wash Elementary"),
    ("SSE", "Snow Springs Elementary"),
)

STRENGTHS_SEP: tuple[str, ...] = (
    "Reads every day", "Kind to classmates", "Works hard on math facts", "Asks good questions",
    "Follows class routines", "Creative writer", "Good listener", "Helps others without being asked",
    "Shows curiosity in science", "Keeps trying when something is hard", "Neat, careful work",
    "Strong speaking voice in class", "Loves art and drawing", "Good at sharing and taking turns",
)
NEEDS_SEP: tuple[str, ...] = (
    "Reading fluency", "Math facts", "Spelling", "Staying on task", "Handwriting",
    "Finishing homework", "Speaking up in class", "Attendance", "Writing complete sentences",
    "Telling time and money", "Managing frustration",
)
STRENGTHS_SEOP: tuple[str, ...] = (
    "Strong reader", "Good at math", "Works well in teams", "Leadership in clubs", "Reliable attendance",
    "Creative problem solver", "Hard-working", "Good with technology", "Artistic", "Musical",
    "Athletic", "Organized", "Respectful to others", "Good communicator", "Shows up prepared",
    "Curious about how things work", "Bilingual", "Volunteers in the community",
)
NEEDS_SEOP: tuple[str, ...] = (
    "Turning in assignments on time", "Math skills", "Writing", "Test anxiety", "Attendance",
    "Organization", "Study habits", "Reading comprehension", "Credit recovery", "Time management",
    "Asking for help", "Phone use in class",
)
FREE_TEXT_STRENGTHS: tuple[str, ...] = (
    "Takes care of younger siblings after school", "Built a go-kart with grandpa",
    "Taught herself to code with online videos", "Runs a small lawn-care business",
    "Plays piano at community events", "Knows a lot about rocks and dinosaurs",
)

GOALS_SEP_EDUCATION: tuple[tuple[str, str], ...] = (
    ("Read 20 minutes every night", "Keep a reading log; parent signs it each week"),
    ("Know addition facts to 20", "Practice flash cards 10 minutes a day"),
    ("Learn multiplication facts through 10", "Use the math app three times a week"),
    ("Write a paragraph with a topic sentence", "Use the writing checklist on every assignment"),
    ("Raise reading level by one band", "Meet with the reading group daily; read at home"),
    ("Turn in homework every week", "Use the take-home folder; check it with a parent"),
    ("Spell the weekly words correctly", "Practice spelling words each night"),
)
GOALS_SEP_CAREER: tuple[tuple[str, str], ...] = (
    ("Learn about three jobs in our community", "Interview a family member about their work"),
    ("Explore what scientists do", "Visit the science fair and ask a presenter about their job"),
    ("Find out what a nurse does", "Read a book about health careers with the class"),
    ("Learn what jobs use math", "Make a poster of jobs that use numbers"),
    ("Discover careers that work with animals", "Attend career day and visit the vet's table"),
    ("Learn about jobs that build things", "Take part in the building-blocks career week"),
)
GOALS_SEOP_EDUCATION: tuple[tuple[str, str], ...] = (
    ("Earn a B or better in math", "Go to math help twice a week; check grades every Friday"),
    ("Pass all classes this year", "Check the grade portal weekly; meet the counselor each term"),
    ("Raise GPA to 3.0", "Turn in every assignment; use the study hall period"),
    ("Take a concurrent enrollment class", "Meet the counselor about CE options before registration"),
    ("Recover the missing English credit", "Enroll in the credit recovery lab this term"),
    ("Read one book a month", "Pick books from the school library list"),
    ("Score 21 or higher on the ACT", "Take the practice test and attend the ACT prep class"),
    ("Improve attendance to 95%", "Set an alarm; check in with the attendance office weekly"),
)
GOALS_SEOP_CAREER: tuple[tuple[str, str], ...] = (
    ("Job-shadow someone in my career cluster", "Ask the career center to arrange a shadow day"),
    ("Complete a CTE pathway", "Take the concentrator course next year"),
    ("Earn an industry certification", "Sign up for the certification exam in the spring"),
    ("Find a summer job related to my interests", "Update my resume and apply by April"),
    ("Research three colleges or technical programs", "Visit Utah Tech and Southwest Tech on college day"),
    ("Join a CTE student organization", "Attend the first meeting of the club"),
    ("Explore careers that fit my interest results", "Review my interest results with the counselor"),
)
GOAL_NOTES: tuple[str, ...] = (
    "Good progress this term.", "Needs a reminder about the plan.", "Parent reports practice at home.",
    "Goal met ahead of schedule.", "Changed the goal after talking with the counselor.", "Keep going!",
)

ACCOMPLISHMENTS_SEP: tuple[tuple[str, str], ...] = (
    ("award", "Citizen of the Month"), ("award", "Reading Challenge Champion"), ("award", "Perfect Attendance"),
    ("activity", "School Spelling Bee"), ("activity", "Science Fair"), ("activity", "Young Authors Contest"),
    ("activity", "Children's Choir"), ("service", "Food drive helper"), ("award", "Math Facts Club"),
    ("other", "Learned to ride a bike"),
)
ACCOMPLISHMENTS_SEOP: tuple[tuple[str, str], ...] = (
    ("award", "Honor Roll"), ("award", "Sterling Scholar nominee"), ("award", "Student of the Month"),
    ("activity", "Varsity Soccer"), ("activity", "Marching Band"), ("activity", "Debate Team"),
    ("activity", "FFA"), ("activity", "SkillsUSA"), ("activity", "HOSA - Future Health Professionals"),
    ("activity", "DECA"), ("activity", "School Musical"), ("activity", "Robotics Club"),
    ("service", "Hospital volunteer"), ("service", "Red Cliffs trail clean-up"),
    ("service", "Tutoring younger students"), ("work", "Part-time job at a grocery store"),
    ("work", "Lifeguard at the city pool"), ("work", "Family farm work"), ("other", "Eagle Scout project"),
    ("award", "Region Academic All-State"),
)

INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "university": (
        "Utah Tech University", "Southern Utah University", "Utah State University", "University of Utah",
        "Brigham Young University", "Weber State University",
    ),
    "two_year_college": ("Snow College", "Salt Lake Community College", "Utah Tech University (associate degree)"),
    "technical_college": ("Dixie Technical College", "Southwest Technical College", "Mountainland Technical College"),
    "apprenticeship": ("IBEW electrical apprenticeship", "Plumbers and pipefitters apprenticeship", "Carpenters union apprenticeship"),
    "military": ("U.S. Army", "U.S. Air Force", "U.S. Navy", "Utah National Guard"),
    "work": ("Family business", "Local employer", "Start my own business"),
}
EDUCATION_CHOICES: tuple[tuple[str, float], ...] = (
    ("university", 0.45), ("two_year_college", 0.15), ("technical_college", 0.18),
    ("apprenticeship", 0.06), ("military", 0.06), ("work", 0.10),
)
NEXT_STEPS: tuple[str, ...] = (
    "Take the ACT again in the fall", "Visit campus on a college day", "Apply for the Regents scholarship",
    "Ask about concurrent enrollment", "Finish the CTE pathway", "Meet a recruiter with a parent",
    "Complete the FAFSA with family", "Ask a teacher for a recommendation letter",
)

CONFERENCE_NOTES: dict[str, tuple[str, ...]] = {
    "elementary": (
        "Reviewed reading and math progress; parent happy with growth.",
        "Talked about goals for the term and reading at home.",
        "Student shared a favourite piece of work; set a new math goal.",
        "Discussed attendance and a plan for mornings.",
    ),
    "individual": (
        "Reviewed credits and the four-year plan; on track.",
        "Talked about interest results and the chosen cluster.",
        "Adjusted next year's courses to fit the pathway.",
        "Discussed grades and a plan to recover a credit.",
        "Reviewed post-high-school plans and scholarships.",
    ),
    "small_group": (
        "Group review of graduation requirements and credits.",
        "Introduced the interest inventory and career clusters.",
        "Registration preview for next year's courses.",
        "College and technical college options in Southern Utah.",
    ),
    "parent_requested": (
        "Parent asked about a change of math class.",
        "Parent asked to discuss concerns about grades.",
        "Parent requested a meeting about early graduation.",
        "Parent asked about reading support.",
    ),
}
FOLLOW_UPS: tuple[str, ...] = (
    "", "", "Send course request form home", "Check grades again in four weeks", "Email reading log to parent",
    "Schedule a campus visit", "Refer to the tutoring lab",
)
INVOLVEMENT_PURPOSES: tuple[str, ...] = (
    "conference invitation", "plan review", "course registration night", "college and career night",
    "parent-teacher conference invitation",
)
TRAININGS: dict[str, tuple[str, ...]] = {
    "teacher": ("SEP conferences and goal setting", "SEOP/PCCR for advisory teachers", "Student privacy (FERPA)"),
    "counselor": ("SEOP/PCCR counselor training", "Interest inventory administration", "Student privacy (FERPA)"),
    "administrator": ("SEP/SEOP program oversight", "Student privacy (FERPA)"),
}
