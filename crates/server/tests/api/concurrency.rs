//! No double booking, ever: fifty people ask for the same desk at the same moment through the
//! API; exactly one gets it and the rest get 409 `booking_conflict`, on each backend.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, Who, helsinki};

async fn fifty_people(app: &TestApp) -> Vec<Who> {
    let mut people = Vec::new();
    for n in 0..50 {
        let person = hubnet_domain::Person {
            id: uuid::Uuid::now_v7().into(),
            email: hubnet_domain::Email::parse(&format!("p{n}@agency.example")).unwrap(),
            name: format!("Person {n}"),
            ..app.net.aino.person.clone()
        };
        app.store.people().save_person(&person).await.unwrap();
        let (token, hash) = hubnet_server::auth::new_token().unwrap();
        app.store
            .tokens()
            .create_token(uuid::Uuid::now_v7().into(), person.id, &hash, "t", crate::helpers::now())
            .await
            .unwrap();
        people.push(Who { person, token });
    }
    people
}

async fn exactly_one_wins(app: TestApp) {
    let app = Arc::new(app);
    let people = fifty_people(&app).await;
    let desk = app.net.helsinki_desks[1].id;
    let barrier = Arc::new(tokio::sync::Barrier::new(people.len()));
    let tasks: Vec<_> = people
        .into_iter()
        .map(|who| {
            let (app, barrier) = (Arc::clone(&app), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                let body = json!({"space_id": desk, "start": helsinki(12, 1, 9, 0), "end": helsinki(12, 1, 12, 0)});
                let reply = app.post("/api/v1/bookings", &who, body).await;
                (reply.status, reply.code().to_owned())
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    let won = outcomes.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    let lost = outcomes.iter().filter(|(s, c)| *s == StatusCode::CONFLICT && c == "booking_conflict").count();
    assert_eq!((won, lost), (1, 49), "{outcomes:?}");
    assert_eq!(app.active_bookings(&app.net.helsinki).await.len(), 1);
    Arc::into_inner(app).unwrap().finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_requests_for_one_desk_on_sqlite_give_one_booking() {
    exactly_one_wins(TestApp::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_requests_for_one_desk_on_postgres_give_one_booking() {
    if let Some(app) = TestApp::postgres().await {
        exactly_one_wins(app).await;
    }
}
