//! Associated-data encoding: a fixed, length-prefixed binary form (PASETO's PAE).
//!
//! `le64(count) ‖ for each piece: le64(len) ‖ bytes`. Unambiguous for any input, so two different
//! contexts can never encode to the same bytes. The output is frozen by a golden test.

/// Encodes `pieces` with pre-authentication encoding.
pub fn pae(pieces: &[&[u8]]) -> Vec<u8> {
    let total: usize = 8 + pieces.iter().map(|p| 8 + p.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(pieces.len() as u64).to_le_bytes());
    for piece in pieces {
        out.extend_from_slice(&(piece.len() as u64).to_le_bytes());
        out.extend_from_slice(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pae;

    #[test]
    fn empty_and_split_inputs_differ() {
        assert_ne!(pae(&[b"ab", b"c"]), pae(&[b"a", b"bc"]));
        assert_ne!(pae(&[]), pae(&[b""]));
        assert_eq!(pae(&[]), 0u64.to_le_bytes().to_vec());
    }
}
