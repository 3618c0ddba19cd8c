"""The registration rush: N logged-in people press "S'inscrire" at the same time.

Every person has their own connection, opened beforehand; a barrier releases
all the POSTs at once to the event's real `inscription/` URL, as a browser would
send them (session cookie, CSRF cookie and token, Origin header). The server
must answer each with the redirect back to the event page, never an error.
"""

import http.client
import threading
import time
from urllib.parse import urlencode


def rush(*, port: int, path: str, sessions: list[dict], csrf: str) -> dict:
    origin = f"https://127.0.0.1:{port}"
    body = urlencode({"csrfmiddlewaretoken": csrf})
    barrier = threading.Barrier(len(sessions) + 1)
    results: list[dict | None] = [None] * len(sessions)

    def person(index: int, session: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            connection.connect()
        finally:
            barrier.wait()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "Origin": origin,
            "Referer": origin + path,
            "X-Forwarded-Proto": "https",
            # Each person from their own town hall, behind the reverse proxy.
            "X-Forwarded-For": f"10.1.{index // 250}.{index % 250 + 1}",
        }
        try:
            connection.request("POST", path + "inscription/", body, headers)
            response = connection.getresponse()
            response.read()
            results[index] = {
                "status": response.status,
                "location": response.getheader("Location", ""),
                "done": time.monotonic(),
            }
        except OSError as error:
            results[index] = {
                "status": 0,
                "error": repr(error),
                "done": time.monotonic(),
            }
        finally:
            connection.close()

    threads = [
        threading.Thread(target=person, args=(i, s["session"]), daemon=True)
        for i, s in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    finished = [r for r in results if r is not None]
    redirected = [
        r for r in finished if r["status"] == 302 and r["location"].endswith(path)
    ]
    return {
        "people": len(sessions),
        "answered": len(finished),
        "redirected_to_event": len(redirected),
        "errors": len(sessions) - len(redirected),
        "statuses": sorted({r["status"] for r in finished}),
        "drain_seconds": round(max(r["done"] for r in finished) - started, 2)
        if finished
        else None,
    }
