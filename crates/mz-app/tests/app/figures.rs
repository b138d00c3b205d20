//! 数据分析 against the real platform on loopback: each role is given the
//! figures its roles read, month by month, and nothing else.

use crate::common::{PASSWORD, Platform, client_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_is_given_the_figures_it_reads_month_by_month() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let months = |app: &mz_app::ClientApp| {
        let today = app.today();
        (
            today.format("%Y-01").to_string(),
            today.format("%Y-%m").to_string(),
        )
    };

    // The department's leader: the unit's documents, and the counts of
    // every office and home of the province.
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let (from, to) = months(&leader);
    let dashboard = leader.dashboard(&from, &to).await.unwrap();
    let shown = dashboard.months.len();
    assert_eq!(dashboard.months.first(), Some(&from));
    assert_eq!(dashboard.months.last(), Some(&to));
    assert_eq!(dashboard.documents.unwrap().months.len(), shown);
    assert_eq!(dashboard.marriage.unwrap().len(), shown);
    assert_eq!(dashboard.funeral.unwrap().len(), shown);

    // A counter: its own office's registrations, no documents, no homes.
    let counter = client_app(&platform, &dir, "counter");
    counter.login("registrar", PASSWORD).await.unwrap();
    let dashboard = counter.dashboard(&from, &to).await.unwrap();
    assert!(dashboard.documents.is_none() && dashboard.funeral.is_none());
    assert_eq!(dashboard.marriage.unwrap().len(), shown);

    // Months out of shape are named by their field before anything is asked.
    let refused = counter.dashboard("2026-13", &to).await.unwrap_err();
    match refused {
        mz_app::AppError::Rules(issues) => assert_eq!(issues[0].field, "from"),
        other => panic!("{other:?}"),
    }
}
