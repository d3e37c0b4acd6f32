//! Typed support records of a case: children's guardians, representatives, interviews,
//! best-interests determinations and durable solutions; compensation claims; return plans.
