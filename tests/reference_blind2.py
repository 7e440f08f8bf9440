"""Second blind reading of the 2021 Working Group on Firearms report.

Made from the report text (wg-firearms-2021.txt) and the corpus README only, by
reading chapter III (paras 7-39) in full first and noting each paragraph's
substance, then taking every recommendation and lettered sub-item in turn and
matching it by substance (what is asked, of whom, on what matter), not by shared
words. PRIMARY holds the paragraph(s) a careful delegate would point to first;
ACCEPTABLE holds further paragraphs touching the same substance (never repeating
PRIMARY). Rules applied throughout: procedural paragraphs (7, 8, 21, 22, 38, 39)
support nothing; a recommendation gets PRIMARY only where its core action (verb
and object) is actually voiced in the deliberations, otherwise set(), with any
partial echoes put in ACCEPTABLE; a paragraph that only describes a speaker's
national practice counts when that practice is the recommended measure. For the
topic list of Recommendation 47, the paragraph(s) where the topic's substance was
raised are PRIMARY and para 37 (speakers suggested topics for future sessions) is
ACCEPTABLE; where no paragraph raises the topic's substance, para 37 is PRIMARY.
"""

PRIMARY: dict[str, set[int]] = {
    # A. General
    "1": {34},  # UNODC to keep assisting States with implementation / cooperation
    "2": {23, 28},  # complementarity of international and regional instruments
    "3": {19},  # collect/analyse data on consequences of trafficking (violence, homicide)
    "4": {18},  # exchange information with UNODC, INTERPOL, WCO
    # B. Illicit financial and arms flows (SDG 16.4)
    "5": {10, 12},  # advance efforts on SDG target 16.4
    "6": {11, 14},  # treat arms trafficking and illicit financial flows as one threat
    "7": {18},  # fulfil UNTOC/UNCAC anti-corruption obligations, apply to firearms cases
    "8": {11, 13},  # criminal/terrorist groups traffic for profit and as recipients
    "9": {13},  # strengthen AML/CFT in firearms trafficking context (FATF)
    "10": {11, 13},  # trafficking as ML predicate and source of terrorist financing
    "11": {13, 16},  # financial investigations and financial intelligence vs ML/TF
    "12": {13},  # trace to origin, prosecute whole chain, routine financial investigations
    "13": {16},  # parallel/joint financial investigations, multidisciplinary teams
    "14": {16},  # SOPs: firearms units with customs, border, FIUs, tax authorities
    "15": {16},  # national strategies/SOPs on inter-institutional coordination
    "16": {13, 19},  # joint risk analysis of arms trafficking and TF across agencies
    "17": {14, 15, 31},  # target leaders, deprive proceeds, asset forfeiture/tracing
    "18": {9},  # darknet/cryptocurrency; regulate all kinds of assets
    "19": {10},  # national statistical systems, SDG 16.4 indicators, UN support
    "20": {20},  # public-private partnerships and academic research on economic crime links
    "21": {16},  # UNODC capacity-building and joint strategies across agencies
    "22": {9, 16},  # UNODC training on financial investigations and cryptocurrencies
    # C. Diversion
    "23": {30},  # State responsibility: strict domestic and transfer controls
    "24": {31},  # international cooperation, info exchange, hold leaders accountable
    "25": {23, 28},  # synergies Protocol / PoA / other instruments, dialogue
    "26": {29},  # apply Protocol provisions to (new) forms of diversion
    "27": {30},  # mark all firearms; unmarked firearms illicit
    "28": {23},  # harmonize domestic legislation, marking of parts and components
    "29": {27},  # marking adapted to new technologies for tracing
    "30": {23},  # common guidelines on durable marking, deactivation, conversion
    "31": {26},  # record-keeping systems (article 7)
    "32": {29},  # licensing/registration/vetting regime, voluntary surrender
    "33": {23, 27, 30},  # accede to ATT; export risk assessment; mandatory EUCs
    "34": {26, 27},  # record-keeping on retransfer; mandatory end user certificates
    "35": {23, 30},  # export licensing/authorization systems to prevent diversion
    "36": {26},  # interministerial and private-sector cooperation, outreach
    "37": set(),  # verify authenticity of transfer documents -- not voiced
    "38": {23},  # regulate (extraterritorial) brokering, arms embargoes
    "39": {32},  # accountability of carriers/private entities in illicit transfers
    "40": {25, 29},  # theft/loss/diversion from stockpiles; sanctions and prevention
    "41": {29},  # disposal/destruction of seized and collected firearms
    "42": set(),  # INTERPOL/UNODC operations Trigger, KAFO -- not voiced
    "43": set(),  # INTERPOL iArms -- not voiced
    "44": {30},  # gender perspectives, sex-disaggregated data
    # D. Follow-up to previous meetings
    "45": set(),  # encourage expert participation in WG meetings -- not voiced
    "46": {36, 37},  # UNODC to propose multi-year workplan, two-pronged
    "46a": {36},  # agenda item on scope/implementation of Protocol provisions
    "46b": {36},  # agenda item on thematic priorities
    "47": {37},  # possible topics for future sessions
    "47a": {30},  # gender perspectives
    "47b": {37},  # victim-centred approaches -- no substantive discussion
    "47c": {10, 12, 19},  # Protocol and the 2030 Agenda / SDG 16.4
    "47d": {23},  # brokering regulation, article 15
    "47e": {12},  # ammunition
    "47f": {23, 33},  # conversion, 3D printing, illicit manufacture/assembly
    "47g": {23, 27},  # tracing and marking of firearms and parts
    "47h": {25, 31},  # international cooperation mechanism, neighbouring countries
    "47i": {32},  # commercial carriers
    "47j": {23},  # article 10 transfer controls, complementarity with instruments
    "47k": {34},  # national focal points, capacity-building
}

ACCEPTABLE: dict[str, set[int]] = {  # PRIMARY not repeated
    "1": {12, 16, 18},  # UNODC pilot project; capacity-building need; multilateral role
    "3": {10, 12},  # data availability; firearms homicide statistics
    "4": {12},  # FIU collaboration with UNODC
    "5": {11, 19},  # Nigeria's steps on illicit flows; gather info on 16.4
    "6": {9, 13, 19},  # crypto financing of arms; FATF links; cross-cutting risk evaluation
    "7": {11},  # corruption and ML interlinked with firearms trafficking
    "8": {32},  # terrorists as recipients of diverted arms
    "9": {9, 11, 18},  # laundering of proceeds; ML link; corruption/ML role
    "10": {9, 14},  # crypto laundering; tracing proceeds of interlinked crime
    "11": {9, 11, 12},  # crypto investigations; FIU coordination; financial intelligence
    "12": {11, 12, 16},  # terrorism link; financial intelligence; parallel investigations
    "13": {13, 14},  # routine financial investigations; multi-angle investigation
    "14": {11, 13, 14},  # FIU coordination; collaboration; tax evasion/economic crime
    "15": {11, 13, 31},  # FIU coordination; inter-authority collaboration; national cooperation
    "16": {11, 16},  # terrorism/crime risks; inter-agency collaboration
    "17": {11, 13, 16},  # FIUs; routine financial investigations; parallel investigations
    "18": {12, 13},  # new types of illicit financial flows; FATF standards
    "19": {12, 19},  # indicator 16.4.1 pilot; information on 16.4
    "20": {14},  # economic crime links; private-sector information sources
    "21": {10, 11, 13, 34},  # coordination with UN support; border security; capacity
    "22": {12},  # financial intelligence to track illicit assets
    "23": {23, 26, 27, 29, 32},  # licensing systems; importer responsibility; controls
    "24": {25, 26},  # bilateral cooperation; cooperation and info exchange
    "26": {26, 33, 34},  # re-export concerns; emerging technologies; diversion difficulties
    "27": {27, 29},  # marking per Protocol; national marking rules
    "28": {29},  # differing national legislation on marking
    "29": {23, 24, 30},  # marking guidelines; erased markings; marking of all firearms
    "30": {24},  # preventing erasure of markings
    "31": {29},  # registration of users, arms and ammunition; stockpile accounting
    "32": {26, 30},  # outreach; strict regulation and control
    "33": {25, 26, 28},  # ATT ratification; EUCs/re-export; ratification status
    "35": {26, 27},  # info exchange; EU transfer controls
    "36": {20, 31},  # public-private partnerships; national cooperation
    "37": {26, 27},  # end user certificates against diversion
    "38": {29, 32},  # national brokering rules; compliance with embargoes
    "39": {23},  # brokering
    "40": {32},  # terrorists as recipients of diverted arms
    "42": {18, 31},  # INTERPOL info exchange; international cooperation
    "43": {18},  # information exchange with INTERPOL
    "46": {35},  # Chair on future direction of the WG
    "46a": {37},  # support for the workplan
    "46b": {35, 37},  # priority topics invited; topics suggested
    "47": {35},  # Chair invited identification of priority topics
    "47a": {37},
    "47c": {37},
    "47d": {29, 37},  # national brokering rules
    "47e": {33, 37},  # 3D printing of ammunition
    "47f": {24, 25, 37},  # erased markings; handcrafted firearms
    "47g": {13, 24, 30, 37},  # tracing to source; erased markings; marking all firearms
    "47h": {26, 37},  # regional/international cooperation
    "47i": {37},
    "47j": {27, 28, 30, 37},  # transfer controls; complementarity of instruments
    "47k": {37},
}
