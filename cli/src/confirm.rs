//! Safety checks before anything is sent: the --max-users cap and the confirmation.

use std::io::{BufRead, IsTerminal, Write};

use crate::exit::{usage, CliError};

/// Refuses a job larger than `--max-users`.
pub fn check_max_users(to_send: usize, max_users: usize) -> Result<(), CliError> {
    if to_send > max_users {
        return Err(usage(format!(
            "refusing to resign {to_send} users: more than --max-users {max_users}; \
             pass --max-users {to_send} (or more) if this is intended"
        )));
    }
    Ok(())
}

/// The question asked before resigning.
pub fn prompt_text(to_send: usize, id_type: &str, host: &str) -> String {
    format!(
        "About to resign {to_send} user(s) (by {id_type}) at {host}.\n\
         Resignation cannot be undone: their authorizations and department, role, group and \
         post relations are deleted and the accounts are disabled.\n\
         Type \"yes\" to continue: "
    )
}

/// Whether the answer read from `input` is an explicit yes.
pub fn read_yes(input: &mut impl BufRead) -> bool {
    let mut line = String::new();
    input.read_line(&mut line).is_ok()
        && matches!(line.trim().to_ascii_lowercase().as_str(), "yes" | "y")
}

/// Asks on the terminal unless `--yes`. Without a terminal (or when stdin carries the
/// ids) and without `--yes`, refuses: a script must say so explicitly.
pub fn confirm(
    yes: bool,
    ids_from_stdin: bool,
    to_send: usize,
    id_type: &str,
    host: &str,
) -> Result<(), CliError> {
    if yes || to_send == 0 {
        return Ok(());
    }
    let interactive =
        !ids_from_stdin && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !interactive {
        return Err(usage(format!(
            "refusing to resign {to_send} user(s) without confirmation: no terminal to ask on; \
             pass --yes to confirm (resignation cannot be undone)"
        )));
    }
    crate::err!("{}", prompt_text(to_send, id_type, host));
    let _ = std::io::stderr().flush();
    if read_yes(&mut std::io::stdin().lock()) {
        Ok(())
    } else {
        Err(usage("not confirmed; nothing was sent"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_explicit_yes_confirms() {
        for (answer, ok) in [
            ("yes\n", true),
            ("Y\n", true),
            (" YES \n", true),
            ("\n", false),
            ("no\n", false),
            ("", false),
            ("yess\n", false),
        ] {
            assert_eq!(read_yes(&mut answer.as_bytes()), ok, "{answer:?}");
        }
    }

    #[test]
    fn prompt_says_it_cannot_be_undone() {
        let p = prompt_text(3, "email", "https://api.authing.cn");
        assert!(
            p.contains("resign 3 user(s)") && p.contains("cannot be undone"),
            "{p}"
        );
    }

    #[test]
    fn max_users_is_inclusive() {
        assert!(check_max_users(1000, 1000).is_ok());
        let e = check_max_users(1001, 1000).unwrap_err();
        assert!(e.0.contains("--max-users 1001"), "{e}");
    }
}
