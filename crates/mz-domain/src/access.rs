//! Who may do what, and over which org units.
//!
//! Every user belongs to one org unit (a region code plus a named unit, such
//! as the marriage registration office of 芙蓉区) and holds one or more roles.
//! [`scope`] is the department's rule table: for a role, a resource and an
//! action it gives the widest set of records the role reaches, or `None`.
//! The server checks it for every request and for every record in a pull; the
//! client uses it only to hide what a user cannot do.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::region::RegionCode;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 登记员 at a marriage registration counter.
    Registrar,
    /// 婚姻登记处负责人, the head of a registration office.
    MarriageHead,
    /// 殡仪馆业务厅, the funeral home front desk.
    FuneralDesk,
    /// The head of a funeral home.
    FuneralHead,
    /// 机关工作人员, office staff handling documents.
    OfficeStaff,
    /// 秘书, who keeps a leader's schedule.
    Secretary,
    /// 领导, a leader of the department.
    Leader,
    /// 系统管理员, who manages users, devices and shared data.
    Admin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Registrar,
        Role::MarriageHead,
        Role::FuneralDesk,
        Role::FuneralHead,
        Role::OfficeStaff,
        Role::Secretary,
        Role::Leader,
        Role::Admin,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Registrar => "registrar",
            Role::MarriageHead => "marriage_head",
            Role::FuneralDesk => "funeral_desk",
            Role::FuneralHead => "funeral_head",
            Role::OfficeStaff => "office_staff",
            Role::Secretary => "secretary",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role {0:?}; roles are registrar, marriage_head, funeral_desk, funeral_head, office_staff, secretary, leader, admin"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The modules of the desktop suite, in the order the window lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AppModule {
    /// OA: documents, to-dos, 督办, figures.
    Office,
    /// 领导日程.
    Schedule,
    /// 婚姻登记.
    Marriage,
    /// 殡仪馆.
    Funeral,
    /// 打印中心: official documents, forms, certificates.
    Print,
    /// 资料库: the document library, for every role.
    Library,
    /// 数据分析: a dashboard of the figures the user may read (registrations,
    /// cremations, documents and 督办), counts only.
    Figures,
}

impl AppModule {
    pub const ALL: [AppModule; 7] = [
        AppModule::Office,
        AppModule::Schedule,
        AppModule::Marriage,
        AppModule::Funeral,
        AppModule::Print,
        AppModule::Library,
        AppModule::Figures,
    ];

    /// Whether `role` opens the module's screens: the department's table of
    /// who works where. It shows a screen, nothing more: every record behind
    /// it is still checked against [`scope`], on the platform.
    pub fn opened_by(self, role: Role) -> bool {
        use AppModule as M;
        use Role as R;
        match self {
            M::Office | M::Schedule => {
                matches!(role, R::OfficeStaff | R::Secretary | R::Leader | R::Admin)
            }
            M::Marriage => matches!(role, R::Registrar | R::MarriageHead | R::Admin),
            M::Funeral => matches!(role, R::FuneralDesk | R::FuneralHead | R::Admin),
            M::Print => !matches!(role, R::Leader),
            M::Library => true,
            M::Figures => Resource::FIGURES
                .into_iter()
                .any(|figures| scope(role, figures, Action::Read).is_some()),
        }
    }

    /// The modules a user with `roles` opens, in the window's order.
    pub fn for_roles(roles: &[Role]) -> Vec<AppModule> {
        AppModule::ALL
            .into_iter()
            .filter(|module| roles.iter().any(|role| module.opened_by(*role)))
            .collect()
    }
}

/// What a rule is about: a kind of record or an administrative object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    /// The statutory holiday calendar, one record per year, province-wide.
    HolidayCalendar,
    /// Marriage and divorce registrations: personal records of one office.
    MarriageRecord,
    /// Blocks of marriage certificate numbers (J, L, BJ, BL).
    MarriageNumbers,
    /// Drafts of official documents (公文草稿), shared within an org unit.
    DocumentDraft,
    /// Counts of registrations by office: figures without people.
    MarriageFigures,
    /// Blocks of cremation certificate numbers.
    FuneralNumbers,
    /// A funeral home's cases (the deceased, the family contact, the
    /// papers, the services and the bill): personal records of one home.
    FuneralRecord,
    /// Counts of a home's cases, cremations and waivers: figures without
    /// people, for the home and for civil affairs above it.
    FuneralFigures,
    /// A funeral home's setup: its vehicles, cabinets, halls, furnaces, fee
    /// schedule and waiver rules. Read at the desk, kept by the home's head.
    FuneralSetup,
    /// The fee standard of a province or city: the official list with its
    /// highest prices and the waivers every home there grants. Kept by civil
    /// affairs of that region, read by every home.
    FuneralStandard,
    /// The leaders' activities (领导日程) of the department: the whole
    /// department reads what is public, the office what is internal, a
    /// leader and their secretaries what is confidential (each record's
    /// audience, kept by the platform); the office and the secretaries keep
    /// them.
    ScheduleRecord,
    /// Who the department's leaders are (their order, the principal and the
    /// executive deputy) and which secretary serves whom: kept by the office.
    ScheduleSetup,
    /// Official documents in handling (公文: 发文 and 收文), with every step
    /// taken on them: kept within the unit by its office, leaders and
    /// handlers (each step says whose it is).
    OfficeDocument,
    /// Counts of a unit's documents and 督办 matters: what waits on each
    /// section, what is overdue, each month's flow; no titles, no names.
    OfficeFigures,
    /// The document library (在线资料库): policies, regulations, templates
    /// and the department's documents, read by everyone; kept by each
    /// unit's office staff (an administrator keeps accounts, not files).
    Library,
    /// The directory of org units.
    OrgUnit,
    /// User accounts.
    User,
    /// Registered client devices.
    Device,
    /// The audit log.
    AuditLog,
}

impl Resource {
    /// The figures (counts without people), each read by the dashboard.
    pub const FIGURES: [Resource; 3] = [
        Resource::MarriageFigures,
        Resource::FuneralFigures,
        Resource::OfficeFigures,
    ];

    pub const ALL: [Resource; 19] = [
        Resource::HolidayCalendar,
        Resource::MarriageRecord,
        Resource::DocumentDraft,
        Resource::MarriageNumbers,
        Resource::MarriageFigures,
        Resource::FuneralNumbers,
        Resource::FuneralRecord,
        Resource::FuneralFigures,
        Resource::FuneralSetup,
        Resource::FuneralStandard,
        Resource::ScheduleRecord,
        Resource::ScheduleSetup,
        Resource::OfficeDocument,
        Resource::OfficeFigures,
        Resource::Library,
        Resource::OrgUnit,
        Resource::User,
        Resource::Device,
        Resource::AuditLog,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Write,
}

/// How far a permission reaches, narrowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Records of the user's own org unit.
    Unit,
    /// Records of the user's region and every region inside it.
    Region,
    /// Every record, whoever owns it.
    All,
}

/// The rule table: the scope `role` has for `action` on `resource`.
pub fn scope(role: Role, resource: Resource, action: Action) -> Option<Scope> {
    use Action::{Read, Write};
    use Resource::*;
    use Role::*;
    match (resource, action, role) {
        // Everyone counts periods with the calendar; only the province edits it.
        (HolidayCalendar, Read, _) => Some(Scope::All),
        (HolidayCalendar, Write, Admin) => Some(Scope::Region),

        // A registration office's records stay with that office; the city and
        // the province see aggregates only, never the records.
        (MarriageRecord, Read | Write, Registrar | MarriageHead) => Some(Scope::Unit),

        (MarriageFigures, Read, Registrar | MarriageHead) => Some(Scope::Unit),
        (MarriageFigures, Read, Admin) => Some(Scope::Region),
        // The department's leaders read the counts of their region's offices
        // and homes (the province's, for the department), never a record.
        (MarriageFigures | FuneralFigures, Read, Leader) => Some(Scope::Region),

        (MarriageNumbers, Write, Registrar | MarriageHead) => Some(Scope::Unit),
        (MarriageNumbers, Read, MarriageHead) => Some(Scope::Unit),
        (MarriageNumbers, Read, Admin) => Some(Scope::Region),

        (FuneralNumbers, Write, FuneralDesk | FuneralHead) => Some(Scope::Unit),
        (FuneralNumbers, Read, FuneralHead) => Some(Scope::Unit),
        (FuneralNumbers, Read, Admin) => Some(Scope::Region),

        // A home's cases stay with that home; civil affairs of the county,
        // city and province see counts only, never the people.
        (FuneralRecord, Read | Write, FuneralDesk | FuneralHead) => Some(Scope::Unit),
        (FuneralFigures, Read, FuneralDesk | FuneralHead) => Some(Scope::Unit),
        (FuneralFigures, Read, Admin) => Some(Scope::Region),
        // The prices and waivers are the head's to set; the desk prices by them.
        (FuneralSetup, Read, FuneralDesk | FuneralHead) => Some(Scope::Unit),
        (FuneralSetup, Write, FuneralHead) => Some(Scope::Unit),
        // The province's (or city's) list and waivers bind every home of it.
        (FuneralStandard, Read, FuneralDesk | FuneralHead) => Some(Scope::All),
        (FuneralStandard, Read | Write, Admin) => Some(Scope::Region),

        // The department's week: read within the department (each record's
        // audience narrows it further), kept by the office and the secretaries.
        (ScheduleRecord, Read, Admin) => Some(Scope::Region),
        (ScheduleRecord, Read, _) => Some(Scope::Unit),
        (ScheduleRecord, Write, OfficeStaff | Secretary) => Some(Scope::Unit),
        (ScheduleSetup, Read, OfficeStaff | Secretary | Leader) => Some(Scope::Unit),
        (ScheduleSetup, Read | Write, Admin) => Some(Scope::Region),
        (ScheduleSetup, Write, OfficeStaff) => Some(Scope::Unit),

        // Every unit writes documents (a registration office reports to its
        // bureau too); a draft stays with the unit composing it.
        (DocumentDraft, Read | Write, _) => Some(Scope::Unit),

        // A unit's documents stay with it: its office registers and sends
        // them, its leaders sign and read them, its staff draft and handle
        // them (the steps say who may take which).
        (OfficeDocument, Read | Write, OfficeStaff | Secretary | Leader) => Some(Scope::Unit),
        // Their counts, for those who work them; the province sees its
        // units' counts as it sees the counters'.
        (OfficeFigures, Read, OfficeStaff | Secretary | Leader) => Some(Scope::Unit),
        (OfficeFigures, Read, Admin) => Some(Scope::Region),

        // The regulations a counter works by are everyone's to read.
        (Library, Read, _) => Some(Scope::All),
        (Library, Write, OfficeStaff) => Some(Scope::Unit),

        (OrgUnit, Read, _) => Some(Scope::All),
        (OrgUnit | User | Device, Write, Admin) => Some(Scope::Region),
        (User | Device | AuditLog, Read, Admin) => Some(Scope::Region),

        _ => None,
    }
}

/// The widest scope any of `roles` gives.
pub fn widest_scope(roles: &[Role], resource: Resource, action: Action) -> Option<Scope> {
    roles
        .iter()
        .filter_map(|role| scope(*role, resource, action))
        .max()
}

/// Where a user or a record sits: its org unit and that unit's region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement<'a> {
    pub unit: &'a str,
    pub region: RegionCode,
}

/// Whether a user placed at `user` reaches a record placed at `record` with `scope`.
pub fn reaches(scope: Scope, user: &Placement<'_>, record: &Placement<'_>) -> bool {
    match scope {
        Scope::All => true,
        Scope::Region => user.region.contains(&record.region),
        Scope::Unit => user.unit == record.unit,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    /// The department's table written out by hand, one row per resource and
    /// action, one column per role in the order of [`Role::ALL`]:
    /// `-` none, `U` own unit, `R` own region and below, `A` everything.
    const TABLE: &[(Resource, Action, &str)] = &[
        //                                           reg mh fd fh os se le ad
        (Resource::HolidayCalendar, Action::Read, "A A A A A A A A"),
        (Resource::HolidayCalendar, Action::Write, "- - - - - - - R"),
        (Resource::MarriageRecord, Action::Read, "U U - - - - - -"),
        (Resource::MarriageRecord, Action::Write, "U U - - - - - -"),
        (Resource::DocumentDraft, Action::Read, "U U U U U U U U"),
        (Resource::DocumentDraft, Action::Write, "U U U U U U U U"),
        (Resource::MarriageFigures, Action::Read, "U U - - - - R R"),
        (Resource::MarriageFigures, Action::Write, "- - - - - - - -"),
        (Resource::MarriageNumbers, Action::Read, "- U - - - - - R"),
        (Resource::MarriageNumbers, Action::Write, "U U - - - - - -"),
        (Resource::FuneralNumbers, Action::Read, "- - - U - - - R"),
        (Resource::FuneralNumbers, Action::Write, "- - U U - - - -"),
        (Resource::FuneralRecord, Action::Read, "- - U U - - - -"),
        (Resource::FuneralRecord, Action::Write, "- - U U - - - -"),
        (Resource::FuneralFigures, Action::Read, "- - U U - - R R"),
        (Resource::FuneralFigures, Action::Write, "- - - - - - - -"),
        (Resource::FuneralSetup, Action::Read, "- - U U - - - -"),
        (Resource::FuneralSetup, Action::Write, "- - - U - - - -"),
        (Resource::FuneralStandard, Action::Read, "- - A A - - - R"),
        (Resource::FuneralStandard, Action::Write, "- - - - - - - R"),
        (Resource::ScheduleRecord, Action::Read, "U U U U U U U R"),
        (Resource::ScheduleRecord, Action::Write, "- - - - U U - -"),
        (Resource::ScheduleSetup, Action::Read, "- - - - U U U R"),
        (Resource::ScheduleSetup, Action::Write, "- - - - U - - R"),
        (Resource::OfficeDocument, Action::Read, "- - - - U U U -"),
        (Resource::OfficeDocument, Action::Write, "- - - - U U U -"),
        (Resource::OfficeFigures, Action::Read, "- - - - U U U R"),
        (Resource::OfficeFigures, Action::Write, "- - - - - - - -"),
        (Resource::Library, Action::Read, "A A A A A A A A"),
        (Resource::Library, Action::Write, "- - - - U - - -"),
        (Resource::OrgUnit, Action::Read, "A A A A A A A A"),
        (Resource::OrgUnit, Action::Write, "- - - - - - - R"),
        (Resource::User, Action::Read, "- - - - - - - R"),
        (Resource::User, Action::Write, "- - - - - - - R"),
        (Resource::Device, Action::Read, "- - - - - - - R"),
        (Resource::Device, Action::Write, "- - - - - - - R"),
        (Resource::AuditLog, Action::Read, "- - - - - - - R"),
        (Resource::AuditLog, Action::Write, "- - - - - - - -"),
    ];

    fn expected(cell: &str) -> Option<Scope> {
        match cell {
            "-" => None,
            "U" => Some(Scope::Unit),
            "R" => Some(Scope::Region),
            "A" => Some(Scope::All),
            other => panic!("bad cell {other}"),
        }
    }

    #[test]
    fn every_cell_of_the_rule_table() {
        let mut checked = 0;
        for (resource, action, row) in TABLE {
            let cells: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cells.len(), Role::ALL.len(), "row {resource:?} {action:?}");
            for (role, cell) in Role::ALL.iter().zip(cells) {
                assert_eq!(
                    scope(*role, *resource, *action),
                    expected(cell),
                    "{role} {action:?} {resource:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, Role::ALL.len() * Resource::ALL.len() * 2);
    }

    #[test]
    fn the_widest_of_several_roles_wins() {
        let roles = [Role::Registrar, Role::Admin];
        assert_eq!(
            widest_scope(&roles, Resource::MarriageNumbers, Action::Read),
            Some(Scope::Region)
        );
        assert_eq!(widest_scope(&[], Resource::OrgUnit, Action::Read), None);
    }

    #[test]
    fn reach_by_scope() {
        let city_admin = Placement {
            unit: "430100-civil",
            region: "430100".parse().unwrap(),
        };
        let office = Placement {
            unit: "430102-marriage",
            region: "430102".parse().unwrap(),
        };
        let other_city = Placement {
            unit: "430202-marriage",
            region: "430202".parse().unwrap(),
        };
        assert!(reaches(Scope::Region, &city_admin, &office));
        assert!(!reaches(Scope::Region, &city_admin, &other_city));
        assert!(reaches(Scope::All, &city_admin, &other_city));
        assert!(reaches(Scope::Unit, &office, &office));
        assert!(!reaches(Scope::Unit, &city_admin, &office));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn whoever_works_a_modules_records_opens_the_module() {
        for role in Role::ALL {
            if scope(role, Resource::MarriageRecord, Action::Write).is_some() {
                assert!(AppModule::Marriage.opened_by(role), "{role}");
            }
            if scope(role, Resource::FuneralNumbers, Action::Write).is_some() {
                assert!(AppModule::Funeral.opened_by(role), "{role}");
            }
            let figures = Resource::FIGURES
                .iter()
                .any(|r| scope(role, *r, Action::Read).is_some());
            assert_eq!(AppModule::Figures.opened_by(role), figures, "{role}");
        }
        assert_eq!(
            AppModule::for_roles(&[Role::Registrar]),
            [
                AppModule::Marriage,
                AppModule::Print,
                AppModule::Library,
                AppModule::Figures
            ]
        );
        assert_eq!(
            AppModule::for_roles(&[Role::Leader]),
            [
                AppModule::Office,
                AppModule::Schedule,
                AppModule::Library,
                AppModule::Figures
            ]
        );
        assert_eq!(AppModule::for_roles(&[Role::Admin]), AppModule::ALL);
        assert!(AppModule::for_roles(&[]).is_empty());
    }
}
