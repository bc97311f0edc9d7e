// Client side of match-bench.ts, in its own process so the server process is measured alone.
// Receives { url, seats, rounds, rate } over IPC; each room's host starts its rounds (start_match),
// a lone player sends game_start; everyone scores at `rate` points/s until end_game, submits and
// waits for match_results. Answers with round trips and counts.
import { Client, type Room } from "@colyseus/sdk";
import { ClientMessage, ServerMessage } from "@arena/shared";
import { BenchPlayer } from "./bench-player.ts";

interface Job {
  url: string;
  seats: { roomId: string; ticket: string; host: boolean; perRoom: number }[];
  rounds: number;
  rate: number;
}

const rtts: number[] = [];
let matches = 0;

async function until(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

async function playSeat(room: Room, seat: Job["seats"][number], job: Job) {
  const player = new BenchPlayer(room, (_accepted, rtt) => rtts.push(rtt));
  const state = () => room.state as any;
  room.send(ClientMessage.Heartbeat, { clientTs: Date.now() });
  for (let r = 0; r < job.rounds; r++) {
    const started = player.wait(ServerMessage.GameStarted);
    const results = player.wait(ServerMessage.MatchResults);
    if (seat.perRoom === 1) room.send(ClientMessage.GameStart, { clientTs: Date.now() });
    else if (seat.host) {
      await until(() => state()?.players?.size >= seat.perRoom && state().phase === "lobby");
      await new Promise((res) => setTimeout(res, 100));
      room.send(ClientMessage.StartMatch, {});
    }
    await player.playGame(started, job.rate);
    await results;
    if (seat.host || seat.perRoom === 1) matches++;
  }
}

process.once("message", async (job: Job) => {
  const rooms: Room[] = [];
  for (const seat of job.seats) {
    const client = new Client(job.url);
    client.auth.token = seat.ticket;
    const room = await client.joinById(seat.roomId);
    room.onMessage("*", () => {});
    rooms.push(room);
  }
  process.send!({ seated: true });
  await new Promise((r) => process.once("message", r));
  const t0 = performance.now();
  await Promise.all(rooms.map((room, i) => playSeat(room, job.seats[i], job)));
  process.send!({ elapsed: (performance.now() - t0) / 1000, matches, rtts });
  await Promise.all(rooms.map((room) => room.leave().catch(() => 0)));
  process.exit(0);
});
