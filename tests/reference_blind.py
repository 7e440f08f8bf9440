"""Blind reading of the 2021 Working Group on Firearms report (CTOC/COP/WG.6/2021, Vienna, 10-12 May 2021).

Made by hand from the report text alone (/work/shared/corpus/wg-firearms-2021.txt, with
/work/shared/corpus/README.md for its layout). No linker output, code, tests or other reference
was consulted. Chapter III (paras 7-39) was read in full first and each paragraph's substance
noted; then each recommendation (1-47) and each lettered sub-item (46a-b, 47a-k) was matched
by substance, not by word overlap. Procedural paragraphs (7, 8, 21, 22, 38) and para 39 (on the
report's adoption) support nothing.

PRIMARY: the paragraph(s) a careful delegate would point to first (empty where nothing in the
deliberations really carries the substance). ACCEPTABLE: PRIMARY plus further paragraphs where a
speaker touched the same substance. Sub-items of 46 and 47 are judged on their own substance;
para 37 (speakers "suggested topics" without naming them) is therefore linked to the 47 chapeau
only, not to each topic.
"""

PRIMARY: dict[str, set[int]] = {
    # A. General
    "1": {34},  # UNODC assistance to States in implementing the Protocol
    "2": {23, 28},  # complementarity of instruments and mechanisms
    "3": {19},  # data on consequences (violence, crime, homicide)
    "4": {18},  # exchange with UNODC, INTERPOL, WCO
    # B. Illicit financial and arms flows / SDG 16.4
    "5": {10, 12},  # advance efforts on SDG target 16.4
    "6": {11, 14},  # trafficking and IFFs as one multidimensional threat
    "7": {18},  # corruption / UNTOC and UNCAC obligations
    "8": {11, 13},  # criminal/terrorist groups as profiteers and recipients
    "9": {13},  # counter ML and terrorist financing (FATF)
    "10": {11, 13},  # trafficking as source of TF / predicate of ML
    "11": {13, 16},  # financial investigations, financial intelligence
    "12": {13},  # trace to origin, routine financial investigations, terrorism links
    "13": {16},  # parallel/joint financial investigations, multidisciplinary teams
    "14": {16},  # SOPs: firearms units with customs, FIUs, etc.
    "15": {16},  # national strategies on inter-institutional coordination
    "16": {13, 19},  # analyse arms-trafficking and TF risks across agencies
    "17": {14, 15, 31},  # target leaders, deprive proceeds, asset forfeiture
    "18": {9},  # darknet, cryptocurrencies, regulation of assets
    "19": {10},  # national statistical systems, 16.4 indicators
    "20": {20},  # public-private partnerships, academia research
    "21": {16},  # UNODC capacity-building, inter-agency coordination
    "22": {9, 16},  # capacity-building: financial investigations, crypto seizure
    # C. Diversion
    "23": {29, 30},  # domestic firearms regulation, transfer control
    "24": {31},  # international cooperation; hold leaders accountable
    "25": {23, 28},  # Protocol / PoA / other instruments synergies
    "26": {33},  # new and emerging forms (new technologies)
    "27": {30},  # mark all firearms, unmarked firearms
    "28": {23},  # harmonize legislation, marking of parts and components
    "29": {27},  # marking with latest technologies, tracing
    "30": {23},  # guidelines: durable marking, deactivation, conversion
    "31": {26},  # record-keeping
    "32": {29},  # firearms control regime, licensing, voluntary surrender
    "33": {23, 27, 30},  # ATT, transfer controls, risk assessment, mandatory EUCs
    "34": {26, 27},  # record-keeping for re-exports, end-user certificates
    "35": {23},  # export licensing/authorization systems
    "36": {26},  # cooperation/information exchange, outreach to industry
    "37": set(),  # verify authenticity of transfer documents (not raised)
    "38": {23},  # brokering, extraterritorial brokering, arms embargoes
    "39": {32},  # accountability of carriers, brokers, suppliers
    "40": {25, 29},  # theft/loss/diversion from stockpiles
    "41": {29},  # disposal/destruction of seized firearms
    "42": set(),  # INTERPOL/UNODC operations (Trigger, KAFO)
    "43": set(),  # iArms
    "44": {30},  # gender perspectives, sex-disaggregated data
    # D. Follow-up
    "45": set(),  # participation of experts in Working Group meetings
    "46": {36, 37},  # multi-year workplan
    "46a": {36},  # agenda item on scope/implementation of provisions
    "46b": {36},  # agenda item on thematic priorities
    "47": {37},  # topics for future sessions
    "47a": {30},  # gender mainstreaming
    "47b": set(),  # victim-centred approaches
    "47c": {10, 19},  # Protocol and the 2030 Agenda
    "47d": {23},  # brokering, article 15
    "47e": {12},  # ammunition
    "47f": {23, 33},  # parts/assembly, conversion, 3D printing
    "47g": {23, 27},  # tracing, marking of firearms and parts
    "47h": {25},  # cooperation mechanism with neighbouring countries
    "47i": {32},  # commercial carriers
    "47j": {23},  # article 10 transfer controls, complementarity
    "47k": {34},  # national focal points
}

ACCEPTABLE: dict[str, set[int]] = {
    "1": {16, 18, 34},
    "2": {23, 28},
    "3": {10, 12, 19},
    "4": {12, 18},
    "5": {10, 12, 19},
    "6": {9, 11, 13, 14, 19},
    "7": {11, 18},
    "8": {11, 13, 32},
    "9": {9, 11, 13},
    "10": {11, 13},
    "11": {9, 11, 12, 13, 14, 16},
    "12": {11, 13, 16},
    "13": {13, 14, 16},
    "14": {11, 13, 14, 16, 31},
    "15": {11, 13, 16, 26, 31},
    "16": {13, 16, 19},
    "17": {11, 12, 14, 15, 16, 31},
    "18": {9},
    "19": {10, 12, 19},
    "20": {14, 20},
    "21": {9, 10, 11, 13, 16, 34},
    "22": {9, 16},
    "23": {23, 26, 29, 30, 32},
    "24": {25, 26, 31},
    "25": {23, 28},
    "26": {23, 26, 33},
    "27": {27, 29, 30},
    "28": {23},
    "29": {23, 24, 27, 30},
    "30": {23, 24, 27},
    "31": {26, 29},
    "32": {29, 30},
    "33": {23, 25, 26, 27, 28, 30},
    "34": {26, 27},
    "35": {23, 26, 27, 30},
    "36": {20, 26, 31},
    "37": {23, 26, 27},
    "38": {23, 29, 32},
    "39": {23, 32},
    "40": {25, 29},
    "41": {29},
    "42": {18, 31},
    "43": {13, 18},
    "44": {30},
    "45": set(),
    "46": {35, 36, 37},
    "46a": {36},
    "46b": {35, 36, 37},
    "47": {35, 36, 37},
    "47a": {30},
    "47b": {32},
    "47c": {10, 12, 19},
    "47d": {23, 29},
    "47e": {12, 33},
    "47f": {23, 24, 25, 33},
    "47g": {13, 23, 24, 27, 29, 30},
    "47h": {25, 26, 31},
    "47i": {32},
    "47j": {23, 26, 27, 28, 30},
    "47k": {34},
}
