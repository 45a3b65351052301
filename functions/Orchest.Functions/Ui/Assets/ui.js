// Orchest web UI: the live parts of the run and job pages. Every page works without this script; with it the
// graph, the step table and the selected step's log follow a run while it goes on, and a job's page shows
// its new ticks and runs. The run page follows the run's event stream (/ui/runs/{run}/events, Server-Sent
// Events relayed from the API's stream on the signed-in session) and reads the run's state when an event says
// something changed; when the stream cannot be had it polls that state instead. Requests go to the same origin
// (the session cookie is HttpOnly: this script never sees the API key), only while the run has not ended and
// the tab is visible, and text is written as text (textContent), never HTML.
"use strict";
(() => {
  const STATE_EVERY_MS = 2000;
  const LOG_EVERY_MS = 1500;
  const CHANGE_SETTLE_MS = 150;
  const REFRESH_EVERY_MS = 4000;
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

  // The run's state as the page shows it; null when it cannot be read now.
  async function readState(head) {
    try {
      const response = await fetch(head.dataset.state, { headers: { accept: "application/json" } });
      if (response.status === 401) { location.reload(); return null; }
      return response.ok ? await response.json() : null;
    } catch {
      return null; // The host may be restarting: ask again later.
    }
  }

  // Shows a fresh state; true when the run has ended.
  async function refresh(head) {
    const state = await readState(head);
    if (!state) return false;
    applyRun(state);
    running = new Map(state.steps.filter((s) => s.status === "STARTED" && s.started).map((s) => [s.uuid, Date.parse(s.started)]));
    skew = Date.parse(state.now) - Date.now();
    if (!state.terminal) return false;
    running = new Map();
    head.dataset.live = "false";
    document.querySelectorAll("[data-cancel]").forEach((form) => form.remove());
    return true;
  }

  async function pollRun(head, first) {
    let wait = first;
    for (;;) {
      await sleep(wait);
      wait = STATE_EVERY_MS;
      await visible();
      if (await refresh(head)) return;
    }
  }

  // Follows the run's events; each one (or a burst of them) makes the page read the run's state once.
  function watchRun(head) {
    if (!head.dataset.events || typeof EventSource !== "function") {
      head.dataset.feed = "polling";
      pollRun(head, STATE_EVERY_MS);
      return;
    }
    const stream = new EventSource(head.dataset.events);
    let queued = null;
    let ended = false;
    const changed = () => {
      if (queued) return;
      queued = setTimeout(async () => {
        await visible();
        queued = null;
        if (!ended && await refresh(head)) { ended = true; stream.close(); }
      }, CHANGE_SETTLE_MS);
    };
    stream.onopen = () => { head.dataset.feed = "events"; };
    stream.onmessage = changed;
    stream.addEventListener("step-running", changed);
    stream.addEventListener("end", () => {
      // Closed before the server closes it, or EventSource would reconnect and get "end" again.
      ended = true;
      stream.close();
      clearTimeout(queued);
      pollRun(head, 0); // until the state says the run ended (it does at once: the end is recorded with it)
    });
    stream.onerror = () => {
      // After a dropped connection EventSource reconnects by itself, sending Last-Event-ID, so the stream
      // resumes after the last event shown. An HTTP error closes it for good: then the page polls.
      if (stream.readyState === EventSource.CLOSED && !ended) {
        ended = true;
        head.dataset.feed = "polling";
        pollRun(head, 0);
      }
    };
  }

  // Running steps' durations go on between events, counted here from the host's start times.
  let running = new Map();
  let skew = 0;
  function duration(ms) {
    const seconds = Math.max(0, ms) / 1000;
    const two = (n) => String(Math.floor(n)).padStart(2, "0");
    if (seconds < 60) return `${seconds.toFixed(1)} s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${two(seconds % 60)} s`;
    return `${Math.floor(seconds / 3600)} h ${two((seconds % 3600) / 60)} min`;
  }
  function tickDurations() {
    const now = Date.now() + skew;
    running.forEach((started, uuid) => {
      document.querySelectorAll(`[data-step="${CSS.escape(uuid)}"]`).forEach((element) => setField(element, "duration", duration(now - started)));
    });
  }

  // Parts of a page marked data-refresh (a job's state and runs, a project's jobs, its recent runs) from a
  // fresh copy of the page, while one of them says it is live (something in it has not ended).
  async function watchRefreshing() {
    for (;;) {
      await sleep(REFRESH_EVERY_MS);
      await visible();
      try {
        const response = await fetch(location.href, { headers: { accept: "text/html" } });
        if (response.redirected || response.status === 401) { location.reload(); return; }
        if (!response.ok) continue;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        let live = false;
        page.querySelectorAll("[data-refresh]").forEach((fresh) => {
          live ||= fresh.dataset.live === "true";
          const old = document.querySelector(`[data-refresh="${CSS.escape(fresh.dataset.refresh)}"]`);
          // Replaced only when what it says changed, so a button about to be pressed stays put.
          if (old && old.textContent !== fresh.textContent) old.replaceWith(document.importNode(fresh, true));
        });
        if (!live) return;
      } catch {
        // Ask again at the next tick.
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
  if (head) {
    watchRun(head);
    setInterval(tickDurations, 1000);
  }
  if (document.querySelector('[data-refresh][data-live="true"]')) watchRefreshing();
  const log = document.querySelector('pre.log[data-live="true"]');
  if (log) {
    log.scrollTop = log.scrollHeight;
    tailLog(log);
  }
})();
