// The page's NATS client. It never sees a credential: POST /session makes the backend set a
// bearer JWT in an HttpOnly cookie, and nats.ws connects with no credentials of its own; the
// browser sends the cookie on the websocket upgrade (same host as this page), where
// nats-server's jwt_cookie reads it.
import { connect, StringCodec } from "/nats.js";

const sc = StringCodec();

export const state = { session: null, nc: null, errors: [] };

// Ask the backend for a session of `project`: it answers with what the page may do, and sets
// the cookie. The answer holds no JWT.
export async function login(project) {
  const response = await fetch(`/session?project=${encodeURIComponent(project)}`, {
    method: "POST",
  });
  if (!response.ok) {
    throw new Error(`session refused: ${response.status} ${await response.text()}`);
  }
  state.session = await response.json();
  return state.session;
}

// Connect with whatever cookie the browser holds; replies to requests come back under the
// session's own inbox prefix, the only inboxes its JWT may subscribe to.
export async function open() {
  const { nats_ws: servers } = await (await fetch("/config.json")).json();
  const options = { servers, reconnect: false, name: state.session?.session ?? "page" };
  if (state.session) {
    options.inboxPrefix = state.session.inbox_prefix;
  }
  const nc = await connect(options);
  state.nc = nc;
  state.errors = [];
  (async () => {
    for await (const status of nc.status()) {
      if (status.type === "error") {
        state.errors.push({ code: status.data, context: status.permissionContext ?? null });
      }
    }
  })();
  return nc;
}

// connect() without a session: "connected", or the error code nats-server's refusal gave.
export async function tryConnect() {
  try {
    const nc = await open();
    await nc.close();
    return "connected";
  } catch (err) {
    return err.code ?? String(err);
  }
}

// Subscribe to `subject`: the first message's data, or the error that ended the subscription
// (PERMISSIONS_VIOLATION when the JWT does not allow it).
export async function first(subject, timeoutMs = 3000) {
  const sub = state.nc.subscribe(subject, { max: 1, timeout: timeoutMs });
  try {
    for await (const msg of sub) {
      return sc.decode(msg.data);
    }
    return "closed";
  } catch (err) {
    return err.code ?? String(err);
  }
}

// Publish `text` on `subject` and receive it back on a subscription to `subject`.
export async function roundTrip(subject, text) {
  const received = first(subject);
  await state.nc.flush(); // the server has the subscription before the message
  state.nc.publish(subject, sc.encode(text));
  return received;
}

export async function request(subject, text) {
  const reply = await state.nc.request(subject, sc.encode(text), { timeout: 3000 });
  return sc.decode(reply.data);
}

// Publish where the JWT does not allow it: nats-server answers with a permissions violation,
// which nats.ws reports as an error status (the connection stays up).
export async function publishRefused(subject) {
  const before = state.errors.length;
  state.nc.publish(subject, sc.encode("not allowed"));
  await state.nc.flush();
  for (let i = 0; i < 100 && state.errors.length === before; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return state.errors.slice(before);
}

// The page itself ------------------------------------------------------------------------------

const $ = (selector) => document.querySelector(selector);

function show(line, error = false) {
  const div = document.createElement("div");
  div.textContent = line;
  if (error) div.className = "error";
  $("#log").append(div);
}

async function join(project) {
  document.body.dataset.state = "joining";
  try {
    const session = await login(project);
    const nc = await open();
    const sub = nc.subscribe(`projects.${session.project}.chat`);
    (async () => {
      for await (const msg of sub) show(sc.decode(msg.data));
    })();
    $("#status").textContent = `Connected as ${session.session} to ${session.subjects}.`;
    $("#send").hidden = false;
    document.body.dataset.state = "connected";
  } catch (err) {
    $("#status").textContent = `Not connected: ${err.message ?? err}`;
    document.body.dataset.state = "failed";
  }
}

$("#join").addEventListener("submit", (event) => {
  event.preventDefault();
  join(new FormData(event.target).get("project"));
});

$("#send").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = new FormData(event.target).get("text");
  state.nc.publish(`projects.${state.session.project}.chat`, sc.encode(text));
  event.target.reset();
});

// For the browser test and the devtools console.
window.webBackend = { state, login, open, tryConnect, first, roundTrip, request, publishRefused };

const project = new URLSearchParams(location.search).get("project");
if (project) {
  join(project);
}
document.body.dataset.ready = "yes";
