/**
 * One unmasked, unfragmented, uncompressed WebSocket text frame (RFC 6455 §5.2): FIN + opcode 1,
 * the payload length in 7, 7+16 or 7+64 bits, then the payload. A server's frames are never
 * masked, so the same bytes can be written to every socket that did not negotiate an extension
 * (the hub's server never offers permessage-deflate). Byte-for-byte what `ws`'s
 * `Sender.frame(data, { fin: true, opcode: 1, mask: false, rsv1: false })` produces.
 */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}
