//! Validation of rules and policies, normalisation, versions, and the regional fixture.

use chrono::NaiveDate;

use super::*;
use crate::person::parse_role_tag;

fn parse_error(json: &str) -> InvalidPolicy {
    parse_rules(serde_json::from_str(json).unwrap()).unwrap_err()
}

#[test]
fn names_the_rule_and_field_of_a_bad_value() {
    let ok_two = r#"{"rule": "hub_approval"}, {"rule": "monthly_hub_days", "max_days": 4}, "#;
    let table = [
        (format!(r#"[{ok_two}{{"rule": "own_office_within", "km": 1001, "mode": "prefer"}}]"#), "rules[2].km"),
        (r#"[{"rule": "own_office_within", "km": 70, "road_factor": 2.5, "mode": "prefer"}]"#.into(), "rules[0].road_factor"),
        (r#"[{"rule": "own_office_within", "km": 70, "road_factor": 0.9, "mode": "prefer"}]"#.into(), "rules[0].road_factor"),
        (r#"[{"rule": "site_kinds", "kinds": []}]"#.into(), "rules[0].kinds"),
        (r#"[{"rule": "monthly_hub_days", "max_days": 32}]"#.into(), "rules[0].max_days"),
        (
            r#"[{"rule": "monthly_budget", "unit_id": "00000000-0000-0000-0000-0000000003e9", "amount_minor": -1, "currency": "EUR"}]"#.into(),
            "rules[0].amount_minor",
        ),
        (r#"[{"rule": "team_days", "unit_id": "00000000-0000-0000-0000-0000000003e9", "weekdays": []}]"#.into(), "rules[0].weekdays"),
        (r#"[{"rule": "hub_approval", "applies_to": {"role_tags": []}}]"#.into(), "rules[0].applies_to"),
        (r#"[{"rule": "hub_approval", "applies_to": {"units": []}}]"#.into(), "rules[0].applies_to"),
        (r#"[{"rule": "hub_approval", "applies_to": {"role_tags": ["  "]}}]"#.into(), "rules[0].applies_to.role_tags[0]"),
        (format!(r#"[{{"rule": "hub_approval", "applies_to": {{"role_tags": ["{}"]}}}}]"#, "x".repeat(61)), "rules[0].applies_to.role_tags[0]"),
        (r#"[{"rule": "hub_approval", "applies_to": {"role_tags": ["a\u0007"]}}]"#.into(), "rules[0].applies_to.role_tags[0]"),
        // Two rules of one kind for the same people.
        (r#"[{"rule": "monthly_hub_days", "max_days": 4}, {"rule": "monthly_hub_days", "max_days": 5, "applies_to": "everyone"}]"#.into(), "rules[1].applies_to"),
        (
            r#"[{"rule": "hub_approval", "applies_to": {"role_tags": ["Nurse", "doctor"]}},
                {"rule": "hub_approval", "applies_to": {"role_tags": ["doctor", "nurse"]}}]"#.into(),
            "rules[1].applies_to",
        ),
        (
            r#"[{"rule": "team_days", "unit_id": "00000000-0000-0000-0000-0000000003e9", "weekdays": ["tue"]},
                {"rule": "team_days", "unit_id": "00000000-0000-0000-0000-0000000003e9", "weekdays": ["thu"]}]"#.into(),
            "rules[1].unit_id",
        ),
    ];
    for (json, path) in table {
        assert_eq!(parse_error(&json).path, path, "{json}");
    }
    let too_many = format!("[{}]", vec![r#"{"rule": "hub_approval"}"#; MAX_RULES + 1].join(","));
    assert_eq!(parse_error(&too_many).path, "rules");
}

#[test]
fn refuses_unknown_rules_and_fields_when_parsing_json() {
    for bad in [
        r#"[{"rule": "own_office_within", "km": 70, "mode": "prefer", "kilometres": 3}]"#,
        r#"[{"rule": "own_office_within", "km": 70}]"#,
        r#"[{"rule": "own_office_within", "km": 70.5, "mode": "prefer"}]"#,
        r#"[{"rule": "own_office_within", "km": 70, "mode": "insist"}]"#,
        r#"[{"rule": "nearest_office", "km": 70}]"#,
        r#"[{"km": 70, "mode": "prefer"}]"#,
        r#"[{"rule": "site_kinds", "kinds": ["castle"]}]"#,
        r#"[{"rule": "hub_approval", "applies_to": "everybody"}]"#,
        r#"[{"rule": "hub_approval", "applies_to": {"units": [], "role_tags": []}}]"#,
        r#"[{"rule": "hub_approval", "applies_to": {"home_municipalities": ["SE-91"]}}]"#,
        r#"[{"rule": "team_days", "unit_id": "00000000-0000-0000-0000-0000000003e9", "weekdays": ["monday"]}]"#,
        r#"[{"rule": "monthly_budget", "unit_id": "00000000-0000-0000-0000-0000000003e9", "amount_minor": 1, "currency": "NOK"}]"#,
    ] {
        assert!(serde_json::from_str::<Vec<Rule>>(bad).is_err(), "{bad}");
    }
}

#[test]
fn normalises_what_an_admin_typed() {
    let parsed = rules(
        r#"[{"rule": "site_kinds", "kinds": ["coworking_hub", "own_office", "coworking_hub"],
             "applies_to": {"role_tags": ["  Cross-Sector   Coordinator", "cross-sector coordinator", "Analyst"]}},
            {"rule": "team_days", "unit_id": "00000000-0000-0000-0000-0000000003e9", "weekdays": ["thu", "tue", "thu"]}]"#,
    );
    let Rule::SiteKinds(kinds) = &parsed[0] else { panic!() };
    assert_eq!(kinds.kinds, [SiteKind::OwnOffice, SiteKind::CoworkingHub]);
    assert_eq!(kinds.applies_to, Scope::RoleTags(vec!["analyst".into(), "cross-sector coordinator".into()]));
    let Rule::TeamDays(team) = &parsed[1] else { panic!() };
    assert_eq!(team.weekdays, [Day::Tue, Day::Thu]);
    assert!(validate_rules(&parsed).is_ok());
    // Defaults are filled in.
    let Rule::OwnOfficeWithin(office) = &rules(r#"[{"rule": "own_office_within", "km": 70, "mode": "prefer"}]"#)[0]
    else {
        panic!()
    };
    assert!((office.road_factor - 1.0).abs() < f64::EPSILON);
    assert_eq!(office.applies_to, Scope::Everyone);
    assert!(!office.exceptions_allowed);
    assert_eq!(parse_role_tag(" Cross-Sector  Coordinator ").unwrap(), "cross-sector coordinator");
    assert!(parse_role_tag(" ").is_err());
}

fn policy(version: u32, valid_from: NaiveDate, rules: Vec<Rule>) -> Policy {
    Policy {
        organisation_id: org(REGION),
        version,
        valid_from,
        changed_by: PersonId::from_uuid(Uuid::from_u128(77)),
        changed_at: chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").unwrap().to_utc(),
        rules,
    }
}

#[test]
fn a_stored_policy_is_checked_as_a_whole() {
    assert!(policy(1, monday(), jamtland_harjedalen_rules()).validate().is_ok());
    assert_eq!(policy(0, monday(), vec![]).validate().unwrap_err().path, "version");
    let ancient = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap();
    assert_eq!(policy(1, ancient, vec![]).validate().unwrap_err().path, "valid_from");
    let unnormalised =
        vec![Rule::HubApproval(HubApproval { required: true, applies_to: Scope::RoleTags(vec!["Nurse".into()]) })];
    assert_eq!(policy(1, monday(), unnormalised).validate().unwrap_err().path, "rules[0].applies_to.role_tags[0]");
    let json = serde_json::to_string(&policy(3, monday(), jamtland_harjedalen_rules())).unwrap();
    assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy(3, monday(), jamtland_harjedalen_rules()));
}

#[test]
fn the_version_in_force_is_the_latest_that_has_begun() {
    let policies = [
        policy(1, day(1), vec![]),
        policy(2, day(20), jamtland_harjedalen_rules()),
        policy(3, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), vec![]),
        policy(4, day(20), vec![]), // a correction of version 2, for the same day
    ];
    assert_eq!(in_force(&policies, day(19)).map(|p| p.version), Some(1));
    assert_eq!(in_force(&policies, monday()).map(|p| p.version), Some(4));
    assert_eq!(in_force(&policies, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).map(|p| p.version), Some(3));
    assert_eq!(in_force(&policies, NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()), None);
}

#[test]
fn the_regional_fixture_is_the_regional_rule_in_code() {
    let from_json: Vec<Rule> = serde_json::from_str(JAMTLAND_HARJEDALEN_JSON).unwrap();
    assert_eq!(parse_rules(from_json.clone()).unwrap(), from_json, "the fixture is already normalised");
    assert_eq!(from_json, jamtland_harjedalen_rules());
    let fixture: serde_json::Value = serde_json::from_str(JAMTLAND_HARJEDALEN_JSON).unwrap();
    assert_eq!(serde_json::to_value(jamtland_harjedalen_rules()).unwrap(), fixture, "serialises as written");
}

#[test]
fn the_api_schema_describes_rules_and_recommendations() {
    use utoipa::PartialSchema;
    let json = |schema| serde_json::to_string(&schema).unwrap();
    let rule = json(Rule::schema());
    for key in RuleKind::ALL.iter().map(|k| k.key()).chain(["OwnOfficeWithin", "TeamDays"]) {
        assert!(rule.contains(key), "{key} missing from {rule}");
    }
    let office = json(OwnOfficeWithin::schema());
    for key in ["km", "road_factor", "mode", "applies_to", "exceptions_allowed"] {
        assert!(office.contains(key), "{key} missing from {office}");
    }
    let recommendation = json(Recommendation::schema()) + &json(Reasons::schema());
    for key in ["rank", "verdict", "distance_km", "colleagues_of_unit_booked", "other_organisations_present", "cost"] {
        assert!(recommendation.contains(key), "{key} missing from {recommendation}");
    }
    // Generic names are prefixed in the API's components, clear of other modules' types.
    for name in ["PolicyVerdict", "RecommendationReasons", "AppliedPolicyRule"] {
        assert!(recommendation.contains(&format!("#/components/schemas/{name}")), "{name}: {recommendation}");
    }
}
