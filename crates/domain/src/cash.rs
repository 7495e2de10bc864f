//! Cash sessions: a register's drawer from the float it opens with to the count that closes it.
//!
//! The expected cash of a session is never kept while it is open: it is the opening float plus
//! the cash lines the ledger posted for the session (sales, change given, refunds, paid in and
//! out), so it cannot drift from the books. Closing fixes it in the Z report, with the counted
//! cash and the difference, which the close posts to cash over/short.

use crate::ids::{AccountId, CashMovementId, CashReasonId, CashSessionId, RegisterId, UserId};
use crate::ledger::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Source, SourceKind};
use crate::money::{Money, OutOfRange};
use crate::user::Role;
use time::{Date, OffsetDateTime};

/// Where entries are posted at the counter: the register (which keys the day sums) and, when
/// one is open, its cash session (which tags the entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Till {
    pub register: RegisterId,
    pub session: Option<CashSessionId>,
    /// The store the register stands in: every line posted at the till belongs to it.
    pub location: crate::ids::LocationId,
}

/// How many of one note or coin are in the drawer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DenominationCount {
    /// The face value of one note or coin.
    pub denomination: Money,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("a denomination must be greater than zero")]
    NonPositiveDenomination,
    #[error("{0} is listed twice; give its count once")]
    Repeated(Money),
    #[error("the total {OutOfRange}")]
    OutOfRange,
}

/// Cash as counted: an amount, or a count by denomination, which is summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    Amount(Money),
    Denominations(Vec<DenominationCount>),
}

impl Counted {
    /// The amount counted.
    pub fn total(&self) -> Result<Money, CountError> {
        match self {
            Counted::Amount(amount) => Ok(*amount),
            Counted::Denominations(counts) => {
                let mut seen: Vec<Money> = Vec::with_capacity(counts.len());
                let mut total = Money::ZERO;
                for c in counts {
                    if c.denomination <= Money::ZERO {
                        return Err(CountError::NonPositiveDenomination);
                    }
                    if seen.contains(&c.denomination) {
                        return Err(CountError::Repeated(c.denomination));
                    }
                    seen.push(c.denomination);
                    let cents = i128::from(c.denomination.minor_units()) * i128::from(c.count);
                    let value = Money::checked_from_minor_units(cents)
                        .map_err(|_| CountError::OutOfRange)?;
                    total = total
                        .checked_add(value)
                        .map_err(|_| CountError::OutOfRange)?;
                }
                Ok(total)
            }
        }
    }

    /// The count by denomination, if it was given that way.
    pub fn denominations(&self) -> Option<&[DenominationCount]> {
        match self {
            Counted::Amount(_) => None,
            Counted::Denominations(counts) => Some(counts),
        }
    }
}

/// How a session was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub register_id: RegisterId,
    pub user_id: UserId,
    /// The float in the drawer at the start.
    pub float: Money,
    /// The float's count by denomination, when it was counted that way.
    pub float_count: Option<Vec<DenominationCount>>,
    /// Hide the expected cash from staff until the count is in.
    pub blind: bool,
    /// Opened by the first document at the default register, with no float.
    pub automatic: bool,
    pub at: OffsetDateTime,
}

/// What a non-cash method's terminal or wallet reported at the close, against the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodClose {
    pub method_code: String,
    pub account_id: AccountId,
    /// What the session posted to the method's account.
    pub expected: Money,
    /// What the terminal or wallet says it took.
    pub reported: Money,
}

impl MethodClose {
    /// Reported less expected: positive when the terminal took more than the books say.
    pub fn difference(&self) -> Result<Money, OutOfRange> {
        self.reported.wide_sub(self.expected)
    }
}

/// The fixed figures of a closed session: its Z report's counts and differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    /// Gapless per register: the register's n-th close.
    pub z_number: i64,
    pub user_id: UserId,
    pub at: OffsetDateTime,
    /// The opening float plus the session's cash lines in the ledger, at the close.
    pub expected: Money,
    pub counted: Money,
    pub counted_denominations: Option<Vec<DenominationCount>>,
    pub methods: Vec<MethodClose>,
}

impl Closing {
    /// Counted less expected: positive over, negative short.
    pub fn difference(&self) -> Result<Money, OutOfRange> {
        self.counted.wide_sub(self.expected)
    }
}

/// A register's session: open until a count closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashSession {
    pub id: CashSessionId,
    pub opening: Opening,
    pub closing: Option<Closing>,
}

impl CashSession {
    pub fn is_open(&self) -> bool {
        self.closing.is_none()
    }
}

/// The expected cash in the drawer: the float plus what the session's cash lines net to.
pub fn expected_cash(float: Money, cash_lines: Money) -> Result<Money, OutOfRange> {
    float.wide_add(cash_lines)
}

/// Which way cash moves through the drawer outside a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Paid in: change from the safe, a float top-up.
    In,
    /// Paid out: petty cash, a bank deposit, an owner's drawing.
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            _ => None,
        }
    }
}

/// Why cash is paid in or out: data a shop extends, each mapped to the account it posts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashReason {
    pub id: CashReasonId,
    pub code: String,
    pub name: String,
    pub direction: Direction,
    pub account_id: AccountId,
    pub active: bool,
}

/// The reasons a new shop has: (code, name, direction, account code).
pub const REASONS: &[(&str, &str, Direction, &str)] = &[
    (
        "petty_cash",
        "Petty cash",
        Direction::Out,
        crate::ledger::chart::codes::OTHER_EXPENSES,
    ),
    (
        "bank_deposit",
        "Bank deposit",
        Direction::Out,
        crate::ledger::chart::codes::BANK,
    ),
    (
        "change_from_safe",
        "Change from the safe",
        Direction::In,
        crate::ledger::chart::codes::CASH_IN_SAFE,
    ),
    (
        "to_safe",
        "Cash to the safe",
        Direction::Out,
        crate::ledger::chart::codes::CASH_IN_SAFE,
    ),
    (
        "owner_drawing",
        "Owner's drawing",
        Direction::Out,
        crate::ledger::chart::codes::OWNERS_DRAWINGS,
    ),
];

/// Whether `role` may move `amount` out of the drawer: staff up to `staff_limit`, above it a
/// manager. Paying in needs no more than the route's role.
pub fn may_pay_out(role: Role, amount: Money, staff_limit: Money) -> bool {
    role.at_least(Role::Manager) || amount <= staff_limit
}

/// Whether `role` may close with this difference: any role within `tolerance` either way,
/// beyond it a manager.
pub fn may_close(role: Role, difference: Money, tolerance: Money) -> bool {
    let size = if difference.is_negative() {
        difference.negated()
    } else {
        difference
    };
    role.at_least(Role::Manager) || size <= tolerance
}

/// The accounts a session's postings use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawerAccounts {
    pub cash: AccountId,
    pub over_short: AccountId,
    /// Where a terminal's or wallet's difference waits until someone explains it.
    pub suspense: AccountId,
}

/// Cash paid in or out of a session's drawer, as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCashMovement {
    pub session_id: CashSessionId,
    pub register_id: RegisterId,
    pub reason_id: CashReasonId,
    pub direction: Direction,
    pub amount: Money,
    pub note: Option<String>,
    pub user_id: UserId,
    pub date: Date,
    pub at: OffsetDateTime,
}

/// A recorded movement. Its entry is the `cash_movement` entry with its id as source id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashMovement {
    pub id: CashMovementId,
    pub movement: NewCashMovement,
}

/// The entry of a cash movement: paid in debits cash, paid out credits it, against the reason's
/// account.
pub fn movement_entry(
    movement: &NewCashMovement,
    id: CashMovementId,
    cash: AccountId,
    reason: &CashReason,
) -> Result<BalancedEntry, LedgerError> {
    let (debit, credit) = match movement.direction {
        Direction::In => (cash, reason.account_id),
        Direction::Out => (reason.account_id, cash),
    };
    let memo = match &movement.note {
        Some(note) => format!("{}: {note}", reason.name),
        None => reason.name.clone(),
    };
    BalancedEntry::new(EntryDraft {
        date: movement.date,
        memo,
        source: Source {
            kind: SourceKind::CashMovement,
            id: Some(id.get()),
        },
        user_id: movement.user_id,
        lines: vec![
            LineDraft::debit(debit, movement.amount),
            LineDraft::credit(credit, movement.amount),
        ],
    })
}

/// The entry a close posts, if anything differs: cash over or short against cash, and each
/// method's difference against suspense. `None` when everything agrees.
pub fn close_entry(
    closing: &Closing,
    accounts: DrawerAccounts,
    session: CashSessionId,
    register_code: &str,
    date: Date,
) -> Result<Option<BalancedEntry>, LedgerError> {
    let mut lines = Vec::new();
    // Each difference is a pair of lines: the account it is found in, and where it goes.
    let mut pair = |found: AccountId, against: AccountId, difference: Money| {
        if difference.is_zero() {
            return;
        }
        let amount = if difference.is_negative() {
            difference.negated()
        } else {
            difference
        };
        if difference.is_negative() {
            lines.push(LineDraft::debit(against, amount));
            lines.push(LineDraft::credit(found, amount));
        } else {
            lines.push(LineDraft::debit(found, amount));
            lines.push(LineDraft::credit(against, amount));
        }
    };
    let cash = closing.difference().map_err(|_| LedgerError::OutOfRange)?;
    pair(accounts.cash, accounts.over_short, cash);
    for method in &closing.methods {
        let difference = method.difference().map_err(|_| LedgerError::OutOfRange)?;
        pair(method.account_id, accounts.suspense, difference);
    }
    if lines.is_empty() {
        return Ok(None);
    }
    BalancedEntry::new(EntryDraft {
        date,
        memo: format!(
            "{register_code} Z{}: counted against expected",
            closing.z_number
        ),
        source: Source {
            kind: SourceKind::SessionClose,
            id: Some(session.get()),
        },
        user_id: closing.user_id,
        lines,
    })
    .map(Some)
}

/// The differences of some closed sessions, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OverShortSum {
    pub sessions: u64,
    /// What was counted beyond the expected, summed over the sessions that were over.
    pub over: Money,
    /// What was missing, summed over the sessions that were short (positive).
    pub short: Money,
}

impl OverShortSum {
    /// Over less short: negative when the drawers were short on the whole.
    pub fn net(&self) -> Result<Money, OutOfRange> {
        self.over.wide_sub(self.short)
    }

    fn add(&mut self, difference: Money) -> Result<(), OutOfRange> {
        self.sessions += 1;
        if difference.is_negative() {
            self.short = self.short.wide_add(difference.negated())?;
        } else {
            self.over = self.over.wide_add(difference)?;
        }
        Ok(())
    }
}

/// Over and short over some closed sessions, in all, per register and per cashier (the user
/// who opened the session and answers for its drawer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverShort {
    pub total: OverShortSum,
    pub by_register: Vec<(RegisterId, OverShortSum)>,
    pub by_cashier: Vec<(UserId, OverShortSum)>,
}

/// Sums the differences of the closed sessions among `sessions`.
pub fn over_short<'a>(
    sessions: impl IntoIterator<Item = &'a CashSession>,
) -> Result<OverShort, OutOfRange> {
    let mut summed = OverShort::default();
    for session in sessions {
        let Some(closing) = &session.closing else {
            continue;
        };
        let difference = closing.difference()?;
        summed.total.add(difference)?;
        let register = session.opening.register_id;
        match summed.by_register.iter_mut().find(|(r, _)| *r == register) {
            Some((_, sum)) => sum.add(difference)?,
            None => {
                let mut sum = OverShortSum::default();
                sum.add(difference)?;
                summed.by_register.push((register, sum));
            }
        }
        let cashier = session.opening.user_id;
        match summed.by_cashier.iter_mut().find(|(c, _)| *c == cashier) {
            Some((_, sum)) => sum.add(difference)?,
            None => {
                let mut sum = OverShortSum::default();
                sum.add(difference)?;
                summed.by_cashier.push((cashier, sum));
            }
        }
    }
    summed.by_register.sort_by_key(|(r, _)| *r);
    summed.by_cashier.sort_by_key(|(c, _)| *c);
    Ok(summed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Side;
    use rust_decimal::Decimal;
    use std::str::FromStr;
    use time::macros::{date, datetime};

    fn m(s: &str) -> Money {
        Money::new(Decimal::from_str(s).unwrap_or_default()).unwrap_or(Money::ZERO)
    }

    #[test]
    fn a_count_by_denomination_sums_exactly_and_refuses_nonsense() {
        let counted = Counted::Denominations(vec![
            DenominationCount {
                denomination: m("100.00"),
                count: 3,
            },
            DenominationCount {
                denomination: m("0.25"),
                count: 7,
            },
        ]);
        assert_eq!(counted.total(), Ok(m("301.75")));
        let twice = Counted::Denominations(vec![
            DenominationCount {
                denomination: m("5.00"),
                count: 1,
            },
            DenominationCount {
                denomination: m("5.00"),
                count: 2,
            },
        ]);
        assert_eq!(twice.total(), Err(CountError::Repeated(m("5.00"))));
        let zero = Counted::Denominations(vec![DenominationCount {
            denomination: Money::ZERO,
            count: 2,
        }]);
        assert_eq!(zero.total(), Err(CountError::NonPositiveDenomination));
        let huge = Counted::Denominations(vec![DenominationCount {
            denomination: m("99999999999.99"),
            count: u32::MAX,
        }]);
        assert_eq!(huge.total(), Err(CountError::OutOfRange));
    }

    #[test]
    fn paying_out_beyond_the_staff_limit_and_closing_beyond_the_tolerance_need_a_manager() {
        let limit = m("20.00");
        assert!(may_pay_out(Role::Staff, m("20.00"), limit));
        assert!(!may_pay_out(Role::Staff, m("20.01"), limit));
        assert!(may_pay_out(Role::Manager, m("500.00"), limit));
        let tolerance = m("1.00");
        assert!(may_close(Role::Staff, m("-1.00"), tolerance));
        assert!(may_close(Role::Staff, m("1.00"), tolerance));
        assert!(!may_close(Role::Staff, m("-2.00"), tolerance));
        assert!(may_close(Role::Manager, m("-2.00"), tolerance));
    }

    fn closing(expected: &str, counted: &str, methods: Vec<MethodClose>) -> Closing {
        Closing {
            z_number: 3,
            user_id: UserId::new(1),
            at: datetime!(2026-11-28 18:00 UTC),
            expected: m(expected),
            counted: m(counted),
            counted_denominations: None,
            methods,
        }
    }

    const ACCOUNTS: DrawerAccounts = DrawerAccounts {
        cash: AccountId::new(1),
        over_short: AccountId::new(2),
        suspense: AccountId::new(3),
    };

    fn lines(entry: &BalancedEntry) -> Vec<(i64, Side, Money)> {
        entry
            .draft()
            .lines
            .iter()
            .map(|l| (l.account_id.get(), l.side, l.amount))
            .collect()
    }

    #[test]
    fn a_short_drawer_posts_its_shortfall_to_over_short() {
        let short = closing("152.00", "150.00", vec![]);
        assert_eq!(short.difference(), Ok(m("-2.00")));
        let entry = close_entry(
            &short,
            ACCOUNTS,
            CashSessionId::new(9),
            "INV",
            date!(2026 - 11 - 28),
        )
        .unwrap_or_default()
        .unwrap_or_else(|| unreachable!("a difference posts"));
        assert_eq!(
            lines(&entry),
            [(2, Side::Debit, m("2.00")), (1, Side::Credit, m("2.00"))]
        );
        assert_eq!(entry.draft().source.kind, SourceKind::SessionClose);
        assert_eq!(entry.draft().memo, "INV Z3: counted against expected");
    }

    #[test]
    fn an_over_drawer_and_terminal_differences_post_the_other_way() {
        let card = MethodClose {
            method_code: "card".into(),
            account_id: AccountId::new(4),
            expected: m("80.00"),
            reported: m("79.50"),
        };
        let over = closing("100.00", "100.30", vec![card]);
        let entry = close_entry(
            &over,
            ACCOUNTS,
            CashSessionId::new(9),
            "INV",
            date!(2026 - 11 - 28),
        )
        .unwrap_or_default()
        .unwrap_or_else(|| unreachable!("differences post"));
        assert_eq!(
            lines(&entry),
            [
                (1, Side::Debit, m("0.30")),
                (2, Side::Credit, m("0.30")),
                (3, Side::Debit, m("0.50")),
                (4, Side::Credit, m("0.50")),
            ]
        );
        let even = closing("100.00", "100.00", vec![]);
        assert_eq!(
            close_entry(
                &even,
                ACCOUNTS,
                CashSessionId::new(9),
                "INV",
                date!(2026 - 11 - 28)
            ),
            Ok(None)
        );
    }

    #[test]
    fn over_and_short_are_summed_apart_per_register_and_cashier() {
        let session = |id: i64, register: i64, user: i64, difference: Option<&str>| CashSession {
            id: CashSessionId::new(id),
            opening: Opening {
                register_id: RegisterId::new(register),
                user_id: UserId::new(user),
                float: m("100.00"),
                float_count: None,
                blind: false,
                automatic: false,
                at: datetime!(2026-11-28 08:00 UTC),
            },
            closing: difference.map(|d| {
                let mut c = closing("100.00", "100.00", vec![]);
                c.counted = m("100.00").wide_add(m(d)).unwrap_or(Money::ZERO);
                c
            }),
        };
        let sessions = [
            session(1, 1, 7, Some("-2.00")),
            session(2, 1, 8, Some("0.50")),
            session(3, 2, 7, Some("-1.00")),
            session(4, 2, 7, None),
        ];
        let summed = over_short(&sessions).unwrap_or_default();
        assert_eq!(
            (summed.total.sessions, summed.total.over, summed.total.short),
            (3, m("0.50"), m("3.00"))
        );
        assert_eq!(summed.total.net(), Ok(m("-2.50")));
        assert_eq!(summed.by_register[0].1.net(), Ok(m("-1.50")));
        assert_eq!(
            (summed.by_cashier[0].0, summed.by_cashier[0].1.short),
            (UserId::new(7), m("3.00"))
        );
    }

    #[test]
    fn movements_credit_cash_going_out_and_debit_it_coming_in() {
        let petty = CashReason {
            id: CashReasonId::new(1),
            code: "petty_cash".into(),
            name: "Petty cash".into(),
            direction: Direction::Out,
            account_id: AccountId::new(7),
            active: true,
        };
        let mut movement = NewCashMovement {
            session_id: CashSessionId::new(1),
            register_id: RegisterId::new(1),
            reason_id: petty.id,
            direction: Direction::Out,
            amount: m("12.00"),
            note: Some("milk".into()),
            user_id: UserId::new(1),
            date: date!(2026 - 11 - 28),
            at: datetime!(2026-11-28 12:00 UTC),
        };
        let out = movement_entry(&movement, CashMovementId::new(5), AccountId::new(1), &petty)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(
            lines(&out),
            [(7, Side::Debit, m("12.00")), (1, Side::Credit, m("12.00"))]
        );
        assert_eq!(out.draft().memo, "Petty cash: milk");
        movement.direction = Direction::In;
        let back = movement_entry(&movement, CashMovementId::new(6), AccountId::new(1), &petty)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(
            lines(&back),
            [(1, Side::Debit, m("12.00")), (7, Side::Credit, m("12.00"))]
        );
        assert_eq!(expected_cash(m("100.00"), m("-12.00")), Ok(m("88.00")));
    }
}
