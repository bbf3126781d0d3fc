"""Hand labels: the venue each recorded comment states, or None (see tests/test_venue.py).

Every paper with a comment in tests/fixtures/rows/recorded-papers.jsonl (real recordings, see
PROVENANCE.md there) has a line.  A label is the venue a careful reader would name from the
comment alone: where the paper (or a version of it) is published, accepted, to appear, in
proceedings or presented.  "Submitted to", "under review", "published version", a thesis and a
preprint series are not venues.  A tuple lists equally right answers (an acronym with its year,
or the full name); answers are compared with :func:`daily_papers.tex.fold`.
"""

from __future__ import annotations

Label = str | tuple[str, ...] | None

#: Comments that state a venue.  Every other recorded comment is labelled None.
VENUE_LABELS: dict[str, Label] = {
    "1403.6944": "Hard Probes 2013",
    "1309.4668": (
        "ECLOUD 2012",
        "Joint INFN-CERN-EuCARD-AccNet Workshop on Electron-Cloud Effects",
    ),
    "0803.1617": "PERFIK 2007",
    "1205.6628": "European Physical Journal A",
    "1401.3666": "Physical Review A",
    "1209.0245": "Applied and Computational Harmonic Analysis",
    "2202.12139": (
        "AIST@ICST 2022",
        "Artificial Intelligence in Software Testing 2022",
        "ICST 2022 Workshop",
    ),
    "2405.13786": (
        "AIST",
        "3rd International Workshop on Artificial Intelligence in Software Testing",
    ),
    "2005.14124": "ISSTA 2020",
    "2204.08348": "ISSTA 2022",
    "2302.03287": "ICSTW 2023",
    "2502.07719": "DeepTest 2025",
    "1912.04900": ("AITest 2019", "IEEE AITest 2019"),
    "2301.05651": "ICST 2023",
    "2301.13615": "ICST 2023",
    "2407.18756": "MET 2024",
    "2202.06271": "ICST 2022",
    "2005.06826": "ISSTA 2020",
    "2306.03845": "ISSTA 2023",
    "2109.07960": "AITest 2021",
    "2104.11069": (
        "ITEQS 2021",
        "5th International Workshop on Testing Extra-Functional Properties and Quality "
        "Characteristics of Software Systems",
    ),
    "2602.15552": ("DeepTest 2026", "DeepTest @ ICSE 2026"),
    "2101.12036": "ICST 2021",
    "1809.08100": (
        "ICST 2017",
        "10th IEEE International Conference on Software Testing",
        "10th IEEE International Conference on Software Testing, Verification and Validation",
    ),
    "1904.08007": (
        "AITest 2019",
        "First IEEE International Conference On Artificial Intelligence Testing",
    ),
    "2312.06056": "ICST 2024",
    "2412.16620": "ISSTA 2025",
    "2501.07954": "ICST 2025",
    "2501.09657": "ICST 2025",
    "2202.09076": "Journal of Software: Testing, Verification and Reliability",
    "2505.05162": "POPL 2026",
    "2502.09460": "ICST 2025",
    "2306.07400": "ICST 2026",
    "2007.09895": "SODA 2021",
    "1601.06222": (  # a workshop at ICPADS, never ICPADS alone
        "ICPADS 2015 Workshop",
        "Workshop on Automated Testing for Cyber-Physical Systems in the Cloud at ICPADS 2015",
    ),
    "2107.07364": (
        "AITest 2021",
        "The third IEEE International Conference On Artificial Intelligence Testing 2021",
        "IEEE International Conference On Artificial Intelligence Testing 2021",
    ),
    "1709.03221": "ESEC/FSE 2017",
    "2412.18843": "ICST 2025",
    "2304.06414": "TDIS 2022",
    "2106.04735": (
        "ISSTA 2021",
        "30th ACM SIGSOFT International Symposium on Software Testing and Analysis",
        "ACM SIGSOFT International Symposium on Software Testing and Analysis",
    ),
    "1907.06632": "MET 2019",
    "2009.01554": "AITest 2020",
    "2012.06822": "ICST 2021",
    "2101.09077": "ICST 2021",
    "2604.03438": "ICST 2026",
    "1306.4664": "Algorithmica",
    "2501.17461": "ICST 2025",
    "2302.13198": (
        "ITEQS",
        "ITEQS 2023",
        "7th International Workshop on Testing Extra-Functional Properties and Quality "
        "Characteristics of Software Systems",
    ),
    "2302.09330": "ICST 2023",
    "2503.23466": "ICST 2025",
    "2103.02870": "MET 2021",
    "1808.05353": "ISSTA 2018",
    "1009.3186": "IEEE Transactions on Information Theory",
    "2304.12671": "ICST 2012",
    "1106.3680": ("ICALP 2011 Group Testing Workshop", "ICALP 2011 GT"),
    "1602.05618": "RET 2016",
    "2012.10662": ("SAC-SVT 2021", "SAC 2021"),
    "2206.10210": (
        "Software Testing, Verification, and Reliability",
        "Software Testing, Verification, and Reliability journal",
    ),
    "1309.0683": (
        "GD 2013",
        "21st International Symposium on Graph Drawing",
        "International Symposium on Graph Drawing 2013",
    ),
    "2401.15189": ("SBFT@ICSE 2024", "SBFT 2024"),
    "2602.19294": "ICST 2026",
    "2501.11550": "ICST 2025",
    "2312.05778": "ICST 2025",
    "2203.09604": "INTUITESTBEDS 2022",
    "2002.06611": (
        "AITest 2020",
        "The Second IEEE International Conference on Artificial Intelligence Testing",
        "Second IEEE International Conference on Artificial Intelligence Testing",
    ),
    "gr-qc/0103067": "Gyros, Clocks, and Interferometers...: Testing Relativistic Gravity in Space",
    "hep-ex/0406020": (
        "XXXIX Rencontres de Moriond - QCD and Hadronic Interactions",
        "XXXIX Rencontres de Moriond",
        "Rencontres de Moriond 2004",
    ),
    "1111.1546": "JACM",
    "1309.7543": "IEEE Transactions on Information Theory",
    "1405.2349": "STACS 2015",
    "1410.1594": ("IEEE ICDMW 2014", "ICDMW 2014"),
    "1412.3138": "RECOMB 2015",
    "1501.02925": "FoSSaCS 2015",
    "1501.03302": (
        "AAAI 2015 Workshop",
        "AAAI-15 Workshop: Beyond the Turing Test",
        "AAAI-15 Workshop",
        "AAAI 2015 Workshop: Beyond the Turing Test",
    ),
    "1501.03549": "SOCG 2014",
    "1501.03593": (
        "FPS 2014",
        "FPS",
        "FPS - 7th International Symposium on Foundations & Practice of Security",
    ),
    "1501.03601": "Wireless Pers Commun",
    "1501.03613": "IEEE Network Magazine",
    "1501.03736": "PKC 2015",
    "1501.03771": "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    "1501.03779": ("SPIE Medical Imaging 2014", "SPIE Medical Imaging 2014 conference"),
    "1501.03796": "NIPS 2013",
    "1007.0488": "EPL",
    "1007.2349": "JOURNAL OF GEOPHYSICAL RESEARCH",
    "1302.6532": "PRD",
    "1307.1683": "CQG",
    "1308.1026": "AN",
    "1308.4953": "IJMPD",
    "1309.1318": "Physical Review B",
    "1309.3322": (
        "Strangeness in Quark Matter 2013",
        "Strangeness in Quark Matter conference",
        "Strangeness in Quark Matter",
        "SQM 2013",
    ),
    "1402.6678": "PLB",
    "1404.3093": "Phys. Lett. B",
    "1404.6438": "PRL",
    "1408.5406": "JHEP",
    "1409.0335": "Phys. Rev. A",
    "1409.8065": "JOPCM",
    "1410.3808": ("IJMPD", "International Journal of Modern Physics D"),
    "1411.2161": "ApJ",
    "1411.3459": "Eur. Phys. J. D",
    "1411.6975": (
        "XXII International Baldin Seminar on High Energy Physics Problems",
        "International Baldin Seminar on High Energy Physics Problems",
    ),
    "1411.7327": "CKM 2014",
    "1412.0790": "ApJS",
    "1412.4501": "Phys. Rev. B",
    "1412.7759": "Physical Review C",
    "1412.8749": (
        "AASKA 2014",
        "Advancing Astrophysics with the Square Kilometre Array",
        "PoS(AASKA14)",
        "AASKA14",
    ),
    "1501.00062": "PLB",
    "1501.00980": "MNRAS Letters",
    "1501.01206": "Physics of Fluids",
    "1501.02608": ("Entropy", "Entropy 2015"),
    "1501.03517": "European Journal of Mechanics B/Fluids",
    "1501.03534": ("10th INTEGRAL Workshop", "INTEGRAL Workshop"),
    "1501.03535": "Engineering the Atom-Photon Interaction",
    "1501.03554": ("10th INTEGRAL Workshop", "Integral 2014", "INTEGRAL Workshop"),
    "1501.03615": ("Astroplate Workshop", "Astroplate Workshop 2014", "Astroplate 2014"),
    "1501.03651": ("Xth Workshop on Particle Correlations and Femtoscopy", "WPCF 2014"),
    "1501.03699": (
        "21st International Symposium on Spin Physics",
        "International Symposium on Spin Physics",
        "SPIN 2014",
    ),
    "1501.03713": ("Nature Physics", "Nature Physics Insight"),
    "1501.03761": "ApJ",
    "1501.03773": "WPCF 2014",
    "1501.03800": ("Int. Symposium on HIF 2014", "HIF 2014"),
    "1501.03804": ("WPCF 2014", "WPCF 2014 workshop"),
}


#: Comments that state no venue (page counts, keywords, "submitted to", theses, ...).
NO_VENUE: tuple[str, ...] = (
    "1201.4869",  # 26 pages, 10 figures
    "cond-mat/0412498",  # 12 pages, 5 figures
    "cond-mat/0603029",  # 10 pages, 11 figures; added reference
    "1005.5383",  # 4 pages, 3 figures
    "1303.6954",  # Added a figure and extended discussion
    "1312.6177",  # 7 pages, 4 figures
    "1412.6529",  # 10 pages, 8 figures; updated figure 5, added references, rev…
    "cond-mat/0607501",  # 10 pages, 11 figures: new data for superfluid density anisot…
    "cond-mat/0702661",  # 12 pages, 13 figures; shortened introduction and added 1 fig…
    "0807.2873",  # 91 pages, 18 figures, single column format
    "1111.2011",  # 8 pages, 3 figures. Published version
    "1101.2206",  # 4 pages, 3 figures; revised version fixes a typo in the sign…
    "astro-ph/9904306",  # 3 pages LaTeX
    "hep-ph/9411242",  # 4 pages, revtex
    "astro-ph/9901367",  # 2 pages, LaTeX
    "1207.3978",  # 17 pages
    "0806.3233",  # 22 pages, 6 figures
    "1602.03411",  # 11 pages, 19 figures
    "1005.2786",  # 28 pages, submitted
    "1911.03261",  # 40 pages
    "0704.1916",  # 10 pages, LaTeX,corrected typos
    "0802.0463",  # 30 pages with 1 figure. This paper was published as Preprint…
    "1509.04789",  # 23 pages, submitted
    "2206.06921",  # 25 pages, 5 figures. v3: Many typo fixes and substantially i…
    "2201.13452",  # 34 pages
    "nucl-ex/0408020",  # 13 pages, 10 figures. Proposal for a comparison of electron-…
    "1606.02159",  # Preliminary version as discussion basis for the ECT* worksho…
    "1610.08734",  # 10 pages, 7 figures
    "2102.00018",  # 11 pages, 5 figures, In the context of the Electron-Ion coll…
    "nucl-th/9910021",  # 18 pages, no figures, Latex, the status of nucl-th/9811012 a…
    "1506.07840",  # 24 pages, 12 figures
    "1706.08197",  # 11 pages
    "1608.03628",  # 17 pages, 3 figures
    "math/0702122",  # Preprint, 13 pages
    "math/0604473",  # LaTeX, 17 pages, corrected typos
    "1202.4527",  # GUI Testing, Test case generation
    "2503.05378",  # Web Testing, GUI Testing, front-end, survey, SBST, AI, fuzzi…
    "1205.1866",  # Microcontroller, FPGA, Testing, TMR, SOC
    "1812.11470",  # GUI testing, Functional testing, Model-based, Mobile, System…
    "2403.16981",  # Comments welcome. The new version includes results on sequen…
    "2004.03322",  # This work is relevant for COVID-19 testing
    "1912.09881",  # This is a technical report on Morphy software testing tool
    "2406.19956",  # Hypothesis Testing; Rao's Score; Applications to Econometric…
    "1605.01097",  # 11 pages, 11 figures, Reliability Testing Strategy
    "2008.01944",  # group testing design, COVID-19
    "1908.03707",  # blockchain, Ethereum smart contract, mutation testing, mutat…
    "2409.05654",  # Somehow re-uploaded the old version last week (?!). New abst…
    "2106.13414",  # Added a result on instance-optimal testing, and further disc…
    "2007.10224",  # (v0), Submitted to IEEE International Workshop on Automated …
    "2504.04921",  # 26 pages, 1 figure, submitted to Software Testing, Vertifica…
    "2509.24242",  # 50 pages; 4 figures; functional data mean testing
    "1509.08401",  # Software Testing, Petri Net, UML, High Level Petri Nets, Tes…
    "1704.08347",  # 13 pages, 7 figures. The paper is submitted to "Transactions…
    "2507.10541",  # REST (Reasoning Evaluation through Simultaneous Testing), a …
    "1706.00679",  # Final version, 6 figures, Python code and Jupyter notebook a…
    "cs/0503050",  # 24 pages, 3 figures, submitted to Software Testing, Verifica…
    "2104.12832",  # Bayes, Distribution, Gamma, GPD, Hypothesis Testing, Objecti…
    "2102.08864",  # Currently under review at Journal of Software Testing, Verif…
    "2507.16734",  # Title changed. Old title was "Gaussian Sequence Model: Sampl…
    "2511.02810",  # This is the first attempt to formalize regression testing in…
    "1906.00673",  # 12 Pages
    "2405.11454",  # v2: Significant changes compared to v1. v2 focuses on the gr…
    "2509.05540",  # 10 pages, article computer science, software engineering, so…
    "1609.07528",  # compressed sensing, hypothesis testing, Chernoff information…
    "2108.07910",  # 8 pages, 8 figures, 4 tables
    "1408.2674",  # 13 pages, 1 figure. Keywords: Heterotic computing, P system,…
    "1912.05434",  # 18 pages, 8 figures
    "2311.09714",  # 58 pages, 7 figures, 9 tables, and uses PRIMEarxiv.sty
    "hep-ph/0301050",  # 5 pages, 2 figures. Improved criteria for testing the hypoth…
    "2501.05022",  # Previously circulated as "An Instrumental Variables Approach…
    "2304.14166",  # Added some more details and a new section on the sequential …
    "1706.08286",  # 21 pages, version 3. Added an application to the composite q…
    "1605.08386",  # 20 pages, 3 figures
    "1707.08567",  # 44 pages, editors for the proceedings: Yanling Chen and A. J…
    "astro-ph/0601001",  # 62 pages including 16 figures and 9 tables. Submitted to Act…
    "quant-ph/0201082",  # 32 pages
    "1101.4388",  # 28 pages, an extra section was added
    "1207.1019",  # 7 pages, Research report
    "1306.5042",  # 15 pages and 8 figures
    "1308.3822",  # This version of the paper is a streamlined presentation that…
    "1310.6119",  # 10 pages, 4 figures, 5 tables
    "1311.5932",  # 7 pages, 6 figures, and 1 Table. arXiv admin note: substanti…
    "1404.5569",  # Corrected typos, added figures
    "1412.6073",  # 37 pages; fixed references
    "1501.02917",  # This version contains minor corrections and the title of the…
    "1501.03461",  # PhD dissertation, May 2014, Purdue University
    "1501.03529",  # 5 pages
    "1501.03547",  # 11 pages, double column, pre-submission
    "1501.03566",  # 5 pages
    "1501.03577",  # 16 pages, 4 tables, 4 figures
    "1501.03605",  # 33 pages
    "1501.03643",  # 6 pages
    "1501.03737",  # Master's thesis, Leibniz Universit\"at Hannover, 67 pages, 8…
    "1501.03757",  # 6 pages, 9 figures
    "1501.03784",  # 9 pages, 13 figures
    "1003.4388",  # 49 pages, title changed, major rewrite with no changes in th…
    "1006.4508",  # 44 pages
    "1210.0102",  # 8 pages
    "1305.7208",  # 22 pages
    "1310.0733",  # 24 pages
    "1310.1631",  # 14 pages. Comments appreciated
    "1310.8079",  # 8 pages, 8 figures, submitted to Phys. Rev. B
    "1312.1985",  # 22 pages, 16 figures p.s.: Patent pending, 1330036-3, April,…
    "1401.2687",  # 12 pages, no figures, minor misprints corrected and comments…
    "1402.3587",  # 7 pages, minor corrections
    "1402.3880",  # This paper has been withdrawn by the author due to a crucial…
    "1403.6405",  # 25 pages (7 Figures); revised and extended version; in submi…
    "1403.6631",  # Much expanded version from the previous one: now including t…
    "1405.1181",  # Published version
    "1405.1467",  # 8 pages, 5 figures
    "1405.3746",  # 35 pages, 12 figures
    "1405.4829",  # LaTeX: 31 pages, 7 figures; V2: reference added; V3: added/u…
    "1405.6175",  # LaTeX file of 7 pages
    "1405.7336",  # 18 pages, 7 figures
    "1405.7708",  # Corrections to effective scalar potential included, expanded…
    "1406.3288",  # 7 pages, 9 figures
    "1408.0563",  # 7 pages, 3 figures
    "1408.1572",  # 22 pages, 10 figures
    "1408.1678",  # v3: discussions on ghost and FLRW solutions clarified, all r…
    "1408.4147",  # 14 pages, 6 figures, 1 table
    "1408.5874",  # 5 pages, 5 figures
    "1409.0193",  # 10 pages, 3 figures, accepted version
    "1409.1016",  # 8 pages, 8 figures
    "1409.3433",  # 34 pages plus author list + cover pages (51 pages total), 25…
    "1409.4115",  # 18 pages; 3 figures; Revised; Matches published version
    "1409.5799",  # 22 pages, 1 figure; V3: Published version
    "1409.6279",  # 10 pages, 4 figures
    "1409.7507",  # 4 pages, 2 figures
    "1409.7725",  # Submitted for publication in Journal of Geophysical Research…
    "1410.0338",  # 15 pages; 10 figures; 5 tables
    "1410.1154",  # Replaced with published version. Added journal reference and…
    "1410.2025",  # 16 pages, 18 figures
    "1410.3861",  # 12 pages, 9 figures. v2 added more data for different amount…
    "1410.5546",  # 8 pages, 4 figures
    "1410.6149",  # typos fixed, references added, minor corrections
    "1410.7185",  # This paper has been withdrawn by the author due to 1. a cruc…
    "1410.7243",  # corresponds to the published version
    "1411.6004",  # 6 pages, 6 figures
    "1412.1295",  # 12 pages, 4 figures, submitted for the journal publication
    "1412.3678",  # 5 pages, 4 figures. Supplemental Material available at http:…
    "1412.5245",  # 16 pages, 3 tables, and 5 figures
    "1412.5440",  # 6 pages, 3 figures
    "1412.5974",  # 36 pages, 6 figures
    "1412.7267",  # Submitted to Physical Review E
    "1501.00231",  # 22 pages, 11 figures (revised to fit with Journal of Physics…
    "1501.00342",  # 4 figures in the main text, plus 10 figures in extended data
    "1501.00570",  # 6 figures, typoes corrected
    "1501.01162",  # Published version
    "1501.01264",  # 8 pages, 5 figures
    "1501.02531",  # 49 pages, 16 figures
    "1501.03491",  # 6 pages, 1 figure, 1 table
    "1501.03515",  # 21 pages, 5 figures
    "1501.03521",  # 1 figure
    "1501.03533",  # 12 pages, 12 figures, 1 table
    "1501.03538",  # No figures
    "1501.03540",  # 9 pages, 2 figures. arXiv admin note: text overlap with arXi…
    "1501.03584",  # 47 pages, 11 figures
    "1501.03589",  # 15 pages, 6 figures
    "1501.03592",  # 5 pages, 4 figures
    "1501.03611",  # 10 pages, 7 figures
    "1501.03621",  # 21 pages, 1 figure, 6 Tables
    "1501.03630",  # http://iopscience.iop.org/2053-1583/2/1/015001
    "1501.03637",  # arXiv admin note: text overlap with arXiv:1406.4686
    "1501.03644",  # 28 pages
    "1501.03652",  # 6 pages, 6 figures
    "1501.03666",  # 18 pages
    "1501.03673",  # 9 pages, 6 figures
    "1501.03677",  # 24 pages
    "1501.03705",  # 29 pages, 1 figure
    "1501.03738",  # 10 pages, 16 figures
    "1501.03739",  # 7 pages, 5 figures
    "1501.03752",  # 11 pages
    "1501.03754",  # 29 pages, 32 including appendix, 7 figures
    "1501.03762",  # AD, AC, OM, MB and SH wish to dedicate this brief review art…
    "1501.03765",  # Dissertation (Ph.D.), California Institute of Technology; se…
    "1501.03769",  # 22 pages, 12 figures
    "1501.03780",  # 32 pages
    "1501.03790",  # 12 pages
    "1501.03793",  # 25 pages main text including 10 figures, 20 pages supplement…
    "1501.03794",  # 21 pages, 25 figures
    "1501.03799",  # 36 pages, 13 figures
    "1501.03802",  # 29 pages, 7 figures
)
