"""A local server speaking the OpenAI-compatible chat completions API, for tests.

``ChatCompletionsServer(respond)`` listens on 127.0.0.1, records every request
(method, path, Authorization header, JSON body) and answers each with
``respond(request) -> (status, headers, body)`` (None: the connection is dropped
without an answer); ``reply(content)`` wraps
assistant content (a dict becomes JSON text) in the API's response shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

from tests.loopback import LoopbackServer

Answer = tuple[int, dict, object]


def reply(content: object) -> dict:
    """The response body of a chat completion whose assistant message is ``content``."""
    text = content if isinstance(content, str) else json.dumps(content)
    return {"choices": [{"message": {"role": "assistant", "content": text}}]}


class ChatCompletionsServer:
    def __init__(self, respond: Callable[[dict], Answer]):
        self.requests: list[dict] = []
        self.respond = respond
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                request = {"method": "POST", "path": self.path,
                           "auth": self.headers.get("Authorization"), "body": json.loads(raw)}
                api.requests.append(request)
                answer = api.respond(request)
                if answer is None:  # drop the connection without an answer
                    self.close_connection = True
                    return
                status, headers, body = answer
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = LoopbackServer(("127.0.0.1", 0), Handler).start()
        self.base_url = f"{self.server.base}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
