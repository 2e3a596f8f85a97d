//! Eligibility: each rule, scope precedence and edges, as one table, then the refusals' arguments.

use chrono::NaiveDate;

use super::*;

struct Case {
    name: &'static str,
    rules: Vec<Rule>,
    person: PersonFacts,
    usage: Usage,
    place: Place,
    expect: &'static str,
}

fn case(name: &'static str, rules_json: &str, person: PersonFacts, place: Place, expect: &'static str) -> Case {
    Case { name, rules: rules(rules_json), person, usage: Usage::default(), place, expect }
}

fn with_usage(mut case: Case, usage: Usage) -> Case {
    case.usage = usage;
    case
}

#[test]
fn evaluates_each_rule_as_the_table_says() {
    let cap8 = r#"[{"rule": "monthly_hub_days", "max_days": 8}]"#;
    let budget = r#"[{"rule": "monthly_budget", "unit_id": "00000000-0000-0000-0000-0000000003e9",
                      "amount_minor": 500000, "currency": "SEK"}]"#;
    let no_home = PersonFacts { home: None, home_municipality: None, ..anna(&[]) };
    let cases = vec![
        // No policy: everything the site's terms admit.
        case("no rules allow a hub", "[]", anna(&[]), hub_jarpen(), "allowed"),
        // own_office_within, require.
        case(
            "a hub within 70 km is refused",
            REQUIRE_70,
            anna(&[]),
            hub_jarpen(),
            "refused:policy_own_office_required",
        ),
        case(
            "so is another organisation's shared office",
            REQUIRE_70,
            anna(&[]),
            place(20, "Delat kontor", SiteKind::SharedOffice, PREMISES, OSTERSUND, None),
            "refused:policy_own_office_required",
        ),
        case("the own office within 70 km is allowed", REQUIRE_70, anna(&[]), region_house(), "allowed"),
        case("a hub beyond 70 km is allowed", REQUIRE_70, sveg_person(&[]), hub_sveg(), "allowed"),
        case(
            "a hub of one's own organisation is no outside place",
            REQUIRE_70,
            anna(&[]),
            place(21, "Egen hubb", SiteKind::CoworkingHub, REGION, JARPEN, None),
            "allowed",
        ),
        case(
            "a road factor of 1.2 takes 61 km to 74, beyond 70",
            r#"[{"rule": "own_office_within", "km": 70, "road_factor": 1.2, "mode": "require"}]"#,
            anna(&[]),
            hub_jarpen(),
            "allowed",
        ),
        case(
            "a distance equal to the threshold is not within it",
            r#"[{"rule": "own_office_within", "km": 61, "mode": "require"}]"#,
            anna(&[]),
            hub_jarpen(),
            "allowed",
        ),
        case(
            "one kilometre more and it is",
            r#"[{"rule": "own_office_within", "km": 62, "mode": "require"}]"#,
            anna(&[]),
            hub_jarpen(),
            "refused:policy_own_office_required",
        ),
        case(
            "prefer mode never refuses",
            r#"[{"rule": "own_office_within", "km": 70, "mode": "prefer"}]"#,
            anna(&[]),
            hub_jarpen(),
            "allowed",
        ),
        case(
            "with exceptions a refusal asks for approval",
            r#"[{"rule": "own_office_within", "km": 70, "mode": "require", "exceptions_allowed": true}]"#,
            anna(&[]),
            hub_jarpen(),
            "approval:policy_own_office_required",
        ),
        case("without a known home the distance rule does not apply", REQUIRE_70, no_home, hub_jarpen(), "allowed"),
        case(
            "a rule for other home municipalities does not apply",
            r#"[{"rule": "own_office_within", "km": 70, "mode": "require",
                 "applies_to": {"home_municipalities": ["SE-2380"]}}]"#,
            anna(&[]),
            hub_jarpen(),
            "allowed",
        ),
        case(
            "a rule for one's home municipality does",
            r#"[{"rule": "own_office_within", "km": 70, "mode": "require",
                 "applies_to": {"home_municipalities": ["SE-2321"]}}]"#,
            anna(&[]),
            hub_jarpen(),
            "refused:policy_own_office_required",
        ),
        // site_kinds, and how a narrower one lifts the distance rule.
        case(
            "the regional rule lets a coordinator use a hub 61 km from the office",
            JAMTLAND_HARJEDALEN_JSON,
            anna(&["cross-sector coordinator"]),
            hub_jarpen(),
            "allowed",
        ),
        case(
            "a person's role tags are compared normalised",
            JAMTLAND_HARJEDALEN_JSON,
            anna(&["  Cross-Sector   COORDINATOR "]),
            hub_jarpen(),
            "allowed",
        ),
        case(
            "the regional rule refuses the same hub to others",
            JAMTLAND_HARJEDALEN_JSON,
            anna(&["nurse"]),
            hub_jarpen(),
            "refused:policy_own_office_required",
        ),
        case(
            "an equally broad site_kinds rule does not lift the distance rule",
            r#"[{"rule": "own_office_within", "km": 70, "mode": "require"},
                {"rule": "site_kinds", "kinds": ["own_office", "coworking_hub"]}]"#,
            anna(&[]),
            hub_jarpen(),
            "refused:policy_own_office_required",
        ),
        case(
            "a narrower site_kinds rule lifts it only for the kinds it allows",
            r#"[{"rule": "own_office_within", "km": 70, "mode": "require"},
                {"rule": "site_kinds", "kinds": ["own_office", "shared_office"],
                 "applies_to": {"units": ["00000000-0000-0000-0000-0000000003e9"]}}]"#,
            anna(&[]),
            hub_jarpen(),
            "refused:policy_site_kind_not_allowed",
        ),
        case(
            "site_kinds refuses a kind it does not list",
            r#"[{"rule": "site_kinds", "kinds": ["own_office"]}]"#,
            sveg_person(&[]),
            hub_sveg(),
            "refused:policy_site_kind_not_allowed",
        ),
        case(
            "a unit's site_kinds rule wins over everyone's, for the unit's sub-units too",
            r#"[{"rule": "site_kinds", "kinds": ["own_office"]},
                {"rule": "site_kinds", "kinds": ["own_office", "coworking_hub"],
                 "applies_to": {"units": ["00000000-0000-0000-0000-0000000003e9"]}}]"#,
            sveg_person(&[2, 1]),
            hub_sveg(),
            "allowed",
        ),
        case(
            "but not for people outside the unit",
            r#"[{"rule": "site_kinds", "kinds": ["own_office"]},
                {"rule": "site_kinds", "kinds": ["own_office", "coworking_hub"],
                 "applies_to": {"units": ["00000000-0000-0000-0000-0000000003e9"]}}]"#,
            sveg_person(&[3]),
            hub_sveg(),
            "refused:policy_site_kind_not_allowed",
        ),
        case(
            "site_kinds with exceptions asks for approval",
            r#"[{"rule": "site_kinds", "kinds": ["own_office"], "exceptions_allowed": true}]"#,
            sveg_person(&[]),
            hub_sveg(),
            "approval:policy_site_kind_not_allowed",
        ),
        // Scope precedence between rules of one kind (monthly caps, 3 hub days used).
        with_usage(
            case(
                "a role tag wins over a unit",
                r#"[{"rule": "monthly_hub_days", "max_days": 0, "applies_to": {"units": ["00000000-0000-0000-0000-0000000003e9"]}},
                {"rule": "monthly_hub_days", "max_days": 5, "applies_to": {"role_tags": ["trainer"]}}]"#,
                person(REGION, SVEG, "SE-2361", &[1], &["Trainer"]),
                hub_sveg(),
                "allowed",
            ),
            hub_days(&[2, 3, 4]),
        ),
        with_usage(
            case(
                "a unit wins over a home municipality",
                r#"[{"rule": "monthly_hub_days", "max_days": 10, "applies_to": {"units": ["00000000-0000-0000-0000-0000000003e9"]}},
                {"rule": "monthly_hub_days", "max_days": 0, "applies_to": {"home_municipalities": ["SE-2361"]}}]"#,
                sveg_person(&[1]),
                hub_sveg(),
                "allowed",
            ),
            hub_days(&[2, 3, 4]),
        ),
        with_usage(
            case(
                "a home municipality wins over everyone",
                r#"[{"rule": "monthly_hub_days", "max_days": 10},
                {"rule": "monthly_hub_days", "max_days": 3, "applies_to": {"home_municipalities": ["SE-2361"]}}]"#,
                sveg_person(&[1]),
                hub_sveg(),
                "refused:policy_monthly_hub_days_used",
            ),
            hub_days(&[2, 3, 4]),
        ),
        with_usage(
            case(
                "of two equally narrow rules the earlier wins",
                r#"[{"rule": "monthly_hub_days", "max_days": 3, "applies_to": {"role_tags": ["a"]}},
                {"rule": "monthly_hub_days", "max_days": 10, "applies_to": {"role_tags": ["b"]}}]"#,
                person(REGION, SVEG, "SE-2361", &[], &["b", "a"]),
                hub_sveg(),
                "refused:policy_monthly_hub_days_used",
            ),
            hub_days(&[2, 3, 4]),
        ),
        with_usage(
            case(
                "the same rules in the other order",
                r#"[{"rule": "monthly_hub_days", "max_days": 10, "applies_to": {"role_tags": ["b"]}},
                {"rule": "monthly_hub_days", "max_days": 3, "applies_to": {"role_tags": ["a"]}}]"#,
                person(REGION, SVEG, "SE-2361", &[], &["b", "a"]),
                hub_sveg(),
                "allowed",
            ),
            hub_days(&[2, 3, 4]),
        ),
        // monthly_hub_days edges.
        with_usage(
            case("7 of 8 hub days used leaves one", cap8, sveg_person(&[]), hub_sveg(), "allowed"),
            hub_days(&[2, 3, 4, 5, 6, 9, 10]),
        ),
        with_usage(
            case(
                "8 of 8 used refuses the ninth",
                cap8,
                sveg_person(&[]),
                hub_sveg(),
                "refused:policy_monthly_hub_days_used",
            ),
            hub_days(&[2, 3, 4, 5, 6, 9, 10, 11]),
        ),
        with_usage(
            case("a day already spent at a hub counts once", cap8, sveg_person(&[]), hub_sveg(), "allowed"),
            hub_days(&[2, 3, 4, 5, 6, 9, 10, 23, 23]),
        ),
        with_usage(
            case("a day listed twice counts once", cap8, sveg_person(&[]), hub_sveg(), "allowed"),
            hub_days(&[2, 2, 3, 4, 5, 6, 9, 10]),
        ),
        with_usage(
            case("last month's days do not count", cap8, sveg_person(&[]), hub_sveg(), "allowed"),
            Usage {
                hub_days: (1..=20).map(|d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap()).collect(),
                unit_spend: Vec::new(),
            },
        ),
        with_usage(
            case("the cap does not touch own offices", cap8, sveg_person(&[]), region_house(), "allowed"),
            hub_days(&[2, 3, 4, 5, 6, 9, 10, 11]),
        ),
        with_usage(
            case(
                "a cap with exceptions asks for approval",
                r#"[{"rule": "monthly_hub_days", "max_days": 8, "exceptions_allowed": true}]"#,
                sveg_person(&[]),
                hub_sveg(),
                "approval:policy_monthly_hub_days_used",
            ),
            hub_days(&[2, 3, 4, 5, 6, 9, 10, 11]),
        ),
        with_usage(
            case(
                "a cap of 0 refuses every hub day",
                r#"[{"rule": "monthly_hub_days", "max_days": 0}]"#,
                sveg_person(&[]),
                hub_sveg(),
                "refused:policy_monthly_hub_days_used",
            ),
            Usage::default(),
        ),
        // monthly_budget edges: 5 000 SEK for unit 1, a hub seat-day costs 250 SEK.
        with_usage(
            case(
                "a seat that spends the budget to the last krona is allowed",
                budget,
                sveg_person(&[1]),
                hub_sveg(),
                "allowed",
            ),
            spend(1, 11, 4750),
        ),
        with_usage(
            case("one krona more is refused", budget, sveg_person(&[1]), hub_sveg(), "refused:policy_budget_exhausted"),
            spend(1, 11, 4751),
        ),
        with_usage(
            case(
                "a sub-unit's people spend their parent's budget",
                budget,
                sveg_person(&[2, 1]),
                hub_sveg(),
                "refused:policy_budget_exhausted",
            ),
            spend(1, 11, 4751),
        ),
        with_usage(
            case("last month's spending does not count", budget, sveg_person(&[1]), hub_sveg(), "allowed"),
            spend(1, 10, 5000),
        ),
        with_usage(
            case("another unit's spending does not count", budget, sveg_person(&[1]), hub_sveg(), "allowed"),
            spend(2, 11, 5000),
        ),
        with_usage(
            case(
                "a budget does not limit free places",
                budget,
                sveg_person(&[1]),
                place(22, "Delat kontor", SiteKind::SharedOffice, PREMISES, SVEG, None),
                "allowed",
            ),
            spend(1, 11, 5000),
        ),
        with_usage(
            case(
                "a budget with exceptions asks for approval",
                r#"[{"rule": "monthly_budget", "unit_id": "00000000-0000-0000-0000-0000000003e9",
                 "amount_minor": 500000, "currency": "SEK", "exceptions_allowed": true}]"#,
                sveg_person(&[1]),
                hub_sveg(),
                "approval:policy_budget_exhausted",
            ),
            spend(1, 11, 5000),
        ),
        with_usage(
            case(
                "the nearest unit's budget pays",
                r#"[{"rule": "monthly_budget", "unit_id": "00000000-0000-0000-0000-0000000003e9",
                 "amount_minor": 0, "currency": "SEK"},
                {"rule": "monthly_budget", "unit_id": "00000000-0000-0000-0000-0000000003ea",
                 "amount_minor": 500000, "currency": "SEK"}]"#,
                sveg_person(&[2, 1]),
                hub_sveg(),
                "allowed",
            ),
            spend(1, 11, 0),
        ),
        case(
            "a price in another currency cannot be charged to the budget",
            budget,
            sveg_person(&[1]),
            place(23, "Yhteistila Lahti", SiteKind::CoworkingHub, YHTEISTILA, LAHTI, Some(eur(25))),
            "refused:policy_budget_currency_mismatch",
        ),
        // hub_approval.
        case(
            "hub days need approval",
            r#"[{"rule": "hub_approval"}]"#,
            sveg_person(&[]),
            hub_sveg(),
            "approval:policy_hub_approval_required",
        ),
        case(
            "but not at one's own office",
            r#"[{"rule": "hub_approval"}]"#,
            sveg_person(&[]),
            region_house(),
            "allowed",
        ),
        case(
            "a narrower rule can lift the approval",
            r#"[{"rule": "hub_approval"},
                {"rule": "hub_approval", "required": false, "applies_to": {"units": ["00000000-0000-0000-0000-0000000003e9"]}}]"#,
            sveg_person(&[1]),
            hub_sveg(),
            "allowed",
        ),
        with_usage(
            case(
                "approvals add up",
                r#"[{"rule": "hub_approval"}, {"rule": "monthly_hub_days", "max_days": 0, "exceptions_allowed": true}]"#,
                sveg_person(&[]),
                hub_sveg(),
                "approval:policy_monthly_hub_days_used+policy_hub_approval_required",
            ),
            Usage::default(),
        ),
        case(
            "a refusal outweighs a request for approval",
            r#"[{"rule": "hub_approval"}, {"rule": "monthly_hub_days", "max_days": 0}]"#,
            sveg_person(&[]),
            hub_sveg(),
            "refused:policy_monthly_hub_days_used",
        ),
        case(
            "the first refusal in the documented order is given",
            r#"[{"rule": "monthly_hub_days", "max_days": 0}, {"rule": "own_office_within", "km": 70, "mode": "require"}]"#,
            anna(&[]),
            hub_jarpen(),
            "refused:policy_own_office_required",
        ),
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let offices = region_offices();
        let situation =
            Situation { rules: &case.rules, person: &case.person, own_offices: &offices, usage: &case.usage };
        let got = summary(&situation.evaluate(&case.place, monday()));
        if got != case.expect {
            failures.push(format!("{}: expected {}, got {got}", case.name, case.expect));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn a_refusal_names_the_nearest_own_office_its_distance_and_the_threshold() {
    let rules = jamtland_harjedalen_rules();
    let (person, offices, usage) = (anna(&[]), region_offices(), Usage::default());
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let verdict = situation.evaluate(&hub_jarpen(), monday());
    let Verdict::Refused { reason } = &verdict else { panic!("{verdict:?}") };
    assert_eq!(reason.rule_index, 0);
    assert_eq!(
        reason.reason,
        Reason::OwnOfficeRequired {
            office: region_house().name,
            distance_km: 61,
            threshold_km: 70,
            kind: SiteKind::CoworkingHub
        }
    );
    let json = serde_json::to_value(&verdict).unwrap();
    assert_eq!(json["verdict"], "refused");
    assert_eq!(json["reason"]["code"], "policy_own_office_required");
    assert_eq!(json["reason"]["rule_index"], 0);
    assert_eq!(json["reason"]["office"]["sv"], "Regionens hus, Östersund");
    assert_eq!(json["reason"]["distance_km"], 61);
    assert_eq!(json["reason"]["kind"], "coworking_hub");
}

#[test]
fn the_budget_refusal_says_what_is_left_and_what_the_seat_costs() {
    let rules = rules(
        r#"[{"rule": "monthly_budget", "unit_id": "00000000-0000-0000-0000-0000000003e9",
             "amount_minor": 500000, "currency": "SEK"}]"#,
    );
    let (person, offices, usage) = (sveg_person(&[1]), region_offices(), spend(1, 11, 4850));
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let Verdict::Refused { reason } = situation.evaluate(&hub_sveg(), monday()) else { panic!() };
    assert_eq!(
        reason.reason,
        Reason::BudgetExhausted {
            unit_id: unit(1),
            budget_minor: 500_000,
            spent_minor: 485_000,
            remaining_minor: 15_000,
            cost_minor: 25_000,
            currency: Currency::Sek,
            month: "2026-11".to_owned(),
        }
    );
}

#[test]
fn the_hub_day_refusal_counts_the_days_of_the_places_month() {
    let rules = rules(r#"[{"rule": "monthly_hub_days", "max_days": 2}]"#);
    let (person, offices, usage) = (sveg_person(&[]), region_offices(), hub_days(&[2, 3, 30]));
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let Verdict::Refused { reason } = situation.evaluate(&hub_sveg(), monday()) else { panic!() };
    assert_eq!(reason.reason, Reason::MonthlyHubDaysUsed { max_days: 2, used_days: 3, month: "2026-11".into() });
    let december = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(situation.evaluate(&hub_sveg(), december), Verdict::Allowed);
}

#[test]
fn every_reason_has_its_code_listed() {
    let reasons = [
        Reason::OwnOfficeRequired {
            office: LocalizedText::default(),
            distance_km: 1,
            threshold_km: 2,
            kind: SiteKind::CoworkingHub,
        },
        Reason::SiteKindNotAllowed { kind: SiteKind::CoworkingHub, allowed: vec![] },
        Reason::MonthlyHubDaysUsed { max_days: 1, used_days: 1, month: String::new() },
        Reason::BudgetExhausted {
            unit_id: unit(1),
            budget_minor: 0,
            spent_minor: 0,
            remaining_minor: 0,
            cost_minor: 0,
            currency: Currency::Eur,
            month: String::new(),
        },
        Reason::BudgetCurrencyMismatch {
            unit_id: unit(1),
            budget_currency: Currency::Eur,
            price_currency: Currency::Sek,
        },
        Reason::HubApprovalRequired,
    ];
    let codes: Vec<&str> = reasons.iter().map(Reason::code).collect();
    assert_eq!(codes, Reason::CODES);
    for reason in &reasons {
        let json = serde_json::to_value(Finding { rule_index: 4, reason: reason.clone() }).unwrap();
        assert_eq!(json["code"], reason.code(), "the JSON code is the code");
        assert_eq!(json["rule_index"], 4);
    }
}
