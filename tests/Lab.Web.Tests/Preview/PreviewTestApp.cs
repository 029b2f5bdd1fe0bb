namespace Lab.Web.Tests.Preview;

/// <summary>A small web app run with the python image's python3 (stdlib only), listening on port 8000 of its
/// container: redirects and cookies, an echo of the request headers and bodies, a chunked download of N bytes, and
/// a websocket echo at /ws (RFC 6455, written out since the stdlib has no websocket server).</summary>
public static class PreviewTestApp
{
    public const int ContainerPort = 8000;

    public static IReadOnlyList<string> Command => ["/usr/bin/python3", "-u", "-c", Script];

    private const string Script = """
        import base64, hashlib, http.server, json, struct

        class App(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/redirect":
                    self.reply(302, headers=[("Location", "/landing"),
                                             ("Set-Cookie", "app=1; Path=/; Domain=localhost; HttpOnly"),
                                             ("Set-Cookie", "lab.session=forged; Path=/")])
                elif self.path == "/absolute-redirect":
                    self.reply(302, headers=[("Location", "http://" + self.headers["Host"] + "/landing?from=absolute")])
                elif self.path == "/relative-redirect":
                    self.reply(302, headers=[("Location", "landing")])
                elif self.path == "/headers":
                    self.reply(200, json.dumps(dict(self.headers.items())).encode(), [("Content-Type", "application/json")])
                elif self.path.startswith("/bytes/"):
                    remaining = int(self.path[len("/bytes/"):])
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    chunk = b"x" * 65536
                    while remaining > 0:
                        part = chunk[:min(remaining, len(chunk))]
                        self.wfile.write(b"%x\r\n" % len(part) + part + b"\r\n")
                        remaining -= len(part)
                    self.wfile.write(b"0\r\n\r\n")
                elif self.path == "/ws":
                    self.websocket()
                else:
                    self.reply(200, b"app:" + self.path.encode(), [("Content-Type", "text/plain")])

            def do_POST(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    body = b""
                    while True:
                        size = int(self.rfile.readline().strip(), 16)
                        body += self.rfile.read(size)
                        self.rfile.readline()
                        if size == 0:
                            break
                else:
                    body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.reply(200, ("%s %d" % (hashlib.sha256(body).hexdigest(), len(body))).encode())

            def websocket(self):
                key = self.headers["Sec-WebSocket-Key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
                self.send_response(101)
                self.send_header("Upgrade", "websocket")
                self.send_header("Connection", "Upgrade")
                self.send_header("Sec-WebSocket-Accept", base64.b64encode(hashlib.sha1(key.encode()).digest()).decode())
                if self.headers.get("Sec-WebSocket-Protocol"):
                    self.send_header("Sec-WebSocket-Protocol", self.headers["Sec-WebSocket-Protocol"].split(",")[0].strip())
                self.end_headers()
                self.wfile.flush()
                message, kind = b"", 0
                while True:
                    head = self.rfile.read(2)
                    if len(head) < 2:
                        return
                    fin, opcode, size = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
                    if size == 126:
                        size = struct.unpack(">H", self.rfile.read(2))[0]
                    elif size == 127:
                        size = struct.unpack(">Q", self.rfile.read(8))[0]
                    mask = self.rfile.read(4) if head[1] & 0x80 else b"\0\0\0\0"
                    data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(size)))
                    if opcode == 8:
                        self.wfile.write(bytes([0x88, len(data)]) + data)
                        self.close_connection = True
                        return
                    message, kind = message + data, kind or opcode
                    if not fin:
                        continue
                    reply = ("echo: " + message.decode()).encode() if kind == 1 else message
                    opcode, message, kind = kind, b"", 0
                    if len(reply) < 126:
                        length = bytes([len(reply)])
                    elif len(reply) < 65536:
                        length = bytes([126]) + struct.pack(">H", len(reply))
                    else:
                        length = bytes([127]) + struct.pack(">Q", len(reply))
                    self.wfile.write(bytes([0x80 | opcode]) + length + reply)

        http.server.ThreadingHTTPServer(("0.0.0.0", 8000), App).serve_forever()
        """;
}
