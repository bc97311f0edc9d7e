import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import jwt from "jsonwebtoken";
import { openDatabase } from "@arena/db";
import { loadBackendConfig } from "../src/config.ts";
import { setUserRole } from "../src/auth/user-roles.ts";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const PASSWORD = "correct horse battery";
const roleOf = (token: string) => (jwt.decode(token) as { role: string }).role;

describe(`auth: admin role only from the database (${storageMode})`, () => {
  let t: TestBackend;
  before(async () => (t = await startTestBackend()));
  after(() => t.close());

  it("the name 'admin' cannot be registered (reserved); a name that only contains it gives a player", async () => {
    const reserved = await t.api("POST", "/auth/register", { body: { username: "admin", password: PASSWORD } });
    assert.equal(reserved.status, 400);
    assert.equal(reserved.body.error_code, "VALIDATION_FAILED");
    const res = await t.api("POST", "/auth/register", { body: { username: "headadmin", password: PASSWORD } });
    assert.equal(res.body.user.role, "player");
    const login = await t.api("POST", "/auth/login", { body: { username: "headadmin", password: PASSWORD } });
    assert.equal(roleOf(login.body.access_token), "player");
  });

  it("grant makes an existing account admin; revoke takes it back and ends its sessions", async () => {
    const before = (await t.login("promoted")).body;
    assert.equal(before.user.role, "player");
    assert.equal((await t.api("GET", "/api/admin/flags", { token: before.access_token })).status, 403);

    const granted = await setUserRole(t, "Promoted", "admin");
    assert.equal(granted.role, "admin");
    const admin = (await t.login("promoted")).body;
    assert.equal(admin.user.role, "admin");
    assert.equal(roleOf(admin.access_token), "admin");
    assert.equal((await t.api("GET", "/api/admin/flags", { token: admin.access_token })).status, 200);
    const audit = await t.db.prisma.auditLog.findFirst({ where: { event: "admin.role_grant", userId: granted.userId } });
    assert.ok(audit, "the grant is audited");

    const revoked = await setUserRole(t, "promoted", "player");
    assert.equal(revoked.role, "player");
    assert.ok(revoked.sessionsEnded >= 2);
    const stale = await t.api("GET", "/api/admin/flags", { token: admin.access_token });
    assert.equal(stale.status, 401, "the admin token died with its session");
    assert.equal((await t.login("promoted")).body.user.role, "player");
  });

  it("refuses an unknown or invalid username", async () => {
    await assert.rejects(setUserRole(t, "nobody_at_all", "admin"), /No account named "nobody_at_all"/);
    await assert.rejects(setUserRole(t, "x", "admin"), /not a valid username/);
  });
});

describe("config: ADMIN_USERNAMES is development only", () => {
  it("is refused at boot with NODE_ENV=production, naming the key", () => {
    assert.throws(() => loadBackendConfig({ NODE_ENV: "production", ADMIN_USERNAMES: "admin" }), /\bADMIN_USERNAMES\b/);
    assert.deepEqual(loadBackendConfig({ NODE_ENV: "production" }).ADMIN_USERNAMES, []);
    assert.deepEqual(loadBackendConfig({ NODE_ENV: "development", ADMIN_USERNAMES: "admin" }).ADMIN_USERNAMES, ["admin"]);
  });
});

describe("npm run admin (the CLI, on an embedded data directory)", function () {
  this.timeout(60_000);
  const cli = fileURLToPath(new URL("../src/admin-cli.ts", import.meta.url));
  let dataDir: string;
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", cli, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: "", NODE_ENV: "test", LOG_LEVEL: "silent" },
    }).then(
      (out) => ({ code: 0, stdout: out.stdout, stderr: out.stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );
  const withDb = async <T>(use: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> => {
    const db = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
    try {
      return await use(db);
    } finally {
      await db.close();
    }
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "arena-admin-cli-"));
    await withDb(async (db) => {
      await db.migrate();
      await db.prisma.user.create({ data: { username: "ops_lead", passwordHash: "x" } });
    });
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it("grants and revokes the role of an existing account", async () => {
    const grant = await run("grant", "ops_lead");
    assert.equal(grant.code, 0, grant.stderr);
    assert.match(grant.stdout, /ops_lead \(id \d+\) is now admin/);
    assert.equal(await withDb(async (db) => (await db.prisma.user.findUniqueOrThrow({ where: { username: "ops_lead" } })).role), "admin");
    const revoke = await run("revoke", "ops_lead");
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.equal(await withDb(async (db) => (await db.prisma.user.findUniqueOrThrow({ where: { username: "ops_lead" } })).role), "player");
  });

  it("fails for an unknown account and for bad arguments", async () => {
    const unknown = await run("grant", "ghost");
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No account named "ghost"/);
    assert.equal((await run("promote", "ops_lead")).code, 2);
    assert.equal((await run("grant")).code, 2);
  });
});
