//! The guides in `docs/`, readable here: each module holds one of them (those of a feature's
//! API only with that feature; their examples are compiled as doctests).

#[doc = include_str!("../docs/nmbrs.md")]
#[cfg(feature = "nmbrs")]
#[cfg_attr(docsrs, doc(cfg(feature = "nmbrs")))]
pub mod nmbrs {}

#[doc = include_str!("../docs/fair-use.md")]
#[cfg(feature = "nmbrs")]
#[cfg_attr(docsrs, doc(cfg(feature = "nmbrs")))]
pub mod fair_use {}

#[doc = include_str!("../docs/datazoo.md")]
#[cfg(feature = "datazoo")]
#[cfg_attr(docsrs, doc(cfg(feature = "datazoo")))]
pub mod datazoo {}

#[doc = include_str!("../docs/datazoo-redis.md")]
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod datazoo_redis {}

#[doc = include_str!("../docs/contracts.md")]
pub mod contracts {}

#[doc = include_str!("../docs/soapgen.md")]
pub mod soapgen {}

#[doc = include_str!("../docs/design.md")]
pub mod design {}
