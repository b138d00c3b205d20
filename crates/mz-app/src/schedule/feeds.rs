//! The leaders' phone feeds from the desk: the office, a leader or their
//! secretary makes a feed's address (shown once: the platform keeps only
//! its token's hash), lists the feeds with when each was last fetched, and
//! revokes one at once. Online only: the platform holds them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{AppResult, ClientApp};

/// A feed just made, with the address a phone subscribes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeedLink {
    pub feed: mz_api::schedule::Feed,
    /// The full address (https://…/api/v1/schedule/feed/<token>.ics).
    pub url: String,
    /// The same address for a phone's calendar app (webcal://…).
    pub webcal: String,
}

impl ClientApp {
    /// The feeds of the leaders the user manages, newest first.
    pub async fn schedule_feeds(&self) -> AppResult<Vec<mz_api::schedule::Feed>> {
        self.authorized(|token| {
            let client = self.client.clone();
            async move { client.schedule_feeds(&token).await }
        })
        .await
    }

    /// Makes a phone feed of `leader`'s schedule.
    pub async fn create_schedule_feed(&self, leader: String) -> AppResult<FeedLink> {
        let request = mz_api::schedule::FeedRequest { leader };
        let made = self
            .authorized(|token| {
                let client = self.client.clone();
                let request = request.clone();
                async move { client.create_schedule_feed(&token, &request).await }
            })
            .await?;
        let url = self
            .client
            .address_of(&made.path)
            .map_err(crate::AppError::from)?;
        let webcal = match url.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => url.clone(),
        };
        Ok(FeedLink {
            feed: made.feed,
            url,
            webcal,
        })
    }

    /// Revokes a phone feed: the phone's calendar stops receiving it.
    pub async fn revoke_schedule_feed(&self, id: Uuid) -> AppResult<mz_api::schedule::Feed> {
        self.authorized(|token| {
            let client = self.client.clone();
            async move { client.revoke_schedule_feed(&token, id).await }
        })
        .await
    }
}
