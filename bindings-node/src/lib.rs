//! Node binding (issue 6).
