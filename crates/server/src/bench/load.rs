//! The load generator: many concurrent clients on loopback, each sending the next request of a
//! plan as soon as its last one is answered, bounded by a number of requests and a time limit.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// One request of a plan.
pub struct Request {
    pub post_json: Option<String>,
    pub path: String,
    pub token: Arc<str>,
    /// For pages: the session cookie to send instead of the token.
    pub session: Option<Arc<str>>,
}

/// What a run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    pub scenario: String,
    pub concurrency: usize,
    pub requests: u64,
    pub seconds: f64,
    /// Answers per second, whatever they said.
    pub per_second: f64,
    /// 2xx answers per second (for bookings: bookings made).
    pub ok_per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Answers by status and error code (`201`, `409 booking_conflict`, ...).
    pub answers: BTreeMap<String, u64>,
}

impl Measured {
    /// Answers that were not 2xx.
    pub fn refused(&self) -> u64 {
        self.answers.iter().filter(|(k, _)| !k.starts_with('2')).map(|(_, v)| v).sum()
    }

    /// Server errors, timeouts and lost connections.
    pub fn failed(&self) -> u64 {
        self.answers.iter().filter(|(k, _)| !k.starts_with('2') && !k.starts_with('4')).map(|(_, v)| v).sum()
    }
}

/// Sends `plan` to the server at `base` (such as `http://127.0.0.1:8080`) from `concurrency`
/// clients until every request is answered or `limit` has passed.
pub async fn drive(
    scenario: &str,
    base: &str,
    plan: Vec<Request>,
    concurrency: usize,
    limit: Duration,
) -> anyhow::Result<Measured> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_mins(1))
        // A page that sends the client to sign in has failed; following it would count a 200.
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let plan = Arc::new(plan);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (client, plan, next, base) = (client.clone(), Arc::clone(&plan), Arc::clone(&next), base.to_owned());
        workers.push(tokio::spawn(async move {
            let mut latencies: Vec<u32> = Vec::new();
            let mut answers: BTreeMap<String, u64> = BTreeMap::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= plan.len() || started.elapsed() >= limit {
                    break;
                }
                let request = &plan[i];
                let url = format!("{base}{}", request.path);
                let builder = match &request.post_json {
                    Some(body) => {
                        client.post(url).header(reqwest::header::CONTENT_TYPE, "application/json").body(body.clone())
                    }
                    None => client.get(url),
                };
                let builder = match &request.session {
                    Some(session) => builder.header(reqwest::header::COOKIE, format!("hubnet_session={session}")),
                    None => builder.bearer_auth(&*request.token),
                };
                let sent = Instant::now();
                let answer = match builder.send().await {
                    Ok(response) => {
                        let status = response.status();
                        let body = response.bytes().await.unwrap_or_default();
                        if status.is_success() {
                            status.as_u16().to_string()
                        } else {
                            let code = serde_json::from_slice::<serde_json::Value>(&body)
                                .ok()
                                .and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
                                .unwrap_or_default();
                            format!("{} {code}", status.as_u16())
                        }
                    }
                    Err(error) if error.is_timeout() => "timeout".to_owned(),
                    Err(_) => "connection error".to_owned(),
                };
                latencies.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
                *answers.entry(answer).or_default() += 1;
            }
            (latencies, answers)
        }));
    }
    let mut latencies = Vec::new();
    let mut answers: BTreeMap<String, u64> = BTreeMap::new();
    for worker in workers {
        let (l, a) = worker.await?;
        latencies.extend(l);
        for (k, v) in a {
            *answers.entry(k).or_default() += v;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let requests = latencies.len() as u64;
    let ok: u64 = answers.iter().filter(|(k, _)| k.starts_with('2')).map(|(_, v)| v).sum();
    #[expect(clippy::cast_precision_loss, reason = "request counts are far below 2^52")]
    let (per_second, ok_per_second) = (requests as f64 / seconds, ok as f64 / seconds);
    Ok(Measured {
        scenario: scenario.to_owned(),
        concurrency,
        requests,
        seconds,
        per_second,
        ok_per_second,
        p50_ms: percentile(&latencies, 50.0),
        p95_ms: percentile(&latencies, 95.0),
        p99_ms: percentile(&latencies, 99.0),
        max_ms: latencies.last().map_or(0.0, |&us| f64::from(us) / 1000.0),
        answers,
    })
}

/// The nearest-rank percentile of sorted microseconds, in milliseconds.
pub fn percentile(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    #[expect(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "an index"
    )]
    let rank = ((p / 100.0 * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len());
    f64::from(sorted_us[rank - 1]) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank_percentiles() {
        let us: Vec<u32> = (1..=100).map(|n| n * 1000).collect();
        assert!((percentile(&us, 50.0) - 50.0).abs() < f64::EPSILON);
        assert!((percentile(&us, 99.0) - 99.0).abs() < f64::EPSILON);
        assert!((percentile(&us, 100.0) - 100.0).abs() < f64::EPSILON);
        assert!((percentile(&[7000], 99.0) - 7.0).abs() < f64::EPSILON);
        assert!(percentile(&[], 50.0).abs() < f64::EPSILON);
    }
}
