// The lesson page's "Published ports" bar: a link per port the student's containers publish, opening the app
// through Lab's preview proxy. The list comes from server-sent events and changes as containers start and go.
(() => {
    const panel = document.querySelector(".ports[data-ports]");
    if (!panel) return;
    const text = JSON.parse(document.getElementById("ports-text").textContent);
    const list = panel.querySelector(".ports-list");
    const empty = panel.querySelector(".ports-empty");

    function render(ports) {
        list.replaceChildren(...ports.map(port => {
            const link = document.createElement("a");
            link.href = port.url;
            link.target = "_blank";
            link.rel = "noopener";
            link.textContent = `${port.port} → ${port.container}`;
            link.title = text.open.replace("{0}", port.port).replace("{1}", port.container);
            link.dataset.port = port.port;
            const item = document.createElement("li");
            item.append(link);
            return item;
        }));
        empty.hidden = ports.length > 0;
        panel.dataset.count = ports.length;
    }

    // EventSource reconnects by itself after a network error or a server restart.
    const source = new EventSource(panel.dataset.ports);
    source.onmessage = event => render(JSON.parse(event.data));
    window.addEventListener("pagehide", () => source.close());
})();
