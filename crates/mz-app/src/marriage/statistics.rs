//! The office's marriage statistics, from the records in the cache: counts
//! by day or month and by kind of business, the ages of those who married,
//! and the same tables as an Excel workbook.

use chrono::{Datelike, Days, NaiveDate};
use mz_api::marriage::{FigureEvent, divorce_events, marriage_events};
use mz_api::records::MarriageStatus;
use mz_sheets::{Column, ColumnKind, Sheet, Value};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, AppResult, ClientApp};

/// The longest range counted day by day.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    Day,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct StatisticsQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub grouping: Grouping,
}

/// The counts of one day or month (or of the whole range, as the total).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PeriodRow {
    /// `2026-03-05`, `2026-03`, or 合计.
    pub period: String,
    /// 结婚登记 (registered).
    pub marriages: u32,
    /// 不予登记 (marriages refused).
    pub refusals: u32,
    /// 离婚登记申请受理
    pub divorce_applications: u32,
    /// 撤回 (by a party) and 视为撤回.
    pub withdrawals: u32,
    /// 离婚登记 (certificates issued).
    pub divorces: u32,
}

/// How many men and women married at an age in the band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgeBandRow {
    pub band: String,
    pub men: u32,
    pub women: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Statistics {
    pub query: StatisticsQuery,
    pub rows: Vec<PeriodRow>,
    pub total: PeriodRow,
    pub age_bands: Vec<AgeBandRow>,
}

/// Age bands at registration: lower bound and label.
const BANDS: [(u32, &str); 6] = [
    (0, "24 岁及以下"),
    (25, "25–29 岁"),
    (30, "30–34 岁"),
    (35, "35–39 岁"),
    (40, "40–49 岁"),
    (50, "50 岁及以上"),
];

fn band_of(age: u32) -> usize {
    BANDS
        .iter()
        .rposition(|(lower, _)| age >= *lower)
        .unwrap_or(0)
}

impl StatisticsQuery {
    fn check(&self) -> AppResult<()> {
        if self.from > self.to {
            return Err(AppError::Invalid("起始日期晚于截止日期".to_owned()));
        }
        if self.grouping == Grouping::Day && (self.to - self.from).num_days() >= MAX_DAYS {
            return Err(AppError::Invalid(format!(
                "按日统计最多 {MAX_DAYS} 天，请改为按月统计"
            )));
        }
        Ok(())
    }

    fn period_of(&self, day: NaiveDate) -> Option<String> {
        if day < self.from || day > self.to {
            return None;
        }
        Some(match self.grouping {
            Grouping::Day => day.format("%Y-%m-%d").to_string(),
            Grouping::Month => day.format("%Y-%m").to_string(),
        })
    }

    /// Every period of the range, in order, so that quiet days show as zero.
    fn periods(&self) -> Vec<String> {
        let mut periods: Vec<String> = Vec::new();
        let mut day = self.from;
        while day <= self.to {
            if let Some(period) = self.period_of(day)
                && periods.last() != Some(&period)
            {
                periods.push(period);
            }
            let Some(next) = day.checked_add_days(Days::new(1)) else {
                break;
            };
            day = next;
        }
        periods
    }
}

impl ClientApp {
    /// Counts the office's registrations and divorces in the query's range.
    pub fn marriage_statistics(&self, query: StatisticsQuery) -> AppResult<Statistics> {
        query.check()?;
        let mut rows: Vec<PeriodRow> = query
            .periods()
            .into_iter()
            .map(|period| PeriodRow {
                period,
                ..PeriodRow::default()
            })
            .collect();
        let mut bands: Vec<AgeBandRow> = BANDS
            .iter()
            .map(|(_, label)| AgeBandRow {
                band: (*label).to_owned(),
                men: 0,
                women: 0,
            })
            .collect();
        let mut count = |day: NaiveDate, add: &dyn Fn(&mut PeriodRow)| {
            if let Some(period) = query.period_of(day)
                && let Some(row) = rows.iter_mut().find(|r| r.period == period)
            {
                add(row);
            }
        };
        // What each record counts for, as the platform's figures count it.
        let add = |row: &mut PeriodRow, event: FigureEvent| match event {
            FigureEvent::Marriage => row.marriages += 1,
            FigureEvent::Refusal => row.refusals += 1,
            FigureEvent::DivorceApplication => row.divorce_applications += 1,
            FigureEvent::Withdrawal => row.withdrawals += 1,
            FigureEvent::Divorce => row.divorces += 1,
        };
        for entry in self.marriages()? {
            let data = &entry.data;
            for (event, day) in marriage_events(data) {
                count(day, &|r| add(r, event));
            }
            // The ages of those who married in the range.
            if data.status == MarriageStatus::Registered
                && query.period_of(data.registered_on).is_some()
            {
                for party in &data.parties {
                    let age = mz_domain::identity::age_on(party.birth_date, data.registered_on);
                    if let Some(band) = bands.get_mut(band_of(age)) {
                        match party.sex {
                            mz_domain::Sex::Male => band.men += 1,
                            mz_domain::Sex::Female => band.women += 1,
                        }
                    }
                }
            }
        }
        for entry in self.divorces()? {
            for (event, day) in divorce_events(&entry.data) {
                count(day, &|r| add(r, event));
            }
        }
        let total = rows.iter().fold(
            PeriodRow {
                period: "合计".to_owned(),
                ..PeriodRow::default()
            },
            |mut total, row| {
                total.marriages += row.marriages;
                total.refusals += row.refusals;
                total.divorce_applications += row.divorce_applications;
                total.withdrawals += row.withdrawals;
                total.divorces += row.divorces;
                total
            },
        );
        Ok(Statistics {
            query,
            rows,
            total,
            age_bands: bands,
        })
    }

    /// The statistics as an .xlsx workbook: one sheet of counts by period,
    /// one of ages. Counts only: no names, no numbers.
    pub fn marriage_statistics_xlsx(&self, query: StatisticsQuery) -> AppResult<Vec<u8>> {
        let statistics = self.marriage_statistics(query)?;
        let count = |n: u32| Value::Integer(i64::from(n));
        let by_period = Sheet {
            name: match query.grouping {
                Grouping::Day => "按日".to_owned(),
                Grouping::Month => "按月".to_owned(),
            },
            columns: vec![
                Column::new("期间", ColumnKind::Text),
                Column::new("结婚登记", ColumnKind::Integer),
                Column::new("不予登记", ColumnKind::Integer),
                Column::new("离婚申请受理", ColumnKind::Integer),
                Column::new("撤回（含视为撤回）", ColumnKind::Integer),
                Column::new("离婚登记", ColumnKind::Integer),
            ],
            rows: statistics
                .rows
                .iter()
                .chain(std::iter::once(&statistics.total))
                .map(|r| {
                    vec![
                        Value::Text(r.period.clone()),
                        count(r.marriages),
                        count(r.refusals),
                        count(r.divorce_applications),
                        count(r.withdrawals),
                        count(r.divorces),
                    ]
                })
                .collect(),
        };
        let by_age = Sheet {
            name: "结婚年龄".to_owned(),
            columns: vec![
                Column::new("年龄段（登记之日）", ColumnKind::Text),
                Column::new("男", ColumnKind::Integer),
                Column::new("女", ColumnKind::Integer),
            ],
            rows: statistics
                .age_bands
                .iter()
                .map(|b| vec![Value::Text(b.band.clone()), count(b.men), count(b.women)])
                .collect(),
        };
        Ok(mz_sheets::to_xlsx_bytes(&[by_period, by_age])?)
    }

    /// Each office's counts from the platform, within this user's reach: the
    /// office for its staff, every office below for a city or the province.
    pub async fn marriage_figures(
        &self,
        query: StatisticsQuery,
    ) -> AppResult<Vec<mz_api::marriage::OfficeFigures>> {
        query.check()?;
        self.authorized(|token| {
            let client = self.client.clone();
            let range = mz_api::marriage::FiguresQuery {
                from: query.from,
                to: query.to,
            };
            async move { client.marriage_figures(&token, &range).await }
        })
        .await
    }

    /// The office's marital-status checks of `day`, for its head: who
    /// checked, when, for which registration, refusals past the daily cap
    /// among them (online only; never the documents).
    pub async fn marriage_day_checks(
        &self,
        day: NaiveDate,
    ) -> AppResult<Vec<mz_api::marriage::StatusCheckEntry>> {
        self.authorized(|token| {
            let client = self.client.clone();
            let query = mz_api::marriage::StatusChecksQuery { day };
            async move { client.status_checks(&token, &query).await }
        })
        .await
    }

    /// The screen's default range: the month so far: from its first day to today, never a day that has
    /// not come yet (a report shows no future periods).
    pub fn this_month(&self) -> (NaiveDate, NaiveDate) {
        let today = self.today();
        (today.with_day(1).unwrap_or(today), today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_fall_in_their_bands() {
        assert_eq!(band_of(20), 0);
        assert_eq!(band_of(24), 0);
        assert_eq!(band_of(25), 1);
        assert_eq!(band_of(39), 3);
        assert_eq!(band_of(49), 4);
        assert_eq!(band_of(80), 5);
    }
}
