"""A small news site on 127.0.0.1 for fetch tests: articles, feeds, a sitemap and every kind of trouble."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Slower than the read timeout the tests configure (0.5 s), so the client gives up first.
SLOW_SECONDS = 1.5
# Larger than the byte cap the tests configure (100 KB).
HUGE_BYTES = 300_000
LAST_MODIFIED = formatdate(1748736000, usegmt=True)  # 2025-06-01

ARTICLES = {
    "mistral-funding": dict(
        title="Mistral AI raises $2 billion as investors bet on Europe's AI champion",
        author="Claire Martin", date="2025-06-01",
        paragraphs=[
            "Mistral AI, the Paris-based startup founded by former Meta researchers Guillaume Lample and "
            "Timothée Lacroix, is backed by $2 billion in funding from firms like Andreessen Horowitz and "
            "Salesforce, the company said on Sunday.",
            "The company is supported by premier venture firms including Andreessen Horowitz, Lightspeed "
            "Venture Partners and Salesforce, among others. Founded in 2023, Mistral is building open-weight "
            "models that compete directly with Meta's Llama family.",
            "Mistral's recruitment of Marjorie Janiewicz, former chief revenue officer at Foursquare, as its "
            "first U.S. general manager signals its ambition to scale globally.",
        ]),
    "meta-exodus": dict(
        title="Meta's Llama team suffers a talent exodus",
        author="Charles Hayes", date="2025-05-31",
        paragraphs=[
            "Eleven of the 14 scientists who contributed to the seminal 2023 Llama paper have now left Meta, "
            "with five joining Mistral, including co-founders Guillaume Lample and Timothée Lacroix.",
            "These departures have left Meta's FAIR division reeling, as delays in critical projects and "
            "leadership changes further erode its competitive edge.",
            "Meta's stock has declined by 18% over the past 18 months, reflecting investor skepticism about "
            "its AI roadmap.",
        ]),
    "acme-seed": dict(
        title="Acme Robotics raises $5 million seed round",
        author="Jane Doe", date="2025-03-04",
        paragraphs=[
            "Acme Robotics raised $5 million in a seed round led by Sequoia Capital, the company said on "
            "Tuesday.",
            "The startup was founded in 2021 by Jane Roe and John Poe, who previously worked at Google. It "
            "builds warehouse robots that sort parcels for regional carriers.",
        ]),
    "helsing-round": dict(
        title="Helsing raises $600 million to build defence software",
        author="Tom Weber", date="2025-06-10",
        paragraphs=[
            "Helsing raised $600 million in a Series D round led by Prima Materia, the Munich-based defence "
            "start-up said on Tuesday.",
            "The company, founded in 2021, employs more than 500 people across Germany, France and Britain.",
        ]),
}


def article_html(key: str, base: str, canonical: str | None = None, extra: str = "", og_url: str | None = None) -> str:
    a = ARTICLES[key]
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    if og_url:
        link += f'<meta property="og:url" content="{og_url}">'
    paras = "\n".join(f"<p>{p}</p>" for p in a["paragraphs"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{a['title']}</title>
<meta name="author" content="{a['author']}">
<meta property="article:published_time" content="{a['date']}">
<meta property="og:site_name" content="Local Tech News">{link}
</head><body><nav>Home | World | Tech | Markets</nav>
<article><h1>{a['title']}</h1><p class="byline">By {a['author']}</p>
{paras}{extra}
</article><footer>Copyright Local Tech News</footer></body></html>"""


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int = 0

    @property
    def conditional(self) -> bool:
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


@dataclass
class NewsSite:
    """Routes and a log of every request, so tests can count what a run asked for."""

    base: str = ""
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    flaky_calls: int = 0
    robots: tuple[int, str] = (200, "User-agent: *\nDisallow: /private/\n")  # status, body of /robots.txt
    # path -> how many more requests for it answer 503 (Retry-After beyond any backoff: "try next run")
    down: dict[str, int] = field(default_factory=dict)
    cut: bool = True  # /cut/<path> serves the first three quarters of <path> while this is set
    sitemaps: dict[str, list[str]] = field(default_factory=dict)  # extra urlsets: path -> listed paths
    indexes: dict[str, list[str]] = field(default_factory=dict)  # extra sitemap indexes: path -> child paths

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def routes(self) -> dict[str, tuple]:
        """path -> (status, headers, body, validators: 'etag' | 'last-modified' | 'both' | None)."""
        html = "text/html; charset=utf-8"
        acme = article_html("acme-seed", self.base)  # no canonical link: deduped by content hash
        routes = {
            "/robots.txt": (self.robots[0], {"Content-Type": "text/plain"}, self.robots[1], None),
            "/news/mistral-funding.html": (200, {"Content-Type": html}, article_html(
                "mistral-funding", self.base, canonical=self.url("/news/mistral-funding.html")), "both"),
            "/amp/mistral-funding.html": (200, {"Content-Type": html}, article_html(
                "mistral-funding", self.base, canonical=self.url("/news/mistral-funding.html"),
                extra="<p>This is the accelerated mobile edition of the story; read more on our website.</p>"),
                "etag"),
            "/news/meta-exodus.html": (200, {"Content-Type": html}, article_html("meta-exodus", self.base),
                                       "last-modified"),
            "/news/acme-seed.html": (200, {"Content-Type": html}, acme, "etag"),
            "/mirror/acme-seed.html": (200, {"Content-Type": html}, acme, "etag"),
            "/news/helsing-round.html": (200, {"Content-Type": html}, article_html("helsing-round", self.base),
                                         "both"),
            "/private/secret.html": (200, {"Content-Type": html}, article_html("acme-seed", self.base), None),
            "/missing.html": (404, {"Content-Type": html}, "<html><body>Not found</body></html>", None),
            "/busy.html": (503, {"Content-Type": html, "Retry-After": "3600"}, "down for maintenance", None),
            "/report.pdf": (200, {"Content-Type": "application/pdf"}, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", None),
            "/r/meta": (301, {"Location": "/news/meta-exodus.html"}, "", None),
            "/r/ftp": (302, {"Location": "ftp://127.0.0.1/pub/story.html"}, "", None),
            "/r/loop-a": (302, {"Location": "/r/loop-b"}, "", None),
            "/r/loop-b": (302, {"Location": self.url("/r/loop-a")}, "", None),
            "/feed.rss": (200, {"Content-Type": "application/rss+xml"}, self.rss(), "both"),
            "/feed.atom": (200, {"Content-Type": "application/atom+xml"}, self.atom(), "etag"),
            "/sitemap.xml": (200, {"Content-Type": "application/xml"}, self.sitemap_index(), "both"),
            "/sitemap-news.xml": (200, {"Content-Type": "application/xml"}, self.sitemap(), "both"),
            # different articles whose canonical link and og:url name the home page
            **{f"/home-canonical/{key}.html": (200, {"Content-Type": html}, article_html(
                key, self.base, canonical=self.url("/"), og_url=self.url("/")), "etag")
               for key in ("meta-exodus", "acme-seed", "helsing-round")},
            # different articles naming one section page as their canonical URL
            **{f"/section/{key}.html": (200, {"Content-Type": html}, article_html(
                key, self.base, canonical=self.url("/section/")), "etag")
               for key in ("meta-exodus", "acme-seed", "helsing-round")},
            # og:url names the AMP copy, <link rel=canonical> the article: the canonical link wins
            "/og/mistral-funding.html": (200, {"Content-Type": html}, article_html(
                "mistral-funding", self.base, canonical=self.url("/news/mistral-funding.html"),
                og_url=self.url("/amp/mistral-funding.html")), "etag"),
        }
        for path, listed in self.sitemaps.items():
            routes[path] = (200, {"Content-Type": "application/xml"}, self.urlset(listed), "both")
        for path, children in self.indexes.items():
            routes[path] = (200, {"Content-Type": "application/xml"}, self.sitemap_index(children), "both")
        return routes

    def rss(self) -> str:
        items = "".join(f"<item><title>{t}</title><link>{self.url(p)}</link></item>" for t, p in [
            ("Mistral AI raises $2 billion", "/news/mistral-funding.html"),
            ("Mistral AI raises $2 billion (AMP)", "/amp/mistral-funding.html"),
            ("Helsing raises $600 million", "/flaky/helsing-round.html"),
        ])
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Local Tech News</title>'
                f"<link>{self.base}/</link><description>News</description>{items}</channel></rss>")

    def atom(self) -> str:
        entries = "".join(
            f'<entry><title>{t}</title><id>{p}</id><link rel="alternate" href="{p}"/>'
            f"<updated>2025-06-01T00:00:00Z</updated></entry>"
            for t, p in [("Acme Robotics", "/news/acme-seed.html"), ("Acme Robotics (mirror)", "/mirror/acme-seed.html")])
        return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
                f'xml:base="{self.base}/"><title>Local Tech News</title><id>{self.base}/</id>'
                f"<updated>2025-06-01T00:00:00Z</updated>{entries}</feed>")

    def sitemap_index(self, children: list[str] | None = None) -> str:
        locs = "".join(f"<sitemap><loc>{self.url(p)}</loc></sitemap>" for p in children or ["/sitemap-news.xml"])
        return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{locs}</sitemapindex>")

    def sitemap(self) -> str:
        return self.urlset(["/r/meta", "/missing.html", "/busy.html", "/huge.html", "/report.pdf",
                            "/private/secret.html", "/slow.html"])

    def urlset(self, paths: list[str]) -> str:
        urls = "".join(f"<url><loc>{self.url(p)}</loc></url>" for p in paths)
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{urls}</urlset>")


SERVED_AS = {"text": "text/plain", "html": "text/html; charset=utf-8", "octet": "application/octet-stream"}


def make_handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
            with site.lock:
                site.requests.append(request)
            status, headers, body = self.route()
            request.status = status
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if isinstance(body, bytes):
                    self.wfile.write(body)
                else:
                    for chunk in body:  # no Content-Length: the client must count the bytes itself
                        self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout, size cap): that is the point of the test

        def route(self):
            path = self.path
            if path == "/slow.html":
                time.sleep(SLOW_SECONDS)
                return 200, {"Content-Type": "text/html"}, article_html("acme-seed", site.base).encode()
            if path == "/huge.html":
                chunk = b"<p>" + b"Acme Robotics raised $5 million. " * 100 + b"</p>\n"
                return 200, {"Content-Type": "text/html"}, (chunk for _ in range(HUGE_BYTES // len(chunk) + 1))
            if path == "/flaky/helsing-round.html":
                with site.lock:
                    site.flaky_calls += 1
                    first = site.flaky_calls == 1
                if first:
                    return 500, {"Content-Type": "text/plain"}, b"internal error"
                path = "/news/helsing-round.html"
            if path.startswith("/r/chain/"):
                n = int(path.rsplit("/", 1)[1])
                return 302, {"Location": f"/r/chain/{n + 1}"}, b""
            with site.lock:
                down = site.down.get(path, 0)
                if down:
                    site.down[path] = down - 1
            if down:
                return 503, {"Content-Type": "text/plain", "Retry-After": "3600"}, b"down for maintenance"
            content_type = cut = None
            if path.startswith("/as/"):  # /as/<type>/<path>: <path> served with another content type
                _, _, kind, rest = path.split("/", 3)
                content_type, path = SERVED_AS[kind], "/" + rest
            elif path.startswith("/cut/"):  # /cut/<path>: <path> cut short while site.cut is set
                cut, path = site.cut, path.removeprefix("/cut")
            routes = site.routes()
            if path not in routes:
                return 404, {"Content-Type": "text/plain"}, b"not found"
            status, headers, body, validators = routes[path]
            data = body.encode("utf-8") if isinstance(body, str) else body
            data = data[:len(data) * 3 // 4] if cut else data
            headers = dict(headers, **({"Content-Type": content_type} if content_type else {}))
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            if validators in ("etag", "both"):
                headers["ETag"] = etag
            if validators in ("last-modified", "both"):
                headers["Last-Modified"] = LAST_MODIFIED
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if status == 200 and ((inm and "ETag" in headers and inm == etag)
                                  or (not inm and ims and headers.get("Last-Modified") == ims)):
                return 304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b""
            if status == 200:
                headers["Content-Length"] = str(len(data))
            return status, headers, data

        def log_message(self, *args) -> None:
            pass

    return Handler


def serve() -> tuple[NewsSite, ThreadingHTTPServer]:
    site = NewsSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return site, server


def refused_origin() -> str:
    """http://127.0.0.1:<port> where nothing listens: a host refusing connections."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
