//! New sites (`portail init`) and new pages (`portail new`).

pub mod init;
pub mod new_page;
