//! Staff accounts and the login audit trail ([`UserRepo`]).

use crate::entities::{login_attempts, users};
use crate::errors::{corrupt, db_err};
use crate::paging::{fetch_page, lower, search, try_map_page};
use crate::timestamps::{as_stored, from_micros, from_micros_opt, to_micros};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ids::UserId;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::UserRepo;
use pos_domain::text::{Email, Name, Username};
use pos_domain::user::{
    FailureKey, LoginAttempt, NewUser, PasswordHash, Role, User, UserChanges, UserFilter, UserSort,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoSimpleExpr, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use users::Column as U;

/// Column widths of `login_attempts`: audit data comes from the client, and an over-long user
/// agent must not make a login fail on MySQL (which refuses it) while SQLite would keep it.
const IDENTIFIER_MAX: usize = 254;
const IP_MAX: usize = 64;
const USER_AGENT_MAX: usize = 512;

fn to_user(row: users::Model) -> Result<User, StoreError> {
    Ok(User {
        id: UserId::new(row.id),
        username: Username::new(&row.username).map_err(|e| corrupt("username", e))?,
        email: Email::new(&row.email).map_err(|e| corrupt("email", e))?,
        name: Name::new(&row.name).map_err(|e| corrupt("user name", e))?,
        role: row.role.parse::<Role>().map_err(|e| corrupt("role", e))?,
        active: row.active,
        last_login_at: from_micros_opt(row.last_login_at)?,
        created_at: from_micros(row.created_at)?,
        updated_at: from_micros(row.updated_at)?,
    })
}

fn to_attempt(row: login_attempts::Model) -> Result<LoginAttempt, StoreError> {
    Ok(LoginAttempt {
        user_id: row.user_id.map(UserId::new),
        identifier: row.identifier,
        success: row.success,
        ip: row.ip,
        user_agent: row.user_agent,
        at: from_micros(row.at)?,
    })
}

/// At most `max` characters, cut on a character boundary.
fn clip(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => text[..cut].to_owned(),
        None => text,
    }
}

impl SeaTx {
    /// Stamps a successful login (`at` in stored microseconds).
    async fn set_last_login(&self, user: UserId, at: i64) -> Result<(), StoreError> {
        users::Entity::update_many()
            .col_expr(U::LastLoginAt, Expr::value(at))
            .filter(U::Id.eq(user.get()))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn find_user_row(&self, id: UserId) -> Result<Option<users::Model>, StoreError> {
        users::Entity::find_by_id(id.get())
            .one(self.conn())
            .await
            .map_err(db_err)
    }
}

/// A user row as the user and their password hash.
fn to_credentials(row: users::Model) -> Result<(User, PasswordHash), StoreError> {
    let hash = PasswordHash::from_hash(row.password_hash.clone());
    Ok((to_user(row)?, hash))
}

#[async_trait]
impl UserRepo for SeaTx {
    async fn insert_user(&mut self, user: NewUser) -> Result<User, StoreError> {
        let at = to_micros(user.at);
        let row = users::ActiveModel {
            id: NotSet,
            username: Set(user.username.as_str().to_owned()),
            email: Set(user.email.as_str().to_owned()),
            name: Set(user.name.as_str().to_owned()),
            role: Set(user.role.as_str().to_owned()),
            password_hash: Set(user.password_hash.as_str().to_owned()),
            active: Set(true),
            last_login_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        };
        let id = users::Entity::insert(row)
            .exec(self.conn())
            .await
            .map_err(db_err)?
            .last_insert_id;
        Ok(User {
            id: UserId::new(id),
            username: user.username,
            email: user.email,
            name: user.name,
            role: user.role,
            active: true,
            last_login_at: None,
            created_at: as_stored(user.at),
            updated_at: as_stored(user.at),
        })
    }

    async fn find_user(&mut self, id: UserId) -> Result<Option<User>, StoreError> {
        self.find_user_row(id).await?.map(to_user).transpose()
    }

    async fn user_locations(
        &mut self,
        id: UserId,
    ) -> Result<Vec<pos_domain::ids::LocationId>, StoreError> {
        crate::raw::rows(
            self.conn(),
            "SELECT location_id FROM user_locations WHERE user_id = ? ORDER BY location_id",
            vec![id.get().into()],
        )
        .await?
        .iter()
        .map(|row| crate::raw::get(row, "location_id").map(pos_domain::ids::LocationId::new))
        .collect()
    }

    async fn set_user_locations(
        &mut self,
        id: UserId,
        locations: &[pos_domain::ids::LocationId],
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        crate::raw::execute(
            conn,
            "DELETE FROM user_locations WHERE user_id = ?",
            vec![id.get().into()],
        )
        .await?;
        if locations.is_empty() {
            return Ok(());
        }
        let marks = vec!["(?, ?)"; locations.len()].join(", ");
        let values = locations
            .iter()
            .flat_map(|l| [id.get().into(), l.get().into()])
            .collect();
        crate::raw::execute(
            conn,
            &format!("INSERT INTO user_locations (user_id, location_id) VALUES {marks}"),
            values,
        )
        .await?;
        Ok(())
    }

    async fn find_credentials(
        &mut self,
        login: &str,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        // An email always has an '@' and a username never does, so at most one row matches;
        // the order only makes that explicit.
        let row = users::Entity::find()
            .filter(
                Condition::any()
                    .add(U::Email.eq(login))
                    .add(U::Username.eq(login)),
            )
            .order_by_asc(U::Id)
            .one(self.conn())
            .await
            .map_err(db_err)?;
        row.map(to_credentials).transpose()
    }

    async fn password_hash(&mut self, id: UserId) -> Result<Option<PasswordHash>, StoreError> {
        let hash = users::Entity::find_by_id(id.get())
            .select_only()
            .column(U::PasswordHash)
            .into_tuple::<String>()
            .one(self.conn())
            .await
            .map_err(db_err)?;
        Ok(hash.map(PasswordHash::from_hash))
    }

    async fn list_users(
        &mut self,
        query: &ListQuery<UserFilter, UserSort>,
    ) -> Result<Page<User>, StoreError> {
        let filter = &query.filter;
        let mut select = users::Entity::find();
        if let Some(q) = &filter.q {
            select = select.filter(search(q, &[U::Name, U::Username, U::Email]));
        }
        if let Some(role) = filter.role {
            select = select.filter(U::Role.eq(role.as_str()));
        }
        if let Some(active) = filter.active {
            select = select.filter(U::Active.eq(active));
        }
        let sort = match query.sort {
            UserSort::Name => lower(U::Name),
            UserSort::Username => U::Username.into_simple_expr(),
            UserSort::CreatedAt => U::CreatedAt.into_simple_expr(),
            // Never-logged-in users (NULL) sort first ascending, last descending, on both
            // backends.
            UserSort::LastLoginAt => U::LastLoginAt.into_simple_expr(),
        };
        let page = fetch_page(self.conn(), select, sort, U::Id, query.order, query.page).await?;
        try_map_page(page, to_user)
    }

    async fn update_user(
        &mut self,
        id: UserId,
        changes: UserChanges,
        at: OffsetDateTime,
    ) -> Result<User, StoreError> {
        let row = self.find_user_row(id).await?.ok_or(StoreError::NotFound)?;
        let mut row: users::ActiveModel = row.into();
        if let Some(username) = changes.username {
            row.username = Set(username.into_inner());
        }
        if let Some(email) = changes.email {
            row.email = Set(email.into_inner());
        }
        if let Some(name) = changes.name {
            row.name = Set(name.into_inner());
        }
        if let Some(role) = changes.role {
            row.role = Set(role.as_str().to_owned());
        }
        if let Some(active) = changes.active {
            row.active = Set(active);
        }
        if let Some(hash) = changes.password_hash {
            row.password_hash = Set(hash.as_str().to_owned());
        }
        row.updated_at = Set(to_micros(at));
        to_user(row.update(self.conn()).await.map_err(db_err)?)
    }

    async fn count_active_admins(&mut self) -> Result<u64, StoreError> {
        users::Entity::find()
            .filter(U::Role.eq(Role::Admin.as_str()))
            .filter(U::Active.eq(true))
            .count(self.conn())
            .await
            .map_err(db_err)
    }

    async fn count_users(&mut self) -> Result<u64, StoreError> {
        users::Entity::find()
            .count(self.conn())
            .await
            .map_err(db_err)
    }

    async fn lock_user(&mut self, id: UserId) -> Result<Option<(User, PasswordHash)>, StoreError> {
        let row = users::Entity::find_by_id(id.get())
            .lock_exclusive()
            .one(self.conn())
            .await
            .map_err(db_err)?;
        row.map(to_credentials).transpose()
    }

    async fn mark_login_succeeded(
        &mut self,
        attempt: i64,
        user: UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        use login_attempts::Column as L;
        let at = to_micros(at);
        login_attempts::Entity::update_many()
            .col_expr(L::Success, Expr::value(true))
            .col_expr(L::At, Expr::value(at))
            .filter(L::Id.eq(attempt))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        self.set_last_login(user, at).await
    }

    async fn record_login(&mut self, attempt: LoginAttempt) -> Result<i64, StoreError> {
        let at = to_micros(attempt.at);
        let row = login_attempts::ActiveModel {
            id: NotSet,
            user_id: Set(attempt.user_id.map(UserId::get)),
            identifier: Set(clip(attempt.identifier, IDENTIFIER_MAX)),
            success: Set(attempt.success),
            ip: Set(attempt.ip.map(|ip| clip(ip, IP_MAX))),
            user_agent: Set(attempt.user_agent.map(|ua| clip(ua, USER_AGENT_MAX))),
            at: Set(at),
        };
        let id = login_attempts::Entity::insert(row)
            .exec(self.conn())
            .await
            .map_err(db_err)?
            .last_insert_id;
        if attempt.success
            && let Some(user_id) = attempt.user_id
        {
            self.set_last_login(user_id, at).await?;
        }
        Ok(id)
    }

    async fn recent_failures(
        &mut self,
        key: FailureKey<'_>,
        since: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OffsetDateTime>, StoreError> {
        use login_attempts::Column as L;
        let mut since = to_micros(since);
        let select = login_attempts::Entity::find();
        let select = match key {
            FailureKey::User(_) | FailureKey::Identifier(_) => {
                let same = match key {
                    FailureKey::User(user) => L::UserId.eq(user.get()),
                    _ => L::UserId.is_null(),
                };
                let identifier = match key {
                    FailureKey::Identifier(identifier) => Some(identifier),
                    _ => None,
                };
                let of_key = |select: sea_orm::Select<login_attempts::Entity>| {
                    let select = select.filter(same.clone());
                    match identifier {
                        Some(identifier) => select.filter(L::Identifier.eq(identifier)),
                        None => select,
                    }
                };
                // Failures before the latest success are forgiven.
                let last_success: Option<i64> = of_key(login_attempts::Entity::find())
                    .select_only()
                    .column(L::At)
                    .filter(L::Success.eq(true))
                    .order_by_desc(L::At)
                    .limit(1)
                    .into_tuple()
                    .one(self.conn())
                    .await
                    .map_err(db_err)?;
                since = since.max(last_success.unwrap_or(i64::MIN));
                of_key(select)
            }
            FailureKey::Ip(ip) => select.filter(L::Ip.eq(ip)),
        };
        let instants: Vec<i64> = select
            .select_only()
            .column(L::At)
            .filter(L::Success.eq(false))
            .filter(L::At.gt(since))
            .order_by_desc(L::At)
            .limit(u64::from(limit))
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)?;
        instants.into_iter().map(from_micros).collect()
    }

    async fn recent_logins(&mut self, limit: u32) -> Result<Vec<LoginAttempt>, StoreError> {
        use login_attempts::Column as L;
        let rows = login_attempts::Entity::find()
            .order_by_desc(L::At)
            .order_by_desc(L::Id)
            .limit(u64::from(limit))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        rows.into_iter().map(to_attempt).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_text_is_clipped_on_character_boundaries() {
        assert_eq!(clip("héllo".into(), 2), "hé");
        assert_eq!(clip("hi".into(), 5), "hi");
    }
}
