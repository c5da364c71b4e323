//! Authentication: request signatures and management tokens.
// TODO(core): implement (issue 3).
