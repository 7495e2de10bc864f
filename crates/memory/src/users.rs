use crate::MemoryTx;
use crate::state::ordered;
use async_trait::async_trait;
use pos_domain::error::{StoreError, Unique};
use pos_domain::ids::UserId;
use pos_domain::paging::{ListQuery, Page, matches_search};
use pos_domain::ports::UserRepo;
use pos_domain::user::{
    FailureKey, LoginAttempt, NewUser, PasswordHash, Role, User, UserChanges, UserFilter, UserSort,
};
use time::OffsetDateTime;

impl MemoryTx {
    fn ensure_unique_user(&self, user: &User) -> Result<(), StoreError> {
        for (other, _) in self.staged.users.values().filter(|(u, _)| u.id != user.id) {
            if other.email == user.email {
                return Err(StoreError::Duplicate(Unique::UserEmail));
            }
            if other.username == user.username {
                return Err(StoreError::Duplicate(Unique::Username));
            }
        }
        Ok(())
    }
}

#[async_trait]
impl UserRepo for MemoryTx {
    async fn insert_user(&mut self, new: NewUser) -> Result<User, StoreError> {
        let user = User {
            id: UserId::new(self.staged.next_id()),
            username: new.username,
            email: new.email,
            name: new.name,
            role: new.role,
            active: true,
            last_login_at: None,
            created_at: new.at,
            updated_at: new.at,
        };
        self.ensure_unique_user(&user)?;
        self.staged
            .users
            .insert(user.id.get(), (user.clone(), new.password_hash));
        Ok(user)
    }

    async fn find_user(&mut self, id: UserId) -> Result<Option<User>, StoreError> {
        Ok(self.staged.users.get(&id.get()).map(|(u, _)| u.clone()))
    }

    async fn user_locations(
        &mut self,
        id: UserId,
    ) -> Result<Vec<pos_domain::ids::LocationId>, StoreError> {
        Ok(self
            .staged
            .user_locations
            .get(&id.get())
            .cloned()
            .unwrap_or_default())
    }

    async fn set_user_locations(
        &mut self,
        id: UserId,
        locations: &[pos_domain::ids::LocationId],
    ) -> Result<(), StoreError> {
        if locations.is_empty() {
            self.staged.user_locations.remove(&id.get());
        } else {
            let mut sorted = locations.to_vec();
            sorted.sort_unstable();
            self.staged.user_locations.insert(id.get(), sorted);
        }
        Ok(())
    }

    async fn find_credentials(
        &mut self,
        login: &str,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        Ok(self
            .staged
            .users
            .values()
            .find(|(u, _)| u.email.as_str() == login || u.username.as_str() == login)
            .cloned())
    }

    async fn password_hash(&mut self, id: UserId) -> Result<Option<PasswordHash>, StoreError> {
        Ok(self.staged.users.get(&id.get()).map(|(_, h)| h.clone()))
    }

    async fn list_users(
        &mut self,
        query: &ListQuery<UserFilter, UserSort>,
    ) -> Result<Page<User>, StoreError> {
        let f = &query.filter;
        let mut users: Vec<User> = self
            .staged
            .users
            .values()
            .map(|(u, _)| u)
            .filter(|u| {
                f.q.as_deref().is_none_or(|q| {
                    matches_search(q, &[u.name.as_str(), u.username.as_str(), u.email.as_str()])
                })
            })
            .filter(|u| f.role.is_none_or(|r| u.role == r))
            .filter(|u| f.active.is_none_or(|a| u.active == a))
            .cloned()
            .collect();
        users.sort_by(|a, b| {
            let key = |u: &User| match query.sort {
                UserSort::Name => (u.name.as_str().to_lowercase(), None),
                UserSort::Username => (u.username.as_str().to_owned(), None),
                UserSort::CreatedAt => (String::new(), Some(u.created_at)),
                UserSort::LastLoginAt => (String::new(), u.last_login_at),
            };
            ordered(query.order, (key(a), a.id.get()), (key(b), b.id.get()))
        });
        Ok(Page::slice(users, query.page))
    }

    async fn update_user(
        &mut self,
        id: UserId,
        changes: UserChanges,
        at: OffsetDateTime,
    ) -> Result<User, StoreError> {
        let (mut user, mut hash) = self
            .staged
            .users
            .get(&id.get())
            .cloned()
            .ok_or(StoreError::NotFound)?;
        if let Some(username) = changes.username {
            user.username = username;
        }
        if let Some(email) = changes.email {
            user.email = email;
        }
        if let Some(name) = changes.name {
            user.name = name;
        }
        if let Some(role) = changes.role {
            user.role = role;
        }
        if let Some(active) = changes.active {
            user.active = active;
        }
        if let Some(new_hash) = changes.password_hash {
            hash = new_hash;
        }
        user.updated_at = at;
        self.ensure_unique_user(&user)?;
        self.staged.users.insert(id.get(), (user.clone(), hash));
        Ok(user)
    }

    async fn count_active_admins(&mut self) -> Result<u64, StoreError> {
        let admins = self
            .staged
            .users
            .values()
            .filter(|(u, _)| u.active && u.role == Role::Admin);
        Ok(admins.count() as u64)
    }

    async fn count_users(&mut self) -> Result<u64, StoreError> {
        Ok(self.staged.users.len() as u64)
    }

    async fn record_login(&mut self, attempt: LoginAttempt) -> Result<i64, StoreError> {
        if let (true, Some(id)) = (attempt.success, attempt.user_id)
            && let Some((user, _)) = self.staged.users.get_mut(&id.get())
        {
            user.last_login_at = Some(attempt.at);
        }
        self.staged.logins.push(attempt);
        i64::try_from(self.staged.logins.len() - 1).map_err(StoreError::caused_by)
    }

    async fn mark_login_succeeded(
        &mut self,
        attempt: i64,
        user: UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let index = usize::try_from(attempt).map_err(StoreError::caused_by)?;
        let recorded = self
            .staged
            .logins
            .get_mut(index)
            .ok_or(StoreError::NotFound)?;
        recorded.success = true;
        if let Some((u, _)) = self.staged.users.get_mut(&user.get()) {
            u.last_login_at = Some(at);
        }
        Ok(())
    }

    async fn lock_user(&mut self, id: UserId) -> Result<Option<(User, PasswordHash)>, StoreError> {
        Ok(self.staged.users.get(&id.get()).cloned())
    }

    async fn recent_failures(
        &mut self,
        key: FailureKey<'_>,
        since: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OffsetDateTime>, StoreError> {
        let matches = |a: &&LoginAttempt| match key {
            FailureKey::User(user) => a.user_id == Some(user),
            FailureKey::Identifier(id) => a.user_id.is_none() && a.identifier == id,
            FailureKey::Ip(ip) => a.ip.as_deref() == Some(ip),
        };
        let since = match key {
            FailureKey::User(_) | FailureKey::Identifier(_) => self
                .staged
                .logins
                .iter()
                .filter(matches)
                .filter(|a| a.success)
                .map(|a| a.at)
                .max()
                .map_or(since, |last| last.max(since)),
            FailureKey::Ip(_) => since,
        };
        let mut failures: Vec<OffsetDateTime> = self
            .staged
            .logins
            .iter()
            .filter(matches)
            .filter(|a| !a.success && a.at > since)
            .map(|a| a.at)
            .collect();
        failures.sort_unstable_by(|a, b| b.cmp(a));
        failures.truncate(limit as usize);
        Ok(failures)
    }

    async fn recent_logins(&mut self, limit: u32) -> Result<Vec<LoginAttempt>, StoreError> {
        Ok(self
            .staged
            .logins
            .iter()
            .rev()
            .take(limit as usize)
            .cloned()
            .collect())
    }
}
