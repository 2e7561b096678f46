//! The guides in `docs/`, readable here: each module holds one of them.

#[doc = include_str!("../docs/nmbrs.md")]
pub mod nmbrs {}

#[doc = include_str!("../docs/datazoo.md")]
pub mod datazoo {}

#[doc = include_str!("../docs/datazoo-redis.md")]
pub mod datazoo_redis {}

#[doc = include_str!("../docs/contracts.md")]
pub mod contracts {}

#[doc = include_str!("../docs/soapgen.md")]
pub mod soapgen {}

#[doc = include_str!("../docs/design.md")]
pub mod design {}
