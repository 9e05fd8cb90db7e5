//! Who is asking, by network address, for throttling: the peer, or, when the peer is a reverse
//! proxy the operator named with `--trusted-proxy`, the client that proxy saw (the rightmost
//! `X-Forwarded-For` entry that is not itself a trusted proxy). IPv6 clients count by their
//! /64, since one person's device can use any address in it.

use std::net::{IpAddr, Ipv6Addr};

use axum::http::HeaderMap;

/// An address range such as `10.0.0.0/8`, `127.0.0.1` or `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl Cidr {
    /// Parses `ADDR` or `ADDR/BITS`; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (addr, bits) = match text.split_once('/') {
            Some((a, b)) => (a, Some(b.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let net: IpAddr = addr.parse().ok()?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        (bits <= max).then_some(Self { net, bits })
    }

    /// Whether `ip` is in this range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.bits)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.bits))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// IPv4-mapped IPv6 addresses as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The address text used for throttling: IPv4 as is, IPv6 as its /64.
fn key_of(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let net = u128::from(v6) & (u128::MAX << 64);
            format!("{}/64", Ipv6Addr::from(net))
        }
    }
}

/// Which header a trusted proxy names the client in. Only that one is read: a proxy passes
/// the other through untouched, so reading it would believe whatever the client wrote there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProxyHeader {
    /// `X-Forwarded-For` (nginx's `$proxy_add_x_forwarded_for`, most proxies).
    #[default]
    XForwardedFor,
    /// The standard `Forwarded: for=…` (RFC 7239).
    Forwarded,
}

/// The client's address for throttling, from the peer and (only behind a trusted proxy) the
/// proxy's header: the rightmost hop that is not a trusted proxy.
pub fn client_address(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[Cidr],
    header: ProxyHeader,
) -> String {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return key_of(peer);
    }
    let name = match header {
        ProxyHeader::XForwardedFor => "x-forwarded-for",
        ProxyHeader::Forwarded => "forwarded",
    };
    // Split the raw bytes: a part that is not readable text ends the chain where it stands
    // (it never hides the hops the proxy appended after it).
    let hops: Vec<Option<IpAddr>> = headers
        .get_all(name)
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b','))
        .map(|part| {
            let text = std::str::from_utf8(part).ok()?.trim();
            match header {
                ProxyHeader::XForwardedFor => text.parse().ok(),
                ProxyHeader::Forwarded => forwarded_for(text),
            }
        })
        .collect();
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if is_trusted(*ip) => {}
            Some(ip) => return key_of(*ip),
            // Anything unreadable ends the trusted chain: count it as the proxy itself.
            None => break,
        }
    }
    key_of(peer)
}

/// The address in one element of a `Forwarded` header (RFC 7239): `for=192.0.2.60`,
/// `for="192.0.2.60:8080"`, `for="[2001:db8::1]:4711"`; `None` for anything else (`unknown`,
/// a hidden name, no `for`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    let value = element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"'))
    })?;
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    value
        .parse()
        .ok()
        .or_else(|| value.rsplit_once(':')?.0.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const XFF: ProxyHeader = ProxyHeader::XForwardedFor;
    const STD: ProxyHeader = ProxyHeader::Forwarded;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(v).expect("header"));
        h
    }

    #[test]
    fn ranges_parse_and_contain() {
        let ten = Cidr::parse("10.0.0.0/8").expect("cidr");
        assert!(ten.contains("10.1.2.3".parse().expect("ip")));
        assert!(!ten.contains("11.1.2.3".parse().expect("ip")));
        assert!(ten.contains("::ffff:10.0.0.1".parse().expect("ip")));
        let one = Cidr::parse("127.0.0.1").expect("cidr");
        assert!(one.contains("127.0.0.1".parse().expect("ip")));
        assert!(!one.contains("127.0.0.2".parse().expect("ip")));
        assert!(Cidr::parse("fd00::/8")
            .expect("cidr")
            .contains("fd12::1".parse().expect("ip")));
        assert!(Cidr::parse("0.0.0.0/0")
            .expect("cidr")
            .contains("8.8.8.8".parse().expect("ip")));
        for bad in ["", "10.0.0.0/33", "nonsense", "10.0.0/8"] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_standard_forwarded_header_is_read_when_chosen_and_only_then() {
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        let trusted = [Cidr::parse("10.0.0.0/24").expect("cidr")];
        let fwd = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("forwarded", HeaderValue::from_str(v).expect("header"));
            h
        };
        let h =
            fwd("for=203.0.113.9;proto=https, for=\"198.51.100.7:4711\";by=10.0.0.4, for=10.0.0.4");
        assert_eq!(client_address(proxy, &h, &trusted, STD), "198.51.100.7");
        let h = fwd("For=\"[2001:db8:cafe::17]:4711\"");
        assert_eq!(
            client_address(proxy, &h, &trusted, STD),
            "2001:db8:cafe::/64"
        );
        // Unknown or hidden: the proxy itself; and never from an untrusted peer.
        for hidden in ["for=unknown", "for=_hidden"] {
            assert_eq!(
                client_address(proxy, &fwd(hidden), &trusted, STD),
                "10.0.0.5"
            );
        }
        let other: IpAddr = "192.0.2.1".parse().expect("ip");
        assert_eq!(
            client_address(other, &fwd("for=203.0.113.9"), &trusted, STD),
            "192.0.2.1"
        );
        // Only the chosen header is read: a proxy passes the other through as the client
        // wrote it.
        let mut both = fwd("for=203.0.113.9");
        both.insert("x-forwarded-for", HeaderValue::from_static("198.51.100.8"));
        assert_eq!(client_address(proxy, &both, &trusted, XFF), "198.51.100.8");
        assert_eq!(client_address(proxy, &both, &trusted, STD), "203.0.113.9");
        assert_eq!(
            client_address(proxy, &fwd("for=203.0.113.9"), &trusted, XFF),
            "10.0.0.5"
        );
    }

    #[test]
    fn bytes_that_are_not_text_never_hide_the_hop_the_proxy_added() {
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        let trusted = [Cidr::parse("10.0.0.0/24").expect("cidr")];
        // As nginx sends it: what the client wrote, then the address it really came from.
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"\xff\xfe, 198.51.100.9").expect("header"),
        );
        assert_eq!(client_address(proxy, &h, &trusted, XFF), "198.51.100.9");
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_bytes(b"198.51.100.9, \xff").expect("header"),
        );
        assert_eq!(
            client_address(proxy, &h, &trusted, XFF),
            "10.0.0.5",
            "junk last: the proxy"
        );
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        let trusted = [Cidr::parse("10.0.0.0/24").expect("cidr")];
        // From the proxy: the rightmost address that is not one of ours.
        let h = xff("203.0.113.9, 198.51.100.7, 10.0.0.4");
        assert_eq!(client_address(proxy, &h, &trusted, XFF), "198.51.100.7");
        // From anyone else, the header is ignored (it could say anything).
        let other: IpAddr = "192.0.2.1".parse().expect("ip");
        assert_eq!(client_address(other, &h, &trusted, XFF), "192.0.2.1");
        // Without a header, or with junk, the proxy itself.
        assert_eq!(
            client_address(proxy, &HeaderMap::new(), &trusted, XFF),
            "10.0.0.5"
        );
        assert_eq!(
            client_address(proxy, &xff("junk"), &trusted, XFF),
            "10.0.0.5"
        );
        // No trusted proxies at all: always the peer.
        assert_eq!(client_address(proxy, &h, &[], XFF), "10.0.0.5");
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        let h = HeaderMap::new();
        assert_eq!(
            client_address(a, &h, &[], XFF),
            client_address(b, &h, &[], XFF)
        );
        assert_eq!(client_address(a, &h, &[], XFF), "2001:db8:1:2::/64");
    }
}
