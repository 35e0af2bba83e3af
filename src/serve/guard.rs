//! Which requests the server answers at all. A web page the writer visits
//! can make the browser send requests here under its own name (DNS
//! rebinding): only requests for `localhost`, a name under `.localhost`
//! or an IP address (which no one can point elsewhere) are answered, and a
//! request that may change something (any method but GET, HEAD and
//! OPTIONS) is refused when a browser says it comes from another site.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::messages::{Message, MessageLang};

/// Why a request is not answered.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// HTTP/1.1 without a host, or with several.
    NoHost,
    ForeignHost(String),
    ForeignOrigin {
        method: Method,
        origin: String,
    },
}

/// The layer every route goes through.
pub(super) async fn guard(
    State(lang): State<MessageLang>,
    request: Request,
    next: Next,
) -> Response {
    match check(&request) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.into_response(lang),
    }
}

fn check<B>(request: &Request<B>) -> Result<(), Refusal> {
    let host = host(request)?;
    if let Some(host) = &host
        && !is_local(host)
    {
        return Err(Refusal::ForeignHost(host.clone()));
    }
    let method = request.method();
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    // Browsers send an Origin with every such request from another site:
    // without one, it comes from a program or from the server's own pages.
    for origin in request.headers().get_all(header::ORIGIN) {
        let origin = String::from_utf8_lossy(origin.as_bytes());
        if host
            .as_deref()
            .is_none_or(|host| !same_origin(&origin, host))
        {
            return Err(Refusal::ForeignOrigin {
                method: method.clone(),
                origin: origin.into_owned(),
            });
        }
    }
    Ok(())
}

/// The host a request is for: that of an absolute URL (`GET http://…`),
/// which wins over the `Host` header, else the header; none only from
/// HTTP/1.0, which has no such header.
fn host<B>(request: &Request<B>) -> Result<Option<String>, Refusal> {
    if let Some(authority) = request.uri().authority() {
        return Ok(Some(authority.as_str().to_string()));
    }
    let mut hosts = request.headers().get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => Ok(Some(String::from_utf8_lossy(host.as_bytes()).into_owned())),
        (None, None) if request.version() < Version::HTTP_11 => Ok(None),
        _ => Err(Refusal::NoHost),
    }
}

/// `name[:port]` or `[IPv6][:port]` split in two, if well formed.
fn split_port(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let end = rest.find(']')? + 2;
            (&host[..end], host[end..].strip_prefix(':'))
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    match port {
        None if name.len() == host.len() => Some((name, None)),
        None => None,
        // Digits only: `u16::from_str` would take `+80`.
        Some(port) if port.bytes().all(|b| b.is_ascii_digit()) => {
            Some((name, Some(port.parse().ok()?)))
        }
        Some(_) => None,
    }
}

/// What a local host names.
enum Local {
    /// `localhost` or a name under `.localhost`.
    Name,
    Ip(IpAddr),
}

/// Whether `host` is this computer's name or an IP address, any port.
fn is_local(host: &str) -> bool {
    local(host).is_some()
}

/// Whether `request` is for this computer by a name or an address no one
/// else can answer to: `localhost`, a name under `.localhost`, a loopback
/// address (an address of the network is refused: another computer may be
/// the one asking).
pub(super) fn names_loopback<B>(request: &Request<B>) -> bool {
    match host(request) {
        Ok(Some(host)) => match local(&host) {
            Some(Local::Name) => true,
            Some(Local::Ip(ip)) => ip.is_loopback(),
            None => false,
        },
        _ => false,
    }
}

fn local(host: &str) -> Option<Local> {
    let (name, _) = split_port(host)?;
    if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().ok().map(|ip| Local::Ip(ip.into()));
    }
    let name = name.to_ascii_lowercase();
    let under_localhost = name.strip_suffix(".localhost").is_some_and(|sub| {
        !sub.is_empty()
            && sub.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    });
    if name == "localhost" || under_localhost {
        return Some(Local::Name);
    }
    name.parse::<Ipv4Addr>().ok().map(|ip| Local::Ip(ip.into()))
}

/// Whether the browser's `Origin` is a page of this server: `http://`
/// then the same host and port (80 when not written).
fn same_origin(origin: &str, host: &str) -> bool {
    let Some(origin) = origin.strip_prefix("http://") else {
        return false;
    };
    match (split_port(origin), split_port(host)) {
        (Some((origin, origin_port)), Some((host, host_port))) => {
            origin.eq_ignore_ascii_case(host)
                && origin_port.unwrap_or(80) == host_port.unwrap_or(80)
        }
        _ => false,
    }
}

impl Refusal {
    fn message(&self) -> Message {
        match self {
            Refusal::NoHost => msg!("serve.no_host"),
            Refusal::ForeignHost(host) => msg!("serve.foreign_host", host),
            Refusal::ForeignOrigin { method, origin } => {
                msg!("serve.foreign_origin", method, origin)
            }
        }
    }

    fn into_response(self, lang: MessageLang) -> Response {
        let status = match self {
            Refusal::NoHost => StatusCode::BAD_REQUEST,
            Refusal::ForeignHost(_) | Refusal::ForeignOrigin { .. } => StatusCode::FORBIDDEN,
        };
        let text = format!("{}\n", self.message().render(lang));
        let mut response = (status, text).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        // The host and origin are the client's words: never read as HTML.
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, uri: &str, headers: &[(&str, &str)]) -> Request<()> {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap()
    }

    #[test]
    fn local_names_and_ip_addresses_are_answered_with_any_port() {
        for host in [
            "localhost",
            "LocalHost:1111",
            "portail.localhost:8080",
            "a.b-c.localhost",
            "127.0.0.1",
            "127.0.0.1:1111",
            "192.168.1.20:1111",
            "[::1]",
            "[::1]:1111",
            "[fe80::1]:80",
        ] {
            assert!(is_local(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "evil.example/.localhost",
            ".localhost",
            "a..localhost",
            "localhost.",
            "127.1",
            "::1",
            "[::1]x",
            "[::1]:",
            "[evil.example]",
            "localhost:+80",
            "localhost:99999",
            "localhost:1:2",
            "user@127.0.0.1",
        ] {
            assert!(!is_local(host), "{host}");
        }
    }

    #[test]
    fn the_host_is_the_absolute_url_s_else_the_header() {
        let get = |uri, headers: &[(&str, &str)]| check(&request("GET", uri, headers));
        assert_eq!(get("/", &[("host", "localhost:1111")]), Ok(()));
        assert_eq!(
            get("http://evil.example/", &[("host", "localhost")]),
            Err(Refusal::ForeignHost("evil.example".into()))
        );
        assert_eq!(get("/", &[]), Err(Refusal::NoHost));
        assert_eq!(
            get("/", &[("host", "localhost"), ("host", "evil.example")]),
            Err(Refusal::NoHost)
        );
        let old = Request::builder()
            .version(Version::HTTP_10)
            .body(())
            .unwrap();
        assert_eq!(check(&old), Ok(()));
    }

    #[test]
    fn only_reads_may_come_from_another_origin() {
        let host = ("host", "127.0.0.1:1111");
        let from = |method, origin| check(&request(method, "/", &[host, ("origin", origin)]));
        assert_eq!(from("GET", "http://evil.example"), Ok(()));
        assert_eq!(from("OPTIONS", "http://evil.example"), Ok(()));
        assert_eq!(from("POST", "http://127.0.0.1:1111"), Ok(()));
        assert_eq!(check(&request("POST", "/", &[host])), Ok(()));
        for origin in [
            "http://evil.example",
            "http://localhost:1111",
            "http://127.0.0.1",
            "http://127.0.0.1:1112",
            "https://127.0.0.1:1111",
            "http://127.0.0.1:1111/",
            "null",
        ] {
            for method in ["POST", "PUT", "PATCH", "DELETE"] {
                assert_eq!(
                    from(method, origin),
                    Err(Refusal::ForeignOrigin {
                        method: method.parse().unwrap(),
                        origin: origin.into()
                    }),
                    "{method} from {origin}"
                );
            }
        }
        // Port 80 may be written or not.
        let default_port = [("host", "localhost"), ("origin", "http://localhost:80")];
        assert_eq!(check(&request("POST", "/", &default_port)), Ok(()));
    }

    #[test]
    fn a_refusal_says_what_is_answered_in_the_reader_s_language() {
        let refusal = Refusal::ForeignHost("evil.example".into());
        for lang in [MessageLang::En, MessageLang::Fr] {
            let text = refusal.message().render(lang);
            for name in ["evil.example", "localhost", "127.0.0.1", "[::1]"] {
                assert!(text.contains(name), "{lang:?}: {text}");
            }
        }
        let response = refusal.into_response(MessageLang::Fr);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            Refusal::NoHost.into_response(MessageLang::En).status(),
            StatusCode::BAD_REQUEST
        );
    }
}
