// The lesson page: slide navigation (buttons, arrow keys, #N in the URL), fragments, the slides|terminal
// splitter, code highlighting, and the ▶ / copy buttons of code blocks (markup: src/Lab.Courses,
// HtmlRunnableCodeBlockRenderer).
(() => {
    "use strict";
    const lesson = document.querySelector(".lesson");
    if (!lesson) return;

    const slides = Array.from(lesson.querySelectorAll(".slide"));
    const counter = lesson.querySelector(".slide-counter");
    const prevButton = lesson.querySelector(".slide-prev");
    const nextButton = lesson.querySelector(".slide-next");
    const slidesBox = lesson.querySelector(".slides");
    const text = JSON.parse(document.getElementById("terminal-text").textContent);
    let current = 0;

    function show(index, { revealAll = false } = {}) {
        current = Math.max(0, Math.min(slides.length - 1, index));
        slides.forEach((slide, i) => { slide.hidden = i !== current; });
        const fragments = slides[current].querySelectorAll(".fragment");
        fragments.forEach(f => f.classList.toggle("visible", revealAll));
        counter.textContent = `${current + 1} / ${slides.length}`;
        prevButton.disabled = current === 0;
        nextButton.disabled = current === slides.length - 1 && hiddenFragment() === null;
        slidesBox.scrollTop = 0;
        history.replaceState(null, "", `#${current + 1}`);
    }

    function hiddenFragment() {
        return slides[current].querySelector(".fragment:not(.visible)");
    }

    function next() {
        const fragment = hiddenFragment();
        if (fragment) {
            fragment.classList.add("visible");
            nextButton.disabled = current === slides.length - 1 && hiddenFragment() === null;
        } else if (current < slides.length - 1) {
            show(current + 1);
        }
    }

    function previous() {
        if (current > 0) show(current - 1, { revealAll: true });
    }

    prevButton.addEventListener("click", previous);
    nextButton.addEventListener("click", next);
    document.addEventListener("keydown", event => {
        // Keys typed in the terminal (or any field) are theirs, not the slides'.
        const target = event.target;
        if (target.closest && target.closest(".terminal-pane, input, textarea, select, [contenteditable]")) return;
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        if (event.key === "ArrowRight" || event.key === "PageDown") { next(); event.preventDefault(); }
        else if (event.key === "ArrowLeft" || event.key === "PageUp") { previous(); event.preventDefault(); }
    });

    const fromHash = Number.parseInt(location.hash.slice(1), 10);
    show(Number.isFinite(fromHash) ? fromHash - 1 : 0, { revealAll: Number.isFinite(fromHash) });

    // Code highlighting: only blocks whose language highlight.js knows.
    if (window.hljs) {
        lesson.querySelectorAll("pre code[class*='language-']").forEach(code => {
            const language = Array.from(code.classList).find(c => c.startsWith("language-"))?.slice(9);
            if (language && hljs.getLanguage(language)) hljs.highlightElement(code);
        });
    }

    function flash(button) {
        button.classList.add("done");
        setTimeout(() => button.classList.remove("done"), 800);
    }

    lesson.addEventListener("click", event => {
        const runButton = event.target.closest(".run-button[data-command]");
        if (runButton) {
            window.labTerminal?.run(runButton.dataset.command);
            flash(runButton);
            return;
        }
        const copyButton = event.target.closest(".copy-button[data-copy]");
        if (copyButton) {
            navigator.clipboard?.writeText(copyButton.dataset.copy).then(() => {
                copyButton.title = text.copied;
                flash(copyButton);
            });
        }
    });

    // The splitter: drag (or arrow keys when focused) to share the width between slides and terminal.
    const splitter = lesson.querySelector(".splitter");
    const saved = Number.parseFloat(localStorage.getItem("lab.slidesWidth"));
    const setWidth = percent => {
        const clamped = Math.max(20, Math.min(80, percent));
        lesson.style.setProperty("--slides-width", `${clamped}%`);
        localStorage.setItem("lab.slidesWidth", String(clamped));
    };
    if (Number.isFinite(saved)) setWidth(saved);
    splitter.addEventListener("pointerdown", event => {
        splitter.setPointerCapture(event.pointerId);
        splitter.classList.add("dragging");
    });
    splitter.addEventListener("pointermove", event => {
        if (!splitter.hasPointerCapture(event.pointerId)) return;
        const box = lesson.getBoundingClientRect();
        setWidth(((event.clientX - box.left) / box.width) * 100);
    });
    splitter.addEventListener("pointerup", event => {
        splitter.releasePointerCapture(event.pointerId);
        splitter.classList.remove("dragging");
    });
    splitter.addEventListener("keydown", event => {
        const now = Number.parseFloat(getComputedStyle(lesson).getPropertyValue("--slides-width")) || 55;
        if (event.key === "ArrowLeft") { setWidth(now - 2); event.preventDefault(); event.stopPropagation(); }
        if (event.key === "ArrowRight") { setWidth(now + 2); event.preventDefault(); event.stopPropagation(); }
    });
})();
