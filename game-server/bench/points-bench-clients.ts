// Client side of points-bench.ts, run in its own process so the server process is measured alone.
// Receives { url, seats, phase, seconds, rate } over IPC, plays, answers with counts and round trips.
import { Client, type Room } from "@colyseus/sdk";
import { ClientMessage, ServerMessage } from "@arena/shared";

interface Job {
  url: string;
  seats: { roomId: string; ticket: string }[];
  phase: "closed" | "paced";
  seconds: number;
  rate: number;
}
interface Seat {
  room: Room;
  target: any;
  accepted: number;
  rejected: number;
  rtts: number[];
}

process.once("message", async (job: Job) => {
  const seats: Seat[] = [];
  for (const { roomId, ticket } of job.seats) {
    const client = new Client(job.url);
    client.auth.token = ticket;
    const room = await client.joinById(roomId);
    const seat: Seat = { room, target: null, accepted: 0, rejected: 0, rtts: [] };
    room.onMessage(ServerMessage.GameStarted, (m: any) => (seat.target = m.target));
    room.onMessage(ServerMessage.PointAccepted, (m: any) => {
      seat.accepted++;
      seat.rtts.push(Date.now() - m.clientTs);
      seat.target = m.target;
    });
    room.onMessage(ServerMessage.PointRejected, (m: any) => {
      seat.rejected++;
      seat.rtts.push(Date.now() - m.clientTs);
    });
    room.onMessage("*", () => {});
    seats.push(seat);
  }
  // A room with several players plays a round: everyone's clock first, then each room's host
  // (its creator, seated first) starts it.
  for (const s of seats) s.room.send(ClientMessage.Heartbeat, { clientTs: Date.now() });
  await new Promise((r) => setTimeout(r, 300));
  const hosts = new Map<string, Seat>();
  job.seats.forEach(({ roomId }, i) => hosts.has(roomId) || hosts.set(roomId, seats[i]));
  for (const host of hosts.values()) host.room.send(ClientMessage.StartMatch, {});
  while (seats.some((s) => !s.target)) await new Promise((r) => setTimeout(r, 10));
  process.send!({ ready: true });
  await new Promise((r) => process.once("message", r));

  const send = (s: Seat) => s.room.send(ClientMessage.Point, { clientTs: Date.now(), target: s.target.index, x: s.target.x, y: s.target.y });
  let running = true;
  const stops: (() => void)[] = [];
  if (job.phase === "closed") {
    for (const s of seats) {
      const again = () => running && send(s);
      s.room.onMessage(ServerMessage.PointAccepted, again);
      s.room.onMessage(ServerMessage.PointRejected, again);
      send(s);
    }
  } else {
    seats.forEach((s, i) => {
      let interval: NodeJS.Timeout | undefined;
      const timeout = setTimeout(() => {
        send(s);
        interval = setInterval(() => send(s), 1000 / job.rate);
      }, (i * 1000) / job.rate / seats.length);
      stops.push(() => (clearTimeout(timeout), clearInterval(interval)));
    });
  }
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, job.seconds * 1000));
  running = false;
  stops.forEach((stop) => stop());
  const elapsed = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  const rtts = seats.flatMap((s) => s.rtts);
  process.send!({
    elapsed,
    accepted: seats.reduce((n, s) => n + s.accepted, 0),
    rejected: seats.reduce((n, s) => n + s.rejected, 0),
    rtts,
  });
  await Promise.all(seats.map((s) => s.room.leave().catch(() => 0)));
  process.exit(0);
});
