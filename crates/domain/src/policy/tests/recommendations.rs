//! Recommendation order for hand-checked people in Sweden and Finland, distances checked
//! against an independent great-circle computation.
use super::*;

/// Great-circle distance by the spherical law of cosines: independent of the haversine form
/// the code uses, on the same mean Earth radius.
fn law_of_cosines_km(a: (f64, f64), b: Coordinates) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.lat().to_radians(), b.lon().to_radians());
    (lat1.sin() * lat2.sin() + lat1.cos() * lat2.cos() * (lon2 - lon1).cos()).clamp(-1.0, 1.0).acos() * 6371.0088
}

fn context(place: Place, colleagues: u32, others: u32) -> PlaceContext {
    PlaceContext { place, colleagues_of_unit_booked: colleagues, other_organisations_present: others }
}

fn names(recommendations: &[Recommendation]) -> Vec<String> {
    recommendations.iter().map(|r| r.name.en.clone()).collect()
}

/// Checks every distance against the law of cosines, and the ranks 1, 2, 3, ...
fn check_distances_and_ranks(home: (f64, f64), places: &[PlaceContext], recommendations: &[Recommendation]) {
    for (n, r) in recommendations.iter().enumerate() {
        assert_eq!(r.rank as usize, n + 1);
        let place = places.iter().find(|p| p.place.site_id == r.site_id).unwrap();
        let expected = law_of_cosines_km(home, place.place.coordinates);
        let got = r.reasons.distance_km.unwrap();
        assert!((got - expected).abs() < 0.5, "{}: {got} km, the law of cosines says {expected}", r.name.en);
    }
}

fn assert_km(recommendations: &[Recommendation], name: &str, km: f64) {
    let r = recommendations.iter().find(|r| r.name.en == name).unwrap();
    let got = r.reasons.distance_km.unwrap();
    assert!((got - km).abs() < 0.5, "{name}: {got} km, hand-checked {km}");
}

#[test]
fn anna_in_jarpen_is_sent_to_the_office_61_km_away_and_told_why_not_the_hub() {
    let rules = jamtland_harjedalen_rules();
    let (person, offices, usage) = (anna(&[]), region_offices(), Usage::default());
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let places = [
        context(hub_jarpen(), 0, 2),
        context(hub_sveg(), 0, 0),
        context(hospital(), 1, 0),
        context(hub_ostersund(), 0, 4),
        context(region_house(), 3, 0),
    ];
    let ranked = situation.recommend(monday(), &places);
    assert_eq!(
        names(&ranked),
        [
            "Regionens hus, Östersund",             // preferred, 61 km, 3 colleagues
            "Östersunds sjukhus, administrationen", // preferred, 63 km, 1 colleague
            "Coworkinghubb Järpen",                 // refused, 0 km
            "Coworkinghubb Östersund",              // refused, 61 km
            "Coworkinghubb Sveg",                   // refused, 153 km
        ]
    );
    check_distances_and_ranks(JARPEN, &places, &ranked);
    assert_km(&ranked, "Regionens hus, Östersund", 61.4);
    assert_km(&ranked, "Coworkinghubb Sveg", 153.0);
    let first = &ranked[0];
    assert!(first.reasons.preferred && first.verdict == Verdict::Allowed);
    assert_eq!(first.reasons.cost, None);
    assert_eq!(first.reasons.other_organisations_present, None, "not a shared place");
    assert_eq!(
        first.reasons.rules,
        [AppliedRule { rule_index: 0, rule: RuleKind::OwnOfficeWithin, effect: Effect::Required }]
    );
    let hub = &ranked[2];
    assert_eq!(summary(&hub.verdict), "refused:policy_own_office_required");
    assert_eq!(hub.reasons.cost, Some(sek(250)));
    assert_eq!(hub.reasons.other_organisations_present, Some(2));
}

#[test]
fn in_sveg_128_km_from_the_office_the_nearest_hub_comes_first() {
    let rules = jamtland_harjedalen_rules();
    let (person, offices, usage) = (sveg_person(&[1]), region_offices(), Usage::default());
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let places = [
        context(region_house(), 2, 0),
        context(hospital(), 0, 0),
        context(hub_sveg(), 0, 1),
        context(hub_svenstavik(), 0, 0),
        context(hub_ostersund(), 0, 3),
        context(hub_jarpen(), 0, 0),
    ];
    let ranked = situation.recommend(monday(), &places);
    assert_eq!(
        names(&ranked),
        [
            "Coworkinghubb Sveg",                   // 0 km
            "Coworkinghubb Svenstavik",             // 82 km (60-100)
            "Regionens hus, Östersund",             // 128 km, 2 colleagues
            "Coworkinghubb Östersund",              // 128 km, 3 other organisations
            "Östersunds sjukhus, administrationen", // 128 km, free
            "Coworkinghubb Järpen",                 // 153 km, 250 SEK
        ]
    );
    check_distances_and_ranks(SVEG, &places, &ranked);
    assert_km(&ranked, "Regionens hus, Östersund", 128.1);
    assert_km(&ranked, "Coworkinghubb Svenstavik", 81.5);
    assert!(ranked.iter().all(|r| r.verdict == Verdict::Allowed && !r.reasons.preferred));
    assert_eq!(
        ranked[0].reasons.rules,
        [
            AppliedRule { rule_index: 0, rule: RuleKind::OwnOfficeWithin, effect: Effect::Allowed },
            AppliedRule { rule_index: 2, rule: RuleKind::MonthlyHubDays, effect: Effect::Allowed },
        ]
    );
}

#[test]
fn a_coordinator_in_ostersund_meets_other_organisations_at_hubs_without_approval() {
    let rules = jamtland_harjedalen_rules();
    let person = person(REGION, OSTERSUND, "SE-2380", &[1], &["cross-sector coordinator"]);
    let offices = region_offices();
    let usage = hub_days(&[2, 3, 4, 5, 6, 9, 10, 11, 12]); // 9 days: over everyone's 8, under 12
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let places = [
        context(hub_krokom(), 0, 5),
        context(hospital(), 0, 0),
        context(hub_ostersund(), 0, 3),
        context(region_house(), 2, 0),
    ];
    let ranked = situation.recommend(monday(), &places);
    assert_eq!(
        names(&ranked),
        [
            "Regionens hus, Östersund",             // 0 km, 2 colleagues
            "Coworkinghubb Östersund",              // 0 km, 3 other organisations
            "Östersunds sjukhus, administrationen", // 1 km
            "Coworkinghubb Krokom",                 // 19 km
        ]
    );
    check_distances_and_ranks(OSTERSUND, &places, &ranked);
    assert_km(&ranked, "Coworkinghubb Krokom", 18.8);
    assert!(
        ranked.iter().all(|r| r.verdict == Verdict::Allowed && !r.reasons.preferred),
        "the distance rule is lifted"
    );
    assert!(
        ranked[1].reasons.rules.contains(&AppliedRule {
            rule_index: 3,
            rule: RuleKind::MonthlyHubDays,
            effect: Effect::Allowed
        }),
        "the coordinators' cap of 12 applies, not everyone's 8"
    );
    // Everyone else in Östersund is refused the same hub.
    let colleague = PersonFacts { role_tags: vec![], ..person.clone() };
    let situation = Situation { person: &colleague, ..situation };
    assert_eq!(summary(&situation.evaluate(&hub_ostersund(), monday())), "refused:policy_own_office_required");
}

#[test]
fn past_the_monthly_cap_hubs_ask_for_approval_and_rank_after_allowed_places() {
    let rules = jamtland_harjedalen_rules();
    let (person, offices) = (sveg_person(&[]), region_offices());
    let usage = hub_days(&[2, 3, 4, 5, 6, 9, 10, 11]);
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let places = [context(hub_sveg(), 0, 0), context(region_house(), 0, 0)];
    let ranked = situation.recommend(monday(), &places);
    assert_eq!(names(&ranked), ["Regionens hus, Östersund", "Coworkinghubb Sveg"]);
    assert_eq!(summary(&ranked[1].verdict), "approval:policy_monthly_hub_days_used");
}

fn heinola_places() -> Vec<PlaceContext> {
    vec![
        context(place(30, "Yhteistila Lahti", SiteKind::CoworkingHub, YHTEISTILA, LAHTI, Some(eur(25))), 0, 2),
        context(place(31, "Heinolan kaupungintalo", SiteKind::OwnOffice, HEINOLA, HEINOLA_C, None), 4, 0),
        context(place(32, "Yhteistila Kouvola", SiteKind::CoworkingHub, YHTEISTILA, KOUVOLA, Some(eur(25))), 0, 1),
        context(place(33, "Heinolan asiointipiste", SiteKind::ServicePoint, HEINOLA, HEINOLA_C, None), 0, 0),
        context(place(34, "Työ 2.0 -labra", SiteKind::SharedOffice, PREMISES, HELSINKI, None), 0, 6),
    ]
}

#[test]
fn a_heinola_employee_living_in_lahti_is_pointed_to_the_town_hall_32_km_away() {
    let rules = rules(
        r#"[{"rule": "own_office_within", "km": 40, "mode": "prefer"},
            {"rule": "monthly_budget", "unit_id": "00000000-0000-0000-0000-0000000003e9",
             "amount_minor": 10000, "currency": "EUR"}]"#,
    );
    let person = person(HEINOLA, LAHTI, "FI-398", &[1], &[]);
    let places = heinola_places();
    let town_hall = OwnOffice {
        site_id: places[1].place.site_id,
        name: places[1].place.name.clone(),
        coordinates: places[1].place.coordinates,
    };
    let offices = [town_hall];
    let usage = spend(1, 11, 80); // 80 of 100 EUR spent: a 25 EUR seat no longer fits
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let ranked = situation.recommend(monday(), &places);
    assert_eq!(
        names(&ranked),
        [
            "Heinolan kaupungintalo", // preferred: 32 km is within 40
            "Heinolan asiointipiste", // 32 km, free
            "Työ 2.0 -labra",         // 99 km
            "Yhteistila Lahti",       // refused by the budget, 0 km
            "Yhteistila Kouvola",     // refused by the budget, 58 km
        ]
    );
    check_distances_and_ranks(LAHTI, &places, &ranked);
    assert_km(&ranked, "Heinolan kaupungintalo", 32.0);
    assert_km(&ranked, "Yhteistila Kouvola", 57.6);
    assert_km(&ranked, "Työ 2.0 -labra", 98.7);
    assert_eq!(summary(&ranked[3].verdict), "refused:policy_budget_exhausted");
    assert_eq!(ranked[2].reasons.other_organisations_present, Some(6));

    // With a 30 km threshold the town hall is no longer preferred and the hub at home leads;
    // with the budget refilled the hubs are allowed again.
    let rules = rules_30_km();
    let usage = Usage::default();
    let situation = Situation { rules: &rules, usage: &usage, ..situation };
    let ranked = situation.recommend(monday(), &places);
    assert_eq!(
        names(&ranked),
        [
            "Yhteistila Lahti",       // 0 km
            "Heinolan kaupungintalo", // 32 km, 4 colleagues
            "Yhteistila Kouvola",     // 58 km, 1 other organisation
            "Heinolan asiointipiste", // 32 km
            "Työ 2.0 -labra",         // 99 km
        ]
    );
    assert!(ranked.iter().all(|r| !r.reasons.preferred));
    assert_eq!(ranked[0].reasons.cost, Some(eur(25)));
}

fn rules_30_km() -> Vec<Rule> {
    rules(r#"[{"rule": "own_office_within", "km": 30, "mode": "prefer"}]"#)
}

#[test]
fn on_the_units_team_day_an_espoo_employee_is_sent_to_the_helsinki_office_with_the_team() {
    let rules =
        rules(r#"[{"rule": "team_days", "unit_id": "00000000-0000-0000-0000-0000000003e9", "weekdays": ["tue"]}]"#);
    let person = person(VDT, ESPOO, "FI-049", &[1], &[]);
    let office = place(40, "DVV Helsinki", SiteKind::OwnOffice, VDT, HELSINKI, None);
    let espoo_hub = place(41, "Yhteistila Espoo", SiteKind::CoworkingHub, YHTEISTILA, ESPOO, Some(eur(25)));
    let offices = [OwnOffice { site_id: office.site_id, name: office.name.clone(), coordinates: office.coordinates }];
    let usage = Usage::default();
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let (mon, tue) = (monday(), day(24));
    let week = situation.recommend_days(&[
        (mon, vec![context(office.clone(), 1, 0), context(espoo_hub.clone(), 0, 2)]),
        (tue, vec![context(office, 5, 0), context(espoo_hub, 1, 2)]),
    ]);
    assert_eq!(week[0].date, mon);
    assert_eq!(names(&week[0].recommendations), ["Yhteistila Espoo", "DVV Helsinki"], "Monday: nearest first");
    assert_eq!(names(&week[1].recommendations), ["DVV Helsinki", "Yhteistila Espoo"], "Tuesday: with the team");
    assert!(!week[0].recommendations[0].reasons.team_day);
    let tuesday_first = &week[1].recommendations[0];
    assert!(tuesday_first.reasons.team_day);
    assert_eq!(
        tuesday_first.reasons.rules,
        [AppliedRule { rule_index: 0, rule: RuleKind::TeamDays, effect: Effect::TeamDay }]
    );
    assert_km(&week[1].recommendations, "DVV Helsinki", 16.2);
}

#[test]
fn without_a_home_distances_are_unknown_and_such_places_rank_by_the_rest() {
    let rules: Vec<Rule> = Vec::new();
    let person = PersonFacts { home: None, ..anna(&[]) };
    let (offices, usage) = (region_offices(), Usage::default());
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let ranked = situation.recommend(monday(), &[context(hub_jarpen(), 0, 0), context(region_house(), 1, 0)]);
    assert_eq!(names(&ranked), ["Regionens hus, Östersund", "Coworkinghubb Järpen"]);
    assert!(ranked.iter().all(|r| r.reasons.distance_km.is_none()));
}

#[test]
fn equal_places_are_ordered_by_site_id_whatever_order_they_come_in() {
    let rules: Vec<Rule> = Vec::new();
    let (person, offices, usage) = (sveg_person(&[]), region_offices(), Usage::default());
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let twin = place(15, "Coworkinghubb Sveg 2", SiteKind::CoworkingHub, JAMTHUBS, SVEG, Some(sek(250)));
    let a = situation.recommend(monday(), &[context(twin.clone(), 0, 0), context(hub_sveg(), 0, 0)]);
    let b = situation.recommend(monday(), &[context(hub_sveg(), 0, 0), context(twin, 0, 0)]);
    assert_eq!(names(&a), ["Coworkinghubb Sveg", "Coworkinghubb Sveg 2"]);
    assert_eq!(a, b);
}

#[test]
fn a_recommendation_serialises_its_reasons_as_data() {
    let rules = jamtland_harjedalen_rules();
    let (person, offices, usage) = (anna(&[]), region_offices(), Usage::default());
    let situation = Situation { rules: &rules, person: &person, own_offices: &offices, usage: &usage };
    let ranked = situation.recommend(monday(), &[context(hub_jarpen(), 0, 2)]);
    let json = serde_json::to_value(&ranked[0]).unwrap();
    assert_eq!(json["rank"], 1);
    assert_eq!(json["kind"], "coworking_hub");
    assert_eq!(json["verdict"]["verdict"], "refused");
    assert_eq!(json["verdict"]["reason"]["code"], "policy_own_office_required");
    assert_eq!(json["reasons"]["distance_km"], 0.0);
    assert_eq!(json["reasons"]["cost"]["amount_minor"], 25_000);
    assert_eq!(json["reasons"]["cost"]["currency"], "SEK");
    assert_eq!(json["reasons"]["other_organisations_present"], 2);
    assert_eq!(json["reasons"]["rules"][0]["rule"], "own_office_within");
    assert_eq!(json["reasons"]["rules"][0]["effect"], "refused");
}
