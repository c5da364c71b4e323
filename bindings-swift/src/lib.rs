//! uniffi binding (issue 7).
