// Produces tests/data/signature-vectors.json by running the official authing-node-sdk
// 4.0.1, unmodified, against a capture server on 127.0.0.1. The date and nonce are pinned
// (Date.prototype.toUTCString and the SDK's DEFAULT_HEADERS export are wrapped from the
// outside) so the file is reproducible; the signatures are the SDK's own.
//
//   node tests/conformance/node/make-signature-vectors.js [OUT.json]
"use strict";

const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const sig = require("authing-node-sdk/dist/utils/buildSignature");
const { ManagementClient } = require("authing-node-sdk");

const OUT = process.argv[2] || path.join(__dirname, "..", "..", "data", "signature-vectors.json");
const DATE = "Mon, 01 Jan 2024 00:00:00 GMT";

let nonce = "0123456789abcdef0123456789abcdef";
const realDefaults = sig.DEFAULT_HEADERS;
sig.DEFAULT_HEADERS = () => ({ ...realDefaults(), "x-authing-signature-nonce": nonce });
Date.prototype.toUTCString = () => DATE;
let lastStringToSign = null;
const realBuild = sig.buildStringToSign;
sig.buildStringToSign = (...args) => {
  lastStringToSign = realBuild(...args);
  return lastStringToSign;
};

function captureServer() {
  const captured = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      captured.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ statusCode: 200, message: "ok", data: { success: true } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, captured, port: server.address().port }))
  );
}

const KEY = { accessKeyId: "62a0000000000000000000aa", accessKeySecret: "test-secret-0123456789abcdef" };
const OTHER_KEY = { accessKeyId: "emulator-access-key-id", accessKeySecret: "emulator-access-key-secret" };

// [description, client options, call, nonce]
const CASES = [
  ["resign-user-batch, the protocol doc's example", KEY, (c) =>
    c.resignUserBatch({ userIds: ["6229ffaxxxxxxxxcade3e3d9", "62a1b2c3d4e5f60718293a4b"], userIdType: "user_id" })],
  ["resign-user, no userIdType", KEY, (c) => c.resignUser({ userId: "6229ffaxxxxxxxxcade3e3d9" })],
  ["resign-user-batch, non-ASCII and reserved URL characters are signed raw", KEY, (c) =>
    c.resignUserBatch({ userIds: ["张三", "a b&c=d?e/f+g%20", "quote\"back\\slash"], userIdType: "username" })],
  ["resign-user-batch, identity ids", OTHER_KEY, (c) =>
    c.resignUserBatch({ userIds: ["62f20932716fbcc10d966ee5:ou_8bae746eac07cd2564654140d2a9ac61"], userIdType: "identity" })],
  ["resign-user-batch, no userIdType", OTHER_KEY, (c) => c.resignUserBatch({ userIds: ["u1"] })],
  ["resign-user, email, en-US", { ...OTHER_KEY, lang: "en-US" }, (c) =>
    c.resignUser({ userId: "alice@example.com", userIdType: "email" })],
  ["resign-user-batch with a tenant (x-authing-app-id)", { ...KEY, tenantId: "tenant-1" }, (c) =>
    c.resignUserBatch({ userIds: ["u1", "u2"], userIdType: "external_id" })],
  ["get-user (GET, booleans in the query)", OTHER_KEY, (c) => c.getUser({ userId: "6229ffaxxxxxxxxcade3e3d9" })],
  ["get-user, a value needing URL-encoding", OTHER_KEY, (c) => c.getUser({ userId: "a b&c", userIdType: "username" })],
  ["get-user-batch (GET array signed as a JSON array)", OTHER_KEY, (c) =>
    c.getUserBatch({ userIds: ["u1", "u2", "张三"], userIdType: "user_id" })],
  ["create-users-batch (nested objects keep their key order)", OTHER_KEY, (c) =>
    c.createUsersBatch({ list: [{ username: "bob", email: "bob@example.com", name: "Bob" }, { phone: "13800000000", externalId: "ext-1" }], options: { keepPassword: false, resetPasswordOnFirstLogin: true } })],
  ["list-users with pagination", OTHER_KEY, (c) => c.listUsers({ options: { pagination: { page: 2, limit: 10 } } })],
];

const SIGNED = (name) => name === "date" || name.startsWith("x-authing-");

async function main() {
  const { server, captured, port } = await captureServer();
  const vectors = [];
  for (let i = 0; i < CASES.length; i++) {
    const [description, options, call] = CASES[i];
    nonce = i === 0 || i === 1 ? "0123456789abcdef0123456789abcdef" : require("node:crypto").createHash("md5").update(`vector-${i}`).digest("hex");
    const client = new ManagementClient({ ...options, host: `http://127.0.0.1:${port}` });
    captured.length = 0;
    await call(client);
    const req = captured[0];
    const url = new URL(req.url, "http://127.0.0.1");
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (SIGNED(k)) headers[k] = v;
    const auth = req.headers.authorization;
    const vector = {
      description,
      method: req.method,
      path: url.pathname,
      headers,
      secret: options.accessKeySecret,
      accessKeyId: options.accessKeyId,
      stringToSign: lastStringToSign,
      signature: auth.slice(auth.indexOf(":") + 1),
    };
    if (req.method === "GET") vector.query = url.search.replace(/^\?/, "");
    else vector.body = req.body;
    vectors.push(vector);
  }
  server.close();
  fs.writeFileSync(OUT, JSON.stringify(vectors, null, 2) + "\n");
  console.log(`wrote ${vectors.length} vectors to ${OUT}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
