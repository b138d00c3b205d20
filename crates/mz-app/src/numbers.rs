//! Certificate numbers on the client: blocks the platform hands to this
//! device ahead of time, kept in the encrypted cache, so that a counter
//! numbers its certificates offline too. A number is taken before the
//! record that uses it is saved: a crash in between leaves a gap in the
//! series, never a number used twice. A spoiled print voids its number on
//! the platform and takes the next.

use chrono::NaiveDate;
use mz_api::numbers::{BlockRequest, VoidRequest};
use mz_domain::SequenceKey;
use mz_domain::numbering::CertificatePrefix;
use serde::{Deserialize, Serialize};

use crate::{AppError, AppResult, ClientApp};

/// How many numbers the counter asks for at a time.
pub const BLOCK_SIZE: i64 = 50;

const NUMBER_BLOCKS: &str = "number-blocks";

/// The series a desk numbers offline, a block of each held ahead.
const OFFLINE_SERIES: [CertificatePrefix; 3] = [
    CertificatePrefix::YT,
    CertificatePrefix::HZ,
    CertificatePrefix::GM,
];

/// A block of this device's numbers and the next serial not yet used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct HeldBlock {
    key: String,
    first: i64,
    last: i64,
    next: i64,
}

impl ClientApp {
    /// Voids a spoiled certificate number on the platform (it stays recorded,
    /// never issued again) and takes the next number of the same series.
    pub(crate) async fn void_and_take(
        &self,
        old: &str,
        prefix: CertificatePrefix,
        day: NaiveDate,
        reason: &str,
    ) -> AppResult<String> {
        let (key, serial) = SequenceKey::parse_number(old)
            .ok_or_else(|| AppError::Invalid(format!("无法识别的证书编号 {old}")))?;
        let request = VoidRequest {
            key: key.to_string(),
            serial,
            reason: if reason.trim().is_empty() {
                "打印损坏".to_owned()
            } else {
                reason.trim().to_owned()
            },
        };
        self.authorized(|token| {
            let client = self.client.clone();
            let request = request.clone();
            async move { client.void_number(&token, &request).await }
        })
        .await?;
        self.take_number(prefix, day).await
    }

    /// The blocks this device holds. Unreadable, they are an error: taken
    /// as none, the counter would ask for new blocks and leave the old ones
    /// unused and unaccounted for.
    fn held_blocks(&self) -> AppResult<Vec<HeldBlock>> {
        let Some(text) = self.store()?.setting(NUMBER_BLOCKS)? else {
            return Ok(Vec::new());
        };
        serde_json::from_str(&text)
            .map_err(|e| AppError::Invalid(format!("本机保存的证书号段已损坏：{e}")))
    }

    fn keep_blocks(&self, blocks: &[HeldBlock]) -> AppResult<()> {
        let text = serde_json::to_string(blocks).map_err(AppError::Json)?;
        self.store()?.set_setting(NUMBER_BLOCKS, Some(&text))?;
        Ok(())
    }

    /// Holds a block of each series this desk numbers while offline (a
    /// funeral home's cases and cremation certificates), for this year,
    /// asking the platform for one when none is left: a desk that loses the
    /// network mid-day goes on numbering. The marriage counter's series are
    /// taken online only (a registration needs the status check), so none
    /// is held for them.
    pub(crate) async fn hold_numbers_ahead(&self) -> AppResult<()> {
        let Some(user) = self.user()? else {
            return Ok(());
        };
        for prefix in OFFLINE_SERIES {
            let writes = mz_domain::access::widest_scope(
                &user.roles,
                prefix.resource(),
                mz_domain::Action::Write,
            )
            .is_some();
            if writes && !self.holds_numbers(prefix, self.today())? {
                self.allocate(prefix, self.today()).await?;
            }
        }
        Ok(())
    }

    /// Whether this device holds an unused number of `prefix` for the year
    /// of `day`.
    fn holds_numbers(&self, prefix: CertificatePrefix, day: NaiveDate) -> AppResult<bool> {
        let series = self.series(prefix, day)?.to_string();
        Ok(self
            .held_blocks()?
            .iter()
            .any(|b| b.key == series && b.next <= b.last))
    }

    /// The series of this user's unit for `prefix` in the year of `day`.
    fn series(&self, prefix: CertificatePrefix, day: NaiveDate) -> AppResult<SequenceKey> {
        let user = self.user()?.ok_or(AppError::SignedOut)?;
        let region = user
            .org_unit
            .region
            .parse()
            .map_err(|_| AppError::Invalid("所属单位没有有效的区划代码".to_owned()))?;
        Ok(SequenceKey {
            prefix,
            region,
            year: chrono::Datelike::year(&day),
        })
    }

    /// A new block of `prefix` for the year of `day`, kept with the others.
    async fn allocate(&self, prefix: CertificatePrefix, day: NaiveDate) -> AppResult<()> {
        let request = BlockRequest {
            key: self.series(prefix, day)?.to_string(),
            size: BLOCK_SIZE,
        };
        let block = self
            .authorized(|token| {
                let client = self.client.clone();
                let request = request.clone();
                async move { client.allocate_block(&token, &request).await }
            })
            .await?;
        let mut blocks = self.held_blocks()?;
        blocks.push(HeldBlock {
            key: block.key,
            first: block.first,
            last: block.last,
            next: block.first,
        });
        self.keep_blocks(&blocks)
    }

    /// The next unused number of this counter's series for `prefix` in the
    /// year of `day`, asking the platform for a new block when none is left.
    pub(crate) async fn take_number(
        &self,
        prefix: CertificatePrefix,
        day: NaiveDate,
    ) -> AppResult<String> {
        let key = self.series(prefix, day)?;
        let series = key.to_string();
        if !self.holds_numbers(prefix, day)? {
            self.allocate(prefix, day).await?;
        }
        let mut blocks = self.held_blocks()?;
        let Some(block) = blocks
            .iter_mut()
            .find(|b| b.key == series && b.next <= b.last)
        else {
            return Err(AppError::Invalid("没有可用的证书编号".to_owned()));
        };
        let serial = block.next;
        block.next += 1;
        blocks.retain(|b| b.next <= b.last);
        self.keep_blocks(&blocks)?;
        Ok(key.number(serial))
    }

    /// How many numbers this counter still holds for a series.
    pub fn numbers_left(&self, series: &str) -> AppResult<i64> {
        Ok(self
            .held_blocks()?
            .iter()
            .filter(|b| b.key == series)
            .map(|b| b.last - b.next + 1)
            .sum())
    }
}
