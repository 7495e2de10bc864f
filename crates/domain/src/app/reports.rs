//! Reports and the dashboard, as typed models.
