// The whole-stack tests' real client: matrix-js-sdk with its Rust cryptography (the SDK Element Web is built on), driven
// through the router like a user's app. Matrix.AppHost.Tests/WholeStack/RealClientTests.cs starts it and reads it.
//
// Input (standard input, one JSON object; passwords never on the command line):
//   { "baseUrl": "http://127.0.0.1:1234", "alice": { "user": "...", "password": "..." }, "bob": { ... }, "budgetSeconds": 300 }
// Output (standard output): one JSON object per line, each with a "step"; the last is "summary" or "error". Everything
// the SDK logs goes to standard error.
import "fake-indexeddb/auto";
import { createHash, randomBytes, webcrypto } from "node:crypto";
import * as sdk from "matrix-js-sdk";
import { decodeRecoveryKey, encodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/index.js";
import { logger } from "matrix-js-sdk/lib/logger.js";

// matrix-js-sdk 43 declares Node.js 22 and uses its Promise.withResolvers; on Node.js 20 (this project's machines) that
// is the one missing piece this script runs into, so it is provided here, as the standard defines it.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new this((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};

const stdout = process.stdout.write.bind(process.stdout);
// loglevel and the SDK write through console.log/info/debug: keep standard output for the JSON lines.
console.log = console.info = console.debug = (...args) => console.error(...args);
logger.setLevel(process.env.MATRIX_JS_CLIENT_LOG_LEVEL ?? "warn");

const emit = (step, fields = {}) => stdout(JSON.stringify({ step, ...fields }) + "\n");

const input = JSON.parse(await readStdin());
const deadline = Date.now() + (input.budgetSeconds ?? 300) * 1000;
const requests = [];
const clients = [];

try {
  await run();
} catch (error) {
  emit("error", { message: String(error?.stack ?? error) });
  await stopAll();
  process.exit(1);
}
await stopAll();
process.exit(0);

async function run() {
  const alice = await logIn("alice", input.alice, "alice-phone");
  const bob = await logIn("bob", input.bob, "bob-phone");

  // Alice keeps a server-side key backup from the start, as Element offers: her second device restores from it.
  await alice.client.getCrypto().resetKeyBackup();
  const backupVersion = await alice.client.getCrypto().getActiveSessionBackupVersion();
  emit("key-backup-created", { version: backupVersion });

  const { room_id: roomId } = await alice.client.createRoom({
    preset: sdk.Preset.PrivateChat,
    invite: [bob.userId],
    initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
  });
  await until("bob's sync to show the invitation", () => bob.client.getRoom(roomId)?.getMyMembership() === "invite");
  await bob.client.joinRoom(roomId);
  await until("alice's sync to show bob joined", () => alice.client.getRoom(roomId)?.getMember(bob.userId)?.membership === "join");
  // An app sends in clear text into a room it does not yet know to be encrypted: wait for the state, as Element's composer does.
  for (const side of [alice, bob]) {
    await until(`${side.name}'s client to know the room is encrypted`, () => side.client.getRoom(roomId)?.hasEncryptionStateEvent() === true);
  }
  emit("room-ready", { roomId });

  const messages = [];
  for (let i = 1; i <= 5; i++) {
    for (const [from, to] of [[alice, bob], [bob, alice]]) {
      const body = `message ${i} from ${from.name}`;
      const { event_id: eventId } = await from.client.sendTextMessage(roomId, body);
      messages.push({ eventId, body, from: from.name });
      await decryptedBy(to, roomId, eventId, body);
      emit("message", { eventId, from: from.name, decryptedBy: to.name });
    }
  }

  const attachment = await sendEncryptedAttachment(alice, bob, roomId);
  emit("attachment", attachment);

  // Alice signs in on a second device; bob's client must learn of it (device-list update in his sync) before it
  // shares the next message's key with it.
  const laptop = await logIn("alice-laptop", input.alice, "alice-laptop");
  await until("bob's client to know alice's second device", async () => {
    const devices = await bob.client.getCrypto().getUserDeviceInfo([alice.userId], true);
    return devices.get(alice.userId)?.has(laptop.deviceId) === true;
  });
  const later = { body: "a message after alice's second device signed in", from: bob.name };
  ({ event_id: later.eventId } = await bob.client.sendTextMessage(roomId, later.body));
  await decryptedBy(laptop, roomId, later.eventId, later.body);
  await decryptedBy(alice, roomId, later.eventId, later.body);
  emit("message", { eventId: later.eventId, from: bob.name, decryptedBy: `${laptop.name} and ${alice.name}` });

  // The earlier message was sent before the laptop existed: only the key backup can open it. The backup key stands
  // for the recovery key the user types in (encoded and decoded the way Element shows it).
  const earlier = messages[0];
  const recoveryKey = encodeRecoveryKey(await alice.client.getCrypto().getSessionBackupPrivateKey());
  await laptop.client.getCrypto().storeSessionBackupPrivateKey(decodeRecoveryKey(recoveryKey), backupVersion);
  await laptop.client.getCrypto().checkKeyBackupAndEnable();
  const raw = await laptop.client.fetchRoomEvent(roomId, earlier.eventId);
  const event = laptop.client.getEventMapper()(raw);
  let restored;
  // Alice's phone uploads keys to the backup in the background, a few seconds after it receives them.
  await until("the key backup to open the earlier message on alice's second device", async () => {
    restored = await laptop.client.getCrypto().restoreKeyBackup();
    await laptop.client.decryptEventIfNeeded(event, { isRetry: true });
    return !event.isDecryptionFailure() && event.getContent().body === earlier.body;
  });
  emit("earlier-message-from-backup", { eventId: earlier.eventId, from: earlier.from, keysImported: restored.imported, keysInBackup: restored.total });

  emit("events", { roomId, eventIds: [...messages.map(m => m.eventId), attachment.eventId, later.eventId] });
  emit("summary", summary());
}

// Logs in with the password (the SDK's own login request), starts Rust cryptography on an IndexedDB store (fake-indexeddb
// stands in for the browser's) and the client's sync loop with lazy-loaded members, as Element does.
async function logIn(name, account, deviceName) {
  const fetchFn = countingFetch(name);
  const anonymous = sdk.createClient({ baseUrl: input.baseUrl, fetchFn });
  let login;
  await until(`${name} to log in`, async () => {
    try {
      login = await anonymous.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: account.user },
        password: account.password,
        initial_device_display_name: deviceName,
      });
      return true;
    } catch (error) {
      // Synapse limits logins per address; every client here shares one. Wait as long as it says, like an app would.
      if (error?.errcode === "M_LIMIT_EXCEEDED") {
        emit("rate-limited", { who: name, retryAfterMs: error.data?.retry_after_ms });
        await sleep(Math.min(error.data?.retry_after_ms ?? 1000, 30_000));
        return false;
      }
      throw error;
    }
  });
  const client = sdk.createClient({
    baseUrl: input.baseUrl,
    fetchFn,
    userId: login.user_id,
    deviceId: login.device_id,
    accessToken: login.access_token,
  });
  await client.initRustCrypto({ cryptoDatabasePrefix: `matrix-js-sdk-${name}` });
  const side = { name, client, userId: login.user_id, deviceId: login.device_id };
  clients.push(side);
  await client.startClient({ initialSyncLimit: 20, lazyLoadMembers: true });
  await until(`${name}'s first sync`, () => client.isInitialSyncComplete());
  emit("logged-in", { who: name, userId: side.userId, deviceId: side.deviceId });
  return side;
}

// Waits until the receiving client has the event from its own sync loop and has decrypted it to the expected text.
async function decryptedBy(side, roomId, eventId, body) {
  await until(`${side.name} to receive and decrypt ${eventId}`, async () => {
    const event = side.client.getRoom(roomId)?.findEventById(eventId);
    if (!event) {
      return false;
    }
    if (event.isDecryptionFailure()) {
      // The key may arrive after the message (a to-device message in a later sync): try again, as the SDK does.
      await side.client.decryptEventIfNeeded(event, { isRetry: true });
    }
    if (event.getWireType() !== "m.room.encrypted") {
      throw new Error(`${eventId} reached ${side.name} unencrypted (${event.getWireType()})`);
    }
    return !event.isDecryptionFailure() && event.getContent().body === body;
  });
}

// An encrypted attachment as the spec describes it (AES-CTR-256, SHA-256 of the ciphertext, JWK key), which matrix-js-sdk
// leaves to the app (Element uses matrix-encrypt-attachment): uploaded by alice, downloaded by bob through authenticated
// media (/_matrix/client/v1/media/download) with his access token, and decrypted.
async function sendEncryptedAttachment(from, to, roomId) {
  const plaintext = new Uint8Array(randomBytes(200 * 1024));
  const key = await webcrypto.subtle.generateKey({ name: "AES-CTR", length: 256 }, true, ["encrypt", "decrypt"]);
  const iv = new Uint8Array(16);
  webcrypto.getRandomValues(iv.subarray(0, 8));
  const ciphertext = new Uint8Array(await webcrypto.subtle.encrypt({ name: "AES-CTR", counter: iv, length: 64 }, key, plaintext));
  const { content_uri: url } = await from.client.uploadContent(new Blob([ciphertext]), { type: "application/octet-stream", includeFilename: false });
  const file = {
    v: "v2",
    url,
    key: await webcrypto.subtle.exportKey("jwk", key),
    iv: unpadded(Buffer.from(iv).toString("base64")),
    hashes: { sha256: unpadded(createHash("sha256").update(ciphertext).digest("base64")) },
  };
  const { event_id: eventId } = await from.client.sendMessage(roomId, {
    msgtype: "m.file",
    body: "secret.bin",
    info: { mimetype: "application/octet-stream", size: plaintext.length },
    file,
  });

  let received;
  await until(`${to.name} to receive and decrypt the attachment's event`, async () => {
    const event = to.client.getRoom(roomId)?.findEventById(eventId);
    if (event?.isDecryptionFailure()) {
      await to.client.decryptEventIfNeeded(event, { isRetry: true });
    }
    received = event && !event.isDecryptionFailure() ? event.getContent().file : undefined;
    return received !== undefined;
  });
  const downloadUrl = to.client.mxcUrlToHttp(received.url, undefined, undefined, undefined, false, true, true);
  const response = await countingFetch(to.name)(downloadUrl, { headers: { Authorization: `Bearer ${to.client.getAccessToken()}` } });
  if (!response.ok) {
    throw new Error(`downloading the attachment: ${response.status} ${await response.text()}`);
  }
  const downloaded = new Uint8Array(await response.arrayBuffer());
  if (unpadded(createHash("sha256").update(downloaded).digest("base64")) !== received.hashes.sha256) {
    throw new Error("the downloaded attachment's SHA-256 is not the one in the event");
  }
  const receivedKey = await webcrypto.subtle.importKey("jwk", received.key, { name: "AES-CTR" }, false, ["decrypt"]);
  const decrypted = new Uint8Array(await webcrypto.subtle.decrypt(
    { name: "AES-CTR", counter: Buffer.from(received.iv, "base64"), length: 64 }, receivedKey, downloaded));
  return {
    eventId,
    downloadPath: new URL(downloadUrl).pathname,
    bytes: plaintext.length,
    sentSha256: createHash("sha256").update(plaintext).digest("hex"),
    decryptedSha256: createHash("sha256").update(decrypted).digest("hex"),
    ciphertextDiffers: Buffer.compare(Buffer.from(ciphertext), Buffer.from(plaintext)) !== 0,
  };
}

// Every request any client makes goes through here: status, and for /sync whether it was incremental and how many
// to-device messages it delivered.
function countingFetch(who) {
  return async (resource, init) => {
    const url = new URL(typeof resource === "string" ? resource : resource.url ?? String(resource));
    const record = { who, method: init?.method ?? "GET", path: url.pathname, status: "pending" };
    requests.push(record);
    let response;
    try {
      response = await fetch(resource, init);
    } catch (error) {
      record.status = error?.name === "AbortError" ? "aborted" : "network-error";
      throw error;
    }
    record.status = response.status;
    if (url.pathname.endsWith("/sync")) {
      record.incremental = url.searchParams.has("since");
      if (response.ok) {
        const body = await response.clone().json();
        record.toDevice = body.to_device?.events?.length ?? 0;
      }
    }
    return response;
  };
}

function summary() {
  const syncs = requests.filter(r => r.path.endsWith("/sync"));
  const byStatus = {};
  for (const r of requests) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  }
  // Room, event, user and transaction ids and media ids collapse to {id}: the endpoints the client used, not each call.
  const endpoints = new Set(requests.map(r => `${r.method} ${r.path.split("/").map(idless).join("/")}`));
  return {
    requests: requests.length,
    byStatus,
    serverErrors: requests.filter(r => typeof r.status === "number" && r.status >= 500).map(r => `${r.who} ${r.method} ${r.path} ${r.status}`),
    // 4xx are part of the protocol (a room key not in the backup yet, an unstable endpoint Synapse lacks): listed, not failed.
    clientErrors: [...new Set(requests.filter(r => typeof r.status === "number" && r.status >= 400 && r.status < 500)
      .map(r => `${r.status} ${r.method} ${r.path.split("/").map(idless).join("/")}`))].sort(),
    networkErrors: requests.filter(r => r.status === "network-error").map(r => `${r.who} ${r.method} ${r.path}`),
    syncs: syncs.length,
    incrementalSyncs: syncs.filter(r => r.incremental).length,
    toDeviceMessages: syncs.reduce((n, r) => n + (r.toDevice ?? 0), 0),
    endpoints: [...endpoints].sort(),
  };
}

function idless(segment) {
  const text = decodeURIComponent(segment);
  return /[!$@:]/.test(text) || (/\d/.test(text) && !/^v\d+$|^r0$/.test(text)) || text.length >= 20 ? "{id}" : segment;
}

async function stopAll() {
  for (const { client } of clients) {
    client.stopClient();
  }
}

async function until(what, condition) {
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${what}`);
    }
    await sleep(200);
  }
}

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function unpadded(base64) {
  return base64.replace(/=+$/, "");
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
