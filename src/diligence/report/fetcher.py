"""The only way WeasyPrint may read anything: `data:` URLs and our own asset files.

Report HTML carries text that users typed. It is escaped, so it can never become an `<img>`,
a `<link>` or an `@import`; this fetcher is the second wall in case something slips through:
it refuses every URL that is not `data:` or a file inside the asset folder (checked after
resolving symlinks and `..`), records every request, and logs each refusal.

Importing this module imports WeasyPrint: import it only when rendering a PDF.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from diligence.report import ASSETS

LOG = logging.getLogger("diligence.report")


class RefusedURL(ValueError):
    """A URL the report renderer does not fetch."""


class AssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """A WeasyPrint URL fetcher for `data:` URLs and files under one folder, nothing else."""

    def __init__(self, root: Path = ASSETS) -> None:
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)
        self.root = root.resolve()
        self.requests: list[str] = []
        """Every URL asked for, in order."""
        self.refused: list[str] = []
        """The URLs refused."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requests.append(url)
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = self.asset_path(url)
        if path is None:
            self.refused.append(url)
            LOG.warning("refused to fetch %s: reports read only their own assets", url[:200])
            raise RefusedURL(f"refused to fetch {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url=path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def asset_path(self, url: str) -> Path | None:
        """The real file a `file:` URL names, when it lies inside the asset folder."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    @property
    def outside_requests(self) -> list[str]:
        """Requests for anything but `data:` URLs and asset files (empty when all is well)."""
        return [
            u for u in self.requests if not u.startswith("data:") and self.asset_path(u) is None
        ]
