// Orchest web UI: the live parts of the run page. Every page works without this script; with it the
// graph, the step table and the selected step's log follow a run while it goes on. It polls the host
// (same origin, the session cookie is HttpOnly: this script never sees the API key) at a modest rate,
// only while the run has not ended and the tab is visible, and writes text only (textContent), never HTML.
// When the host serves run events as a stream, watchRun is the one place to switch to it.
"use strict";
(() => {
  const STATE_EVERY_MS = 2000;
  const LOG_EVERY_MS = 1500;
  const STATUSES = ["s-pending", "s-started", "s-success", "s-failure", "s-aborted", "s-none", "s-plan"];
  const TERMINAL = ["SUCCESS", "FAILURE", "ABORTED"];

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const visible = () => document.hidden
    ? new Promise((resolve) => document.addEventListener("visibilitychange", resolve, { once: true }))
    : Promise.resolve();

  function setField(root, field, text) {
    root.querySelectorAll(`[data-f="${field}"]`).forEach((element) => { element.textContent = text; });
  }

  function setStatus(element, css) {
    element.classList.remove(...STATUSES);
    element.classList.add(css);
  }

  function applyStep(step) {
    document.querySelectorAll(`[data-step="${CSS.escape(step.uuid)}"]`).forEach((element) => {
      if (!element.matches(".meta-line")) setStatus(element, step.css);
      element.querySelectorAll('[data-f="badge"]').forEach((badge) => setStatus(badge, step.css));
      setField(element, "icon", step.icon);
      setField(element, "status", step.status);
      setField(element, "duration", step.duration);
      setField(element, "attempt", step.attempt > 1 ? `attempt ${step.attempt}` : "");
      setField(element, "attempt-number", String(step.attempt));
      setField(element, "message", step.message);
      if (element.matches("a.node")) element.setAttribute("aria-label", step.label);
    });
  }

  function applyRun(state) {
    const badge = document.querySelector("[data-run-status] [data-f=badge]");
    if (badge) {
      setStatus(badge, `s-${state.status.toLowerCase()}`);
      setField(badge, "icon", state.icon);
      setField(badge, "status", state.status);
    }
    setField(document, "run-duration", state.duration);
    const cancelling = document.querySelector('[data-f="cancelling"]');
    if (cancelling) cancelling.hidden = state.terminal || !state.cancel_requested;
    state.steps.forEach(applyStep);
  }

  async function watchRun(head) {
    for (;;) {
      await sleep(STATE_EVERY_MS);
      await visible();
      let state;
      try {
        const response = await fetch(head.dataset.state, { headers: { accept: "application/json" } });
        if (response.status === 401) { location.reload(); return; }
        if (!response.ok) continue;
        state = await response.json();
      } catch {
        continue; // The host may be restarting: ask again at the next tick.
      }
      applyRun(state);
      if (state.terminal) {
        head.dataset.live = "false";
        document.querySelectorAll("[data-cancel]").forEach((form) => form.remove());
        return;
      }
    }
  }

  // The selected step's outputs and notebook link appear when it ends: take them from a fresh copy of this page.
  async function refreshOutputs() {
    try {
      const response = await fetch(location.href, { headers: { accept: "text/html" } });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-outputs]");
      const old = document.querySelector("[data-outputs]");
      if (fresh && old) old.replaceWith(document.importNode(fresh, true));
    } catch {
      // The outputs are one reload away.
    }
  }

  async function tailLog(log) {
    let offset = Number(log.dataset.offset) || 0;
    for (;;) {
      await visible();
      let more = false;
      let ended = false;
      try {
        const response = await fetch(`${log.dataset.log}?offset=${offset}`);
        if (response.status === 401) { location.reload(); return; }
        if (response.ok) {
          const text = await response.text();
          offset = Number(response.headers.get("X-Log-Offset")) || offset;
          more = response.headers.get("X-Log-More") === "true";
          ended = !more && TERMINAL.includes(response.headers.get("X-Step-Status"));
          if (text) {
            const following = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
            log.append(document.createTextNode(text));
            if (following) log.scrollTop = log.scrollHeight;
          }
        }
      } catch {
        // Ask again at the next tick.
      }
      if (ended) {
        log.dataset.live = "false";
        await refreshOutputs();
        return;
      }
      if (!more) await sleep(LOG_EVERY_MS);
    }
  }

  const head = document.querySelector('[data-run][data-live="true"]');
  if (head) watchRun(head);
  const log = document.querySelector('pre.log[data-live="true"]');
  if (log) {
    log.scrollTop = log.scrollHeight;
    tailLog(log);
  }
})();
