import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { ERRORS, RoomErrorCode } from "@arena/shared";
import { bearer, createRoom, startTestServer, type TestServer } from "./test-server.ts";

/** One bad request and the 4xx it must get. */
interface BadInput {
  name: string;
  method: "GET" | "POST";
  /** Built once the room exists. */
  path: (roomId: string) => string;
  /** Raw body, sent as is (JSON or not). */
  body?: string | Uint8Array<ArrayBuffer>;
  headers?: (token: string) => Record<string, string>;
  status: number;
  code: keyof typeof ERRORS;
}

const json = { "content-type": "application/json" };
const asPlayer = (token: string) => ({ ...json, ...bearer(token) });
const asGuest = () => json;
const huge = "x".repeat(3_000); // under the 4 KiB body limit, far over any field's limit
const oversized = JSON.stringify({ username: "x".repeat(10_000) });
const badPercent = "%E0%A4%A";

/** Bodies no route accepts, with what each must answer (the ticket route as a guest). */
const badBodies: Array<[name: string, body: string, code: keyof typeof ERRORS]> = [
  ["an empty array", "[]", "VALIDATION_FAILED"],
  ["an array of numbers", "[1]", "VALIDATION_FAILED"],
  ["an array of objects", '[{"username":"neo"}]', "VALIDATION_FAILED"],
  ["a JSON string", '"neo"', "VALIDATION_FAILED"],
  ["a JSON number", "42", "VALIDATION_FAILED"],
  ["JSON null", "null", "VALIDATION_FAILED"],
  ["JSON true", "true", "VALIDATION_FAILED"],
  ["malformed JSON", '{"username":', "VALIDATION_FAILED"],
  ["not JSON at all", "username=neo", "VALIDATION_FAILED"],
];

const ticketCases: BadInput[] = [
  ...badBodies.map(([name, body, code]): BadInput => ({ name: `getTicket (guest): ${name}`, method: "POST", path: (id) => `/getTicket/${id}`, body, headers: asGuest, status: ERRORS[code].status, code })),
  ...[
    ["a number", 7], ["null", null], ["an array", ["neo"]], ["an object", { name: "neo" }], ["a boolean", false], ["a huge string", huge], ["an empty string", ""],
  ].map(([name, username]): BadInput => ({
    name: `getTicket (guest): username is ${name}`, method: "POST", path: (id) => `/getTicket/${id}`,
    body: JSON.stringify({ username }), headers: asGuest, status: 400, code: "INVALID_NICKNAME",
  })),
  { name: "getTicket (guest): no body at all", method: "POST", path: (id) => `/getTicket/${id}`, headers: () => ({}), status: 400, code: "INVALID_NICKNAME" },
  { name: "getTicket (guest): oversized body", method: "POST", path: (id) => `/getTicket/${id}`, body: oversized, headers: asGuest, status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "getTicket (player): an array body", method: "POST", path: (id) => `/getTicket/${id}`, body: "[]", headers: asPlayer, status: 400, code: "VALIDATION_FAILED" },
  { name: "getTicket (player): malformed JSON", method: "POST", path: (id) => `/getTicket/${id}`, body: "{", headers: asPlayer, status: 400, code: "VALIDATION_FAILED" },
  { name: "getTicket: garbage bearer token", method: "POST", path: (id) => `/getTicket/${id}`, body: "{}", headers: () => ({ ...json, authorization: "Bearer not.a.jwt" }), status: 401, code: "UNAUTHORIZED" },
  { name: "getTicket: huge bearer token", method: "POST", path: (id) => `/getTicket/${id}`, body: "{}", headers: () => ({ ...json, authorization: `Bearer ${"a".repeat(6_000)}` }), status: 401, code: "UNAUTHORIZED" },
  { name: "getTicket: bad percent-encoding in the room id", method: "POST", path: () => `/getTicket/${badPercent}`, body: '{"username":"neo"}', headers: asGuest, status: 400, code: "VALIDATION_FAILED" },
  { name: "getTicket: huge room id", method: "POST", path: () => `/getTicket/${"r".repeat(4_000)}`, body: '{"username":"neo"}', headers: asGuest, status: 404, code: "ROOM_NOT_FOUND" },
  { name: "getTicket: unsupported charset", method: "POST", path: (id) => `/getTicket/${id}`, body: '{"username":"neo"}', headers: () => ({ "content-type": "application/json; charset=latin1" }), status: 400, code: "VALIDATION_FAILED" },
  { name: "getTicket: unsupported content-encoding", method: "POST", path: (id) => `/getTicket/${id}`, body: '{"username":"neo"}', headers: () => ({ ...json, "content-encoding": "snappy" }), status: 400, code: "VALIDATION_FAILED" },
  { name: "getTicket: corrupt gzip body", method: "POST", path: (id) => `/getTicket/${id}`, body: new Uint8Array(gzipSync('{"username":"neo"}').subarray(0, 12)), headers: () => ({ ...json, "content-encoding": "gzip" }), status: 400, code: "VALIDATION_FAILED" },
];

const roomOptions = { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 4 };
const createCases: BadInput[] = [
  ...badBodies.map(([name, body]): BadInput => ({ name: `POST /rooms: ${name}`, method: "POST", path: () => "/rooms", body, headers: asPlayer, status: 400, code: "VALIDATION_FAILED" })),
  ...[
    ["mode is a number", { mode: 1 }], ["mode is unknown", { mode: "chess" }], ["mode is huge", { mode: huge }], ["mode is null", { mode: null }],
    ["ranked is a string", { ranked: "yes" }], ["maxPlayers is a string", { maxPlayers: "4" }], ["maxPlayers is 0", { maxPlayers: 0 }],
    ["maxPlayers is a fraction", { maxPlayers: 2.5 }], ["maxPlayers is huge", { maxPlayers: 1e12 }], ["private is a number", { private: 1 }],
  ].map(([name, patch]): BadInput => ({
    name: `POST /rooms: ${name}`, method: "POST", path: () => "/rooms", body: JSON.stringify({ ...roomOptions, ...(patch as object) }),
    headers: asPlayer, status: 400, code: "VALIDATION_FAILED",
  })),
  { name: "POST /rooms: an empty object", method: "POST", path: () => "/rooms", body: "{}", headers: asPlayer, status: 400, code: "VALIDATION_FAILED" },
  { name: "POST /rooms: oversized body", method: "POST", path: () => "/rooms", body: JSON.stringify({ ...roomOptions, pad: "x".repeat(10_000) }), headers: asPlayer, status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "POST /rooms: no identity", method: "POST", path: () => "/rooms", body: JSON.stringify(roomOptions), headers: asGuest, status: 401, code: "UNAUTHORIZED" },
  { name: "POST /rooms: an array and no identity", method: "POST", path: () => "/rooms", body: "[]", headers: asGuest, status: 401, code: "UNAUTHORIZED" },
];

const readCases: BadInput[] = [
  { name: "by-code: bad percent-encoding", method: "GET", path: () => `/rooms/by-code/${badPercent}`, status: 400, code: "VALIDATION_FAILED" },
  { name: "by-code: huge code", method: "GET", path: () => `/rooms/by-code/${"A".repeat(4_000)}`, status: 404, code: "ROOM_NOT_FOUND" },
  { name: "by-code: look-alike characters", method: "GET", path: () => "/rooms/by-code/O0I1L", status: 404, code: "ROOM_NOT_FOUND" },
  { name: "monitor: wrong credentials", method: "GET", path: () => "/colyseus/", headers: () => ({ authorization: `Basic ${Buffer.from("admin:wrong").toString("base64")}` }), status: 401, code: "UNAUTHORIZED" },
  { name: "monitor: a malformed Authorization header", method: "GET", path: () => "/colyseus/api", headers: () => ({ authorization: "Basic %%%" }), status: 401, code: "UNAUTHORIZED" },
  { name: "an unknown route", method: "GET", path: () => "/nope", status: 404, code: "NOT_FOUND" },
  { name: "an unknown route with bad percent-encoding", method: "POST", path: () => `/nope/${badPercent}`, body: "[]", headers: asGuest, status: 404, code: "NOT_FOUND" },
];

describe("game-server HTTP routes refuse bad input with a 4xx and a code, never a 500", () => {
  let server: TestServer;
  let roomId: string;
  let token: string;
  before(async () => {
    server = await startTestServer({ ADMIN_PASSWORD: "monitor-pass" });
    ({ token } = await server.login());
    ({ roomId } = await createRoom(server, token));
  });
  after(() => server.close());

  for (const c of [...ticketCases, ...createCases, ...readCases]) {
    it(c.name, async () => {
      const response = await fetch(`${server.url}${c.path(roomId)}`, { method: c.method, headers: c.headers?.(token) ?? {}, body: c.body });
      const text = await response.text();
      assert.equal(response.status, c.status, text);
      const body = JSON.parse(text);
      assert.equal(body.success, false);
      assert.equal(body.error_code, c.code, text);
      assert.ok(!/at .*\.ts|Error:/.test(text), "no internals in the answer");
    });
  }

  it("GET /rooms ignores a junk query string", async () => {
    const response = await fetch(`${server.url}/rooms?mode[]=1&x=%ZZ&${"q=1&".repeat(500)}`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { success: boolean }).success, true);
  });

  // Colyseus owns the matchmaking routes and their answer shape (`{code, error}`, the code doubling as
  // the HTTP status); what is ours is that a refusal carries a code the SDK can tell apart, never a 500.
  const matchmake: Array<[name: string, path: (id: string) => string, body: string, code: number | undefined, status: number]> = [
    ["an array body", (id) => `/matchmake/joinById/${id}`, "[]", RoomErrorCode.TICKET_INVALID, RoomErrorCode.TICKET_INVALID],
    ["a null body", (id) => `/matchmake/joinById/${id}`, "null", RoomErrorCode.TICKET_INVALID, RoomErrorCode.TICKET_INVALID],
    ["a garbage ticket", (id) => `/matchmake/joinById/${id}`, '{"token":1}', RoomErrorCode.TICKET_INVALID, RoomErrorCode.TICKET_INVALID],
    ["malformed JSON", (id) => `/matchmake/joinById/${id}`, "{", undefined, 400],
  ];
  for (const [name, path, body, code, status] of matchmake) {
    it(`joinById: ${name}`, async () => {
      const response = await fetch(`${server.url}${path(roomId)}`, { method: "POST", headers: json, body });
      const answer = (await response.json()) as { code?: number };
      assert.equal(response.status, status);
      assert.equal(answer.code, code);
    });
  }
});
