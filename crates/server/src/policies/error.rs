//! What a booking answers when the booker's organisation's workplace policy refuses the place,
//! with the values the refusal names (the own office and its distance, the days used, the budget
//! left).

use axum::http::StatusCode;
use hubnet_domain::policy::{Finding, Reason};

use crate::error::{Arg, ErrorPayload, Problem};

/// The booker's organisation's policy refuses the place.
#[derive(Debug, thiserror::Error)]
#[error("refused by the organisation's policy: {}", .0.reason.code())]
pub struct PolicyRefusal(pub Box<Finding>);

impl Problem for PolicyRefusal {
    fn status(&self) -> StatusCode {
        StatusCode::FORBIDDEN
    }

    fn code(&self) -> &'static str {
        self.0.reason.code()
    }

    fn describe(&self, payload: &mut ErrorPayload) {
        policy_args(&self.0.reason, payload);
    }
}

/// The values a policy refusal's message names.
fn policy_args(reason: &Reason, payload: &mut ErrorPayload) {
    let kinds = |kinds: &[hubnet_domain::SiteKind]| {
        Arg::Keys(kinds.iter().map(|k| format!("policy-kinds-{}", k.key())).collect())
    };
    let money = |minor: i64, currency: hubnet_domain::money::Currency| {
        let whole = minor / 100;
        let cents = (minor % 100).abs();
        let amount = if cents == 0 { whole.to_string() } else { format!("{whole}.{cents:02}") };
        Arg::Text(format!("{amount} {}", currency.code()))
    };
    match reason {
        Reason::OwnOfficeRequired { office, distance_km, threshold_km, kind } => {
            payload.arg("office", Arg::Localized(office.clone()));
            payload.arg("distance_km", Arg::Number(i64::from(*distance_km)));
            payload.arg("threshold_km", Arg::Number(i64::from(*threshold_km)));
            payload.arg("kind", kinds(&[*kind]));
        }
        Reason::SiteKindNotAllowed { kind, allowed } => {
            payload.arg("kind", kinds(&[*kind]));
            payload.arg("allowed", kinds(allowed));
        }
        Reason::MonthlyHubDaysUsed { max_days, used_days, month } => {
            payload.arg("max_days", Arg::Number(i64::from(*max_days)));
            payload.arg("used_days", Arg::Number(i64::from(*used_days)));
            payload.arg("month", Arg::Text(month.clone()));
        }
        Reason::BudgetExhausted { budget_minor, remaining_minor, cost_minor, currency, month, .. } => {
            payload.arg("budget", money(*budget_minor, *currency));
            payload.arg("remaining", money(*remaining_minor, *currency));
            payload.arg("cost", money(*cost_minor, *currency));
            payload.arg("month", Arg::Text(month.clone()));
        }
        Reason::BudgetCurrencyMismatch { budget_currency, price_currency, .. } => {
            payload.arg("budget_currency", Arg::Text(budget_currency.code().to_owned()));
            payload.arg("price_currency", Arg::Text(price_currency.code().to_owned()));
        }
        Reason::HubApprovalRequired => {}
    }
}
