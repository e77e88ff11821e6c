/**
 * The framing between the server and its command host (command-host-main.ts) over the host's
 * stdin and stdout: each frame is a 4-byte big-endian length of the rest, a 4-byte big-endian
 * length of the header, the header as UTF-8 JSON, then the payload bytes (command output, passed on
 * as it is, without re-encoding).
 *
 * Written by hand: the host must load nothing but Node's builtins (it is a small program of its
 * own, started in the lifeline's pid namespace), and no maintained npm package does this little
 * without bringing a protocol of its own; newline-delimited JSON would need the output bytes
 * escaped or base64-encoded.
 */

/** Bytes before the header: the frame length and the header length. */
const PREFIX_BYTES = 8;

/** The largest frame accepted (a spawn with a large environment is far below it); a larger length means a corrupt stream. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** One decoded frame. */
export interface Frame {
  header: Record<string, unknown>;
  payload: Buffer;
}

/** A frame with `header` (any JSON object) and optional raw `payload`. */
export function encodeFrame(header: Record<string, unknown>, payload?: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const payloadBytes = payload?.length ?? 0;
  const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
  prefix.writeUInt32BE(4 + json.length + payloadBytes, 0);
  prefix.writeUInt32BE(json.length, 4);
  return payload ? Buffer.concat([prefix, json, payload]) : Buffer.concat([prefix, json]);
}

/**
 * Cuts a byte stream into frames, whatever the chunking: a frame split over several chunks, or
 * several frames in one. Throws on a corrupt stream (an impossible length or a header that is not
 * a JSON object); the caller then gives up on the stream.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const head = this.peek(PREFIX_BYTES);
      const length = head.readUInt32BE(0);
      if (length < 4 || length > MAX_FRAME_BYTES) throw new Error(`corrupt frame: length ${length}`);
      if (this.buffered < 4 + length) break;
      const frame = this.take(4 + length);
      const headerLength = frame.readUInt32BE(4);
      if (headerLength > length - 4) throw new Error(`corrupt frame: header length ${headerLength} of ${length}`);
      const header: unknown = JSON.parse(frame.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerLength));
      if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error('corrupt frame: header is not an object');
      frames.push({ header: header as Record<string, unknown>, payload: frame.subarray(PREFIX_BYTES + headerLength) });
    }
    return frames;
  }

  /** The first `n` buffered bytes (fewer if fewer are buffered), without consuming them. */
  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n || this.chunks.length === 1) return this.chunks[0];
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  /** Removes and returns the first `n` buffered bytes (n <= buffered). */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.buffered -= n;
    return out;
  }
}
