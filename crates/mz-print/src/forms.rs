//! Forms and certificate overlays (placeholder until step 5).
