// The lesson page's terminal: xterm.js on the /ws/term/{machine} websocket.
// Binary frames carry terminal bytes both ways; text frames are JSON (see src/Lab.Web/Terminal/TerminalMessages.cs).
// The connection comes back by itself with a visible countdown; a stale session goes to the sign-in page.
(() => {
    "use strict";
    const container = document.querySelector(".terminal");
    if (!container) return;

    const text = JSON.parse(document.getElementById("terminal-text").textContent);
    const statusBox = document.querySelector(".terminal-status");
    const statusText = statusBox.querySelector(".terminal-status-text");
    const restartButton = statusBox.querySelector(".terminal-restart");
    const format = (template, ...args) => template.replace(/\{(\d+)\}/g, (_, i) => args[Number(i)]);

    const term = new Terminal({ cursorBlink: true, fontSize: 14, scrollback: 5000, theme: { background: "#1e1e1e" } });
    const fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(container);
    fit.fit();

    const encoder = new TextEncoder();
    let socket = null;
    let exited = false;
    let lastError = null;
    let retries = 0;
    let reconnectTimer = null;
    const pending = []; // input typed by ▶ buttons before the shell is attached

    function setStatus(state, message) {
        statusBox.dataset.state = state;
        statusText.textContent = message;
        restartButton.hidden = state !== "exited";
    }

    function send(data) {
        if (socket && socket.readyState === WebSocket.OPEN && statusBox.dataset.state === "connected") {
            socket.send(data);
            return true;
        }
        return false;
    }

    function sendResize() {
        send(JSON.stringify({ type: "resize", cols: term.cols, rows: term.rows }));
    }

    function connect() {
        clearTimeout(reconnectTimer);
        exited = false;
        lastError = null;
        setStatus("connecting", text.connecting);
        const url = new URL(container.dataset.socket, location.href);
        url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
        socket = new WebSocket(url);
        socket.binaryType = "arraybuffer";
        socket.onmessage = event => {
            if (typeof event.data === "string") {
                handle(JSON.parse(event.data));
            } else {
                term.write(new Uint8Array(event.data));
            }
        };
        socket.onclose = () => {
            socket = null;
            if (!exited) scheduleReconnect();
        };
    }

    function handle(message) {
        switch (message.type) {
            case "status":
                setStatus("connecting", `${text.starting} ${message.message}`);
                break;
            case "ready":
                // The scrollback follows: start from a clean screen so a reconnect shows it once.
                term.reset();
                retries = 0;
                setStatus("connected", text.connected);
                sendResize();
                while (pending.length > 0) send(pending.shift());
                break;
            case "exit":
                exited = true;
                setStatus("exited", text.exited);
                break;
            case "error":
                lastError = format(text.error, message.message);
                setStatus("error", lastError);
                break;
        }
    }

    async function scheduleReconnect() {
        // With a stale session every handshake fails with 401, which browsers do not report to scripts: ask.
        try {
            const response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
            if (response.status === 401) {
                setStatus("expired", text.expired);
                const back = location.pathname + location.hash;
                setTimeout(() => location.assign("/signin?ReturnUrl=" + encodeURIComponent(back)), 1500);
                return;
            }
        } catch {
            // The server is unreachable (restarting?): retry below.
        }
        const delay = Math.min(30, 2 ** Math.min(retries, 5));
        retries++;
        const prefix = lastError ? `${lastError} — ` : "";
        setStatus(lastError ? "error" : "reconnecting", prefix + format(text.reconnecting, delay));
        reconnectTimer = setTimeout(connect, delay * 1000);
    }

    /** Types a command and Enter into the shell (the ▶ buttons of runnable code blocks). */
    function run(command) {
        const data = encoder.encode(command.replace(/\r?\n/g, "\r") + "\r");
        if (!send(data)) pending.push(data);
    }

    term.onData(data => send(encoder.encode(data)));
    term.onResize(() => sendResize());
    new ResizeObserver(() => fit.fit()).observe(container);
    restartButton.addEventListener("click", () => {
        term.reset();
        connect();
    });

    window.labTerminal = { term, run };
    connect();
})();
