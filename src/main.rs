use std::process::ExitCode;

fn main() -> ExitCode {
    portail::cli::run()
}
