//! Printing through the OS (placeholder until step 6).
