/**
 * Splits a byte stream into newline-terminated lines.
 *
 * Written by hand because readline decodes bytes before splitting (invalid UTF-8 silently becomes
 * U+FFFD, so a garbage line would look like valid text) and has no size cap. Here each line is
 * kept as raw bytes, a long line costs one copy (chunks are joined once, when its newline comes),
 * and a line longer than the cap is dropped and reported instead of growing memory for ever.
 */
export type LineEvent = { kind: 'line'; bytes: Buffer } | { kind: 'oversize'; bytes: number };

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(private readonly maxLineBytes: number) {}

  /** Feeds a chunk; returns the complete lines it finished (without `\n` or a trailing `\r`). */
  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      this.finishLine(chunk.subarray(start, nl), out);
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
    return out;
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): LineEvent[] {
    const out: LineEvent[] = [];
    if (this.pendingBytes > 0 || this.discarding) this.finishLine(Buffer.alloc(0), out);
    return out;
  }

  private keep(part: Buffer): void {
    if (this.discarding) {
      this.pendingBytes += part.length;
      return;
    }
    // Copy: the chunk's memory may be reused by the stream after this call returns.
    this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.maxLineBytes) {
      this.pending = [];
      this.discarding = true;
    }
  }

  private finishLine(tail: Buffer, out: LineEvent[]): void {
    const total = this.pendingBytes + tail.length;
    if (this.discarding || total > this.maxLineBytes) {
      out.push({ kind: 'oversize', bytes: total });
    } else {
      let line = this.pending.length === 0 ? tail : Buffer.concat([...this.pending, tail], total);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      out.push({ kind: 'line', bytes: line });
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.discarding = false;
  }
}
