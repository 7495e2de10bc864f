//! Phones, emails and addresses as stored for customers and suppliers: plain text columns,
//! checked again by the domain when read back (a bad stored value is reported as corrupt).

use crate::errors::corrupt;
use pos_domain::StoreError;
use pos_domain::contact::Phone;
use pos_domain::text::Email;

/// A stored phone number; `what` names the column in the error ("customer phone").
pub(crate) fn phone(stored: Option<String>, what: &str) -> Result<Option<Phone>, StoreError> {
    stored
        .as_deref()
        .map(Phone::new)
        .transpose()
        .map_err(|e| corrupt(what, e))
}

pub(crate) fn email(stored: Option<String>, what: &str) -> Result<Option<Email>, StoreError> {
    stored
        .as_deref()
        .map(Email::new)
        .transpose()
        .map_err(|e| corrupt(what, e))
}

pub(crate) fn phone_text(phone: &Option<Phone>) -> Option<String> {
    phone.as_ref().map(|p| p.as_str().to_owned())
}

pub(crate) fn email_text(email: &Option<Email>) -> Option<String> {
    email.as_ref().map(|e| e.as_str().to_owned())
}
