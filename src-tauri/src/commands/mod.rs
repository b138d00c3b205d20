//! The commands the window may call, by module. Each takes its input, calls
//! one function of `mz_app::desktop::Desktop`, and returns its result; errors
//! cross as `{code, message}` and the UI branches on the code.

pub mod appointments;
pub mod calendar;
pub mod divorce;
pub mod documents;
pub mod marriage;
pub mod people;
pub mod printing;
pub mod session;
pub mod sync;

pub type CommandResult<T> = Result<T, mz_app::CommandError>;
