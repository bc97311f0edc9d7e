import assert from "node:assert/strict";
import { loadMigrations, migrate, type Database } from "../src/index.ts";
import { openTestDatabase } from "../test-kit/test-database.ts";

describe("migrations", () => {
  let db: Database;
  before(async () => (db = await openTestDatabase()));
  after(() => db.close());

  it("records every migration once, as prisma migrate deploy does", async () => {
    const files = await loadMigrations();
    const rows = await db.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date | null }>(
      `SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    assert.deepEqual(rows.map((r) => r.migration_name), files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      assert.equal(row.checksum, files[i].checksum);
      assert.match(row.checksum, /^[0-9a-f]{64}$/);
      assert.equal(row.applied_steps_count, 1);
      assert.ok(row.finished_at);
    }
    const again = await db.migrate();
    assert.deepEqual(again.applied, []);
  });

  it("refuses an applied migration whose file changed", async () => {
    const files = await loadMigrations();
    const changed = files.map((f, i) => (i === 0 ? { ...f, checksum: "0".repeat(64) } : f));
    await assert.rejects(migrate(db.sql, changed), /modified/);
  });

  it("writes and reads every model through the generated client", async () => {
    const p = db.prisma;
    const user = await p.user.create({ data: { username: "drift_check", passwordHash: "h", role: "admin" } });
    const session = await p.session.create({ data: { id: "sid-1", userId: user.id, expiresAt: new Date(Date.now() + 1000) } });
    await p.refreshToken.create({ data: { tokenHash: "a".repeat(64), sessionId: session.id } });
    await p.score.create({ data: { board: "general", period: "all", userId: user.id, score: 10n } });
    await p.scoreHistory.create({ data: { userId: user.id, actionId: "act-1", actionType: "bonus", board: "general", points: 10, newScore: 10n } });
    await p.flag.create({ data: { userId: user.id, reason: "burst", evidence: { bursts: [1, 2] } } });
    await p.auditLog.create({ data: { event: "test", userId: user.id, ip: "127.0.0.1", data: { ok: true } } });
    await p.user.update({ where: { id: user.id }, data: { equippedSkin: "gold-star" } });
    await p.profile.create({ data: { userId: user.id, balance: 40n, lifetimeEarned: 50n, loginStreak: 1, lastBonusDay: new Date("2026-12-02T00:00:00Z") } });
    await p.pointsLedger.create({ data: { userId: user.id, amount: 50, reason: "login_bonus", reference: "2026-12-02" } });
    await p.pointsLedger.create({ data: { userId: user.id, amount: -10, reason: "skin_unlock", reference: "gold-star" } });
    await p.userSkin.create({ data: { userId: user.id, skinId: "gold-star" } });
    const endedAt = new Date();
    await p.match.create({
      data: {
        matchId: "00000000-0000-4000-8000-000000000001", roomCode: "ABCDE", mode: "classic", round: 1, solo: false, outcome: "completed", startedAt: endedAt, endedAt,
        players: { create: [{ seat: 0, userId: user.id, nick: "drift_check", guest: false, score: 5n, placement: 1, flagged: false, finished: true, resultSaved: true, endedAt }] },
      },
    });
    await p.chatMessage.create({ data: { messageId: "00000000-0000-4000-8000-000000000002", roomCode: "ABCDE", senderNick: "neo", guest: true, text: "hi", sentAt: endedAt } });

    const loaded = await p.user.findUniqueOrThrow({
      where: { id: user.id },
      include: { sessions: { include: { refreshTokens: true } }, scores: true, history: true, flags: true, matches: { include: { match: true } } },
    });
    assert.equal(loaded.sessions[0].refreshTokens[0].tokenHash, "a".repeat(64));
    assert.equal(loaded.scores[0].score, 10n);
    assert.equal(loaded.history[0].newScore, 10n);
    assert.deepEqual(loaded.flags[0].evidence, { bursts: [1, 2] });
    assert.equal(loaded.matches[0].match.roomCode, "ABCDE");
    assert.equal(loaded.matches[0].pointsEarned, 0);
    assert.equal((await p.chatMessage.findFirstOrThrow({ where: { roomCode: "ABCDE" } })).text, "hi");
    assert.equal((await p.auditLog.findFirstOrThrow({ where: { event: "test" } })).ip, "127.0.0.1");
    await assert.rejects(p.scoreHistory.create({ data: { userId: user.id, actionId: "act-1", actionType: "x", board: "general", points: 1, newScore: 1n } }));
    const progress = await p.user.findUniqueOrThrow({ where: { id: user.id }, include: { profile: true, ledger: true, skins: true } });
    assert.equal(progress.equippedSkin, "gold-star");
    assert.equal(progress.profile?.balance, 40n);
    assert.deepEqual(progress.ledger.map((r) => r.amount).sort((a, b) => a - b), [-10, 50]);
    assert.equal(progress.skins[0].skinId, "gold-star");
    // The ledger pays once per (user, reason, reference); the balance never goes below 0; reasons are a closed set.
    await assert.rejects(p.pointsLedger.create({ data: { userId: user.id, amount: 50, reason: "login_bonus", reference: "2026-12-02" } }));
    await assert.rejects(p.profile.update({ where: { userId: user.id }, data: { balance: -1n } }));
    await assert.rejects(p.pointsLedger.create({ data: { userId: user.id, amount: 5, reason: "gift", reference: "x" } }));
  });
});
