//! A couple's photo as a file beside the registration: kept in the
//! encrypted cache, sent before the registration that names it, fetched by
//! the other counters of the office after the record, read offline from
//! then on, and never given to another office.

use crate::common::{PASSWORD, Platform, client_app, party, signed_form};
use mz_api::records::MarriageStatus;
use mz_domain::Sex;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR the couple at the counter";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_goes_before_its_registration_and_comes_after_it() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let counter = client_app(&platform, &dir, "counter-1");
    counter.login("registrar", PASSWORD).await.unwrap();

    // Taken and prepared while the platform is away.
    platform.halt().await;
    let photo = counter.keep_photo("image/png", PNG).unwrap();
    let mut form = signed_form(
        party("张三", "43010219980307001", Sex::Male),
        party("李四", "43010219990101002", Sex::Female),
    );
    form.photo = Some(photo.clone());
    let id = counter.prepare_marriage(None, form).unwrap();
    assert_eq!(
        counter.blob(&photo).await.unwrap(),
        PNG,
        "read from the cache offline"
    );

    // Back online: the file goes first, then the registration, applied.
    platform.resume();
    let report = counter.sync_once().await.unwrap();
    assert_eq!((report.applied, report.rejected), (1, 0), "{report:?}");
    assert!(counter.sync_issues().unwrap().is_empty());
    let held: (String, i64) =
        sqlx::query_as("SELECT media_type, size FROM blobs WHERE sha256 = $1")
            .bind(&photo.sha256)
            .fetch_one(&platform.db.pool)
            .await
            .unwrap();
    assert_eq!(held, ("image/png".to_owned(), PNG.len() as i64));
    // The feed carries the reference only.
    let body: String = sqlx::query_scalar("SELECT data FROM changes WHERE record_id = $1")
        .bind(id.to_string())
        .fetch_one(&platform.db.pool)
        .await
        .unwrap();
    assert!(body.len() < 2048 && body.contains(&photo.sha256), "{body}");

    // The office's other counter gets the record, then its photo, with the
    // same sync; from then on it shows it offline.
    let colleague = client_app(&platform, &dir, "counter-2");
    colleague.login("registrar2", PASSWORD).await.unwrap();
    let report = colleague.sync_once().await.unwrap();
    assert_eq!(report.files, 1, "{report:?}");
    let entry = colleague
        .marriages()
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap();
    assert_eq!(entry.data.status, MarriageStatus::Prepared);
    assert_eq!(entry.data.photo.as_ref(), Some(&photo));
    platform.halt().await;
    assert_eq!(colleague.blob(&photo).await.unwrap(), PNG);
    platform.resume();

    // Another office's counter is not given it, even by its hash.
    let other = client_app(&platform, &dir, "counter-3");
    other.login("other_registrar", PASSWORD).await.unwrap();
    other.sync_once().await.unwrap();
    assert!(other.marriages().unwrap().is_empty());
    let refused = other.blob(&photo).await.unwrap_err();
    assert!(
        matches!(
            refused,
            mz_app::AppError::Platform(mz_client::ClientError::Api { status: 404, .. })
        ),
        "{refused:?}"
    );
}
