//! National ID numbers at rest: a keyed hash (HMAC-SHA-256), so that the history can match
//! a person across months without keeping the number (Nghị định 13/2023/NĐ-CP). The key is
//! the history folder's own (made once, readable by its owner only); without it the hashes
//! say nothing, and no two folders' hashes of one number agree.

use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::record::NationalId;

/// Bytes of a key.
pub const KEY_BYTES: usize = 32;

/// Hashes national IDs with one key.
#[derive(Clone)]
pub struct IdHasher {
    key: [u8; KEY_BYTES],
}

impl std::fmt::Debug for IdHasher {
    // The key is a secret: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdHasher(…)")
    }
}

impl IdHasher {
    /// A hasher with `key`.
    pub fn new(key: [u8; KEY_BYTES]) -> Self {
        Self { key }
    }

    /// The hash of `id`, as 64 lower-case hexadecimal digits: the same for the same number
    /// and key, and different from every ID (which has 9 or 12 digits).
    pub fn hash(&self, id: &NationalId) -> NationalId {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(id.0.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut hex = String::with_capacity(2 * digest.len());
        for byte in digest {
            hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
            hex.push(char::from_digit(u32::from(byte & 0xF), 16).unwrap_or('0'));
        }
        NationalId(hex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_hmac_sha256_of_the_number_under_the_key() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?" (the key
        // padded with zeros to 32 bytes is the same HMAC key).
        let mut key = [0; KEY_BYTES];
        key[..4].copy_from_slice(b"Jefe");
        let hash = IdHasher::new(key).hash(&NationalId("what do ya want for nothing?".into()));
        assert_eq!(hash.0, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn one_number_hashes_alike_under_one_key_and_apart_under_two() {
        let id = NationalId("020071846906".into());
        let (a, b) = (IdHasher::new([1; KEY_BYTES]), IdHasher::new([2; KEY_BYTES]));
        assert_eq!(a.hash(&id), a.hash(&id));
        assert_ne!(a.hash(&id), b.hash(&id));
        assert_ne!(a.hash(&id), a.hash(&NationalId("020071846907".into())));
        assert!(!a.hash(&id).0.contains(&id.0));
        assert_eq!(a.hash(&id).0.len(), 64);
        assert_eq!(format!("{a:?}"), "IdHasher(…)");
    }
}
