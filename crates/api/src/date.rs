//! Calendar dates as `YYYY-MM-DD` strings (time's default serde form is a tuple).

time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");
