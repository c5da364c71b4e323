// Conformance: the official authing-node-sdk 4.0.1 (signature scheme), unmodified,
// against the authing-emulator binary. Run with `node --test` from this directory;
// AUTHING_EMULATOR_BIN overrides the binary path.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const path = require("node:path");
const readline = require("node:readline");
const { ManagementClient } = require("authing-node-sdk");

const BIN =
  process.env.AUTHING_EMULATOR_BIN ||
  path.join(__dirname, "..", "..", "..", "target", "debug", "authing-emulator");
const KEY_ID = "emulator-access-key-id";
const SECRET = "emulator-access-key-secret";

let child;
let url;

before(async () => {
  child = spawn(BIN, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout });
  url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("emulator did not start")), 15000);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    lines.once("line", (line) => {
      clearTimeout(timer);
      const m = /^authing-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      m ? resolve(m[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
  });
});

after(() => {
  if (child) child.kill();
});

async function control(route, init) {
  const res = await fetch(`${url}/__emulator/${route}`, init);
  return res.json();
}

test("create users, resign a batch, read them back as Resigned", async () => {
  const client = new ManagementClient({ accessKeyId: KEY_ID, accessKeySecret: SECRET, host: url });
  const created = await client.createUsersBatch({
    list: [
      { username: "node-alice", email: "node-alice@example.com", name: "Alice" },
      { username: "node-bob", phone: "13800000001" },
      { username: "node-carol", externalId: "ext-carol" },
    ],
    options: { keepPassword: false },
  });
  assert.equal(created.statusCode, 200, JSON.stringify(created));
  const ids = created.data.map((u) => u.userId);
  assert.equal(ids.length, 3);

  const resigned = await client.resignUserBatch({ userIds: ids.slice(0, 2), userIdType: "user_id" });
  assert.equal(resigned.statusCode, 200, JSON.stringify(resigned));
  assert.deepEqual(resigned.data, { success: true });

  const byUsername = await client.resignUserBatch({ userIds: ["node-carol"], userIdType: "username" });
  assert.equal(byUsername.statusCode, 200, JSON.stringify(byUsername));

  const batch = await client.getUserBatch({ userIds: ids, userIdType: "user_id" });
  assert.equal(batch.statusCode, 200, JSON.stringify(batch));
  assert.equal(batch.data.length, 3);
  for (const user of batch.data) {
    assert.equal(user.status, "Resigned");
    assert.equal(user.workStatus, "Closed");
    assert.ok(user.statusChangedAt);
  }
  const one = await client.getUser({ userId: "node-alice@example.com", userIdType: "email" });
  assert.equal(one.data.status, "Resigned");

  const single = await client.resignUser({ userId: ids[0] });
  assert.equal(single.statusCode, 200, "re-resigning succeeds");

  const listed = await client.listUsers({ options: { pagination: { page: 1, limit: 10 } } });
  assert.equal(listed.data.totalCount >= 3, true);

  const journal = await control("journal");
  const api = journal.filter((e) => e.path.startsWith("/api/v3/"));
  assert.ok(api.length >= 7);
  for (const entry of api) {
    assert.equal(entry.auth, "signature", `${entry.method} ${entry.path}`);
    assert.equal(entry.statusCode, 200, `${entry.method} ${entry.path}`);
    assert.equal(entry.headers["x-authing-sdk-version"], "authing-node-sdk:4.0.1");
  }
});

test("an unknown id is reported as apiCode 2004", async () => {
  const client = new ManagementClient({ accessKeyId: KEY_ID, accessKeySecret: SECRET, host: url });
  const res = await client.resignUserBatch({ userIds: ["no-such-user"], userIdType: "user_id" });
  assert.equal(res.statusCode, 404);
  assert.equal(res.apiCode, 2004);
});

test("a wrong secret fails with the signature apiCode", async () => {
  const created = await control("users", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([{ username: "node-dave" }]),
  });
  const id = created.users[0].userId;
  const wrong = new ManagementClient({ accessKeyId: KEY_ID, accessKeySecret: "wrong-secret", host: url });
  const res = await wrong.resignUserBatch({ userIds: [id], userIdType: "user_id" });
  assert.equal(res.statusCode, 401, JSON.stringify(res));
  assert.equal(res.apiCode, 1300);
  assert.ok(res.requestId);
  const users = await control("users");
  assert.equal(users.find((u) => u.userId === id).status, "Activated");
});
