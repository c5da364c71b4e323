//! Authing emulator (issue 2).
