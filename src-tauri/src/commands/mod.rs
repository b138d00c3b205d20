//! The commands the window may call, by module. Each takes its input, calls
//! one function of `mz_app::desktop::Desktop`, and returns its result; errors
//! cross as `{code, message}` and the UI branches on the code.

pub mod calendar;
pub mod session;
pub mod sync;

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CommandError {
    code: &'static str,
    message: String,
}

impl From<mz_app::AppError> for CommandError {
    fn from(error: mz_app::AppError) -> Self {
        CommandError {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
