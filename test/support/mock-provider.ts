import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Token counts a scripted turn reports; each API spells them its own way on the wire. */
export interface MockUsage {
  input: number;
  output: number;
  cached?: number;
  reasoning?: number;
}

interface StepBase {
  /** Held back before the response headers, so tests can exercise connect/header timeouts. */
  delayMs?: number;
}

export interface TextStep extends StepBase {
  kind: 'text';
  text: string;
  /** Number of content deltas; by default one per word, spaces kept. */
  deltas?: number;
  /** Streamed before the text, as a reasoning summary. */
  reasoning?: string;
  usage?: MockUsage;
  /**
   * Holds the stream after this many content deltas until `until` settles, so a test can act in
   * the middle of a stream without racing it.
   */
  pauseAfter?: { deltas: number; until: Promise<unknown> };
}

export interface ToolCallStep extends StepBase {
  kind: 'tool_call';
  name: string;
  /** An object is JSON-encoded; a string is sent verbatim, so malformed arguments can be scripted. */
  arguments: string | object;
  callId?: string;
  /** Fragments the arguments string is streamed in (default 3). */
  pieces?: number;
  reasoning?: string;
  usage?: MockUsage;
}

/** A turn that only reasons and then stops without any text. */
export interface ReasoningStep extends StepBase {
  kind: 'reasoning';
  text: string;
  usage?: MockUsage;
}

export interface HttpErrorStep extends StepBase {
  kind: 'http_error';
  status: number;
  /** Sent verbatim; by default an OpenAI-style `{error:{...}}` JSON body. */
  body?: string;
  retryAfter?: string;
}

/** Sends `after` as one delta, then drops the connection mid-stream. */
export interface CutStep extends StepBase {
  kind: 'cut';
  after: string;
}

/** Sends `after` as one delta, then goes silent until the client leaves or close() is called. */
export interface StallStep extends StepBase {
  kind: 'stall';
  after: string;
}

/**
 * Streams one word at a time. Here `delayMs` is the gap between words, not a delay before the
 * headers: the first word goes out at once.
 */
export interface SlowStep {
  kind: 'slow';
  text: string;
  delayMs: number;
  usage?: MockUsage;
}

export interface BurstStep extends StepBase {
  kind: 'burst';
  deltas: number;
  /** Content of every delta (default "x"). */
  piece?: string;
  usage?: MockUsage;
}

export type Step = TextStep | ToolCallStep | ReasoningStep | HttpErrorStep | CutStep | StallStep | SlowStep | BurstStep;

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, otherwise the raw text ("" when empty). */
  body: any;
  /** Date.now() when the whole body had arrived. */
  receivedAt: number;
}

type Api = 'chat' | 'responses';
type FinishReason = 'stop' | 'tool_calls';

const DEFAULT_STEP: TextStep = { kind: 'text', text: 'ok' };
const DEFAULT_TOOL_PIECES = 3;
/** Burst output is flushed in strings of about this size so a huge burst is a handful of writes. */
const BURST_BATCH_CHARS = 1 << 20;
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

/**
 * A scripted stand-in for an OpenAI-compatible model provider, for integration tests that need a
 * real HTTP peer rather than a stubbed client: it serves streaming Chat Completions
 * (`POST /v1/chat/completions`) and Responses (`POST /v1/responses`) on 127.0.0.1 with an
 * ephemeral port.
 *
 * Both endpoints take their next turn from one FIFO script ({@link MockProvider.enqueue}), so a
 * test describes the conversation once regardless of which wire API the code under test picked.
 * Failure modes a real provider shows only occasionally (HTTP errors with Retry-After, dropped
 * connections, stalls, slow and very chatty streams) are ordinary steps, which makes retry,
 * idle-timeout, interrupt and backpressure paths testable deterministically. Every request is
 * recorded so tests can assert on what the client actually sent.
 *
 * An empty script answers "ok" instead of failing so a stray extra request never hangs a test;
 * assert on {@link MockProvider.requests} or {@link MockProvider.queued} to catch those.
 * {@link MockProvider.close} tears down every open connection, including stalled streams, so
 * an `after` hook can always finish.
 */
export class MockProvider {
  readonly url: string;
  readonly requests: RecordedRequest[] = [];

  private readonly queue: Step[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<{ n: number; settle: (err?: Error) => void }>();
  /** Cancels for pending scripted delays, so close() never waits for a timer. */
  private readonly cancels = new Set<() => void>();
  /** For each pending delay, what ends it early and goes on with the step (release()). */
  private readonly releases = new Map<() => void, () => void>();
  private closed = false;
  /** Numbers each scripted turn so ids differ between turns, like a real provider's. */
  private turns = 0;

  private constructor(private readonly server: Server) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/v1`;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<MockProvider> {
    // The handler needs the instance, but the instance needs the bound port: route through a holder.
    let self: MockProvider | undefined = undefined;
    const server = createServer((req, res) => self!.dispatch(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    self = new MockProvider(server);
    return self;
  }

  /** Appends turns to the script; each incoming model request consumes one. */
  enqueue(...steps: Step[]): void {
    this.queue.push(...steps);
  }

  /** Scripted steps not yet consumed. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Resolves with the first `n` recorded requests once that many have arrived; rejects after
   * `timeoutMs` or when the mock is closed first.
   */
  waitForRequests(n: number, timeoutMs = 5000): Promise<RecordedRequest[]> {
    if (this.requests.length >= n) return Promise.resolve(this.requests.slice(0, n));
    if (this.closed) return Promise.reject(new Error('MockProvider is closed'));
    return new Promise((resolve, reject) => {
      const waiter = {
        n,
        settle: (err?: Error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          if (err) reject(err);
          else resolve(this.requests.slice(0, n));
        },
      };
      const timer = setTimeout(() => waiter.settle(new Error(`MockProvider: expected ${n} request(s) within ${timeoutMs} ms, got ${this.requests.length}`)), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * Ends every pending `delayMs` hold now and plays its step, so a test can hold the model for
   * a long (scripted) time and let it go as soon as its checks are done. Returns how many it released.
   */
  release(): number {
    const releases = [...this.releases.values()];
    for (const release of releases) release();
    return releases.length;
  }

  /** How many responses are being held by a `delayMs` right now. */
  get held(): number {
    return this.releases.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.settle(new Error('MockProvider closed before enough requests arrived'));
    for (const cancel of [...this.cancels]) cancel();
    // server.close() alone waits for keep-alive and stalled connections; destroying them is what
    // guarantees the hook returns.
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await done;
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    // A write racing a client disconnect must not become an uncaught 'error' in the test process.
    res.on('error', () => undefined);
    this.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, { error: { message: `MockProvider failure: ${String(err)}`, type: 'server_error' } });
      } else {
        res.destroy();
      }
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://mock.invalid').pathname;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: flattenHeaders(req),
      body: parseBody(raw),
      receivedAt: Date.now(),
    };
    this.record(record);

    const api: Api | undefined = path === '/v1/chat/completions' ? 'chat' : path === '/v1/responses' ? 'responses' : undefined;
    if (!api) {
      sendJson(res, 404, {
        error: { message: `MockProvider has no route for ${record.method} ${path}`, type: 'invalid_request_error', code: 'not_found' },
      });
      return;
    }
    if (record.method !== 'POST') {
      res.setHeader('allow', 'POST');
      sendJson(res, 405, { error: { message: `Use POST for ${path}`, type: 'invalid_request_error' } });
      return;
    }

    const step = this.queue.shift() ?? DEFAULT_STEP;
    if (step.kind !== 'slow' && step.delayMs && !(await this.wait(step.delayMs, res))) return;

    const body = record.body;
    const model = body && typeof body === 'object' && typeof body.model === 'string' ? body.model : 'mock-model';
    await this.play(step, api, model, res);
  }

  private record(request: RecordedRequest): void {
    this.requests.push(request);
    for (const waiter of [...this.waiters]) {
      if (this.requests.length >= waiter.n) waiter.settle();
    }
  }

  private async play(step: Step, api: Api, model: string, res: ServerResponse): Promise<void> {
    if (step.kind === 'http_error') {
      const headers: Record<string, string> = {};
      if (step.retryAfter !== undefined) headers['retry-after'] = step.retryAfter;
      const body =
        step.body ??
        JSON.stringify({
          error: { message: `MockProvider scripted HTTP ${step.status}`, type: 'mock_error', code: null },
        });
      headers['content-type'] = looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8';
      res.writeHead(step.status, headers);
      res.end(body);
      return;
    }

    const turn = ++this.turns;
    const enc: Encoder = api === 'chat' ? new ChatEncoder(model) : new ResponsesEncoder(model, turn);
    res.writeHead(200, SSE_HEADERS);

    switch (step.kind) {
      case 'text': {
        const frames = [
          enc.start(),
          ...reasoningFrames(enc, step.reasoning),
          ...textFrames(enc, step.text, step.deltas === undefined ? wordPieces(step.text) : evenPieces(step.text, step.deltas)),
          enc.finish('stop', step.usage),
        ];
        if (step.pauseAfter) {
          // The frames before the text's first delta: start, reasoning, text start.
          const head = frames.length - 2 - (step.deltas === undefined ? wordPieces(step.text).length : evenPieces(step.text, step.deltas).length);
          const cut = head + step.pauseAfter.deltas;
          if (!(await this.send(res, frames.slice(0, cut).join('')))) return;
          await step.pauseAfter.until;
          await this.stream(res, [frames.slice(cut).join('')]);
          return;
        }
        await this.stream(res, frames);
        return;
      }

      case 'tool_call': {
        const args = typeof step.arguments === 'string' ? step.arguments : JSON.stringify(step.arguments);
        const callId = step.callId ?? `call_mock_${turn}`;
        await this.stream(res, [
          enc.start(),
          ...reasoningFrames(enc, step.reasoning),
          enc.toolStart(step.name, callId),
          ...evenPieces(args, step.pieces ?? DEFAULT_TOOL_PIECES).map((p) => enc.toolDelta(p)),
          enc.toolEnd(step.name, callId, args),
          enc.finish('tool_calls', step.usage),
        ]);
        return;
      }

      case 'reasoning':
        await this.stream(res, [enc.start(), ...reasoningFrames(enc, step.text), enc.finish('stop', step.usage)]);
        return;

      case 'cut': {
        const head = enc.start() + enc.textStart() + enc.textDelta(step.after);
        // Destroy only once the partial stream is flushed, so the client really sees a torn stream
        // rather than a refused one.
        res.write(head, () => res.socket?.destroy());
        return;
      }

      case 'stall':
        // Nothing ends this response on purpose; the socket is tracked, so close() or the
        // client's own abort tears it down.
        await this.send(res, enc.start() + enc.textStart() + enc.textDelta(step.after));
        return;

      case 'slow': {
        if (!(await this.send(res, enc.start() + enc.textStart()))) return;
        const words = wordPieces(step.text);
        for (let i = 0; i < words.length; i++) {
          if (i > 0 && !(await this.wait(step.delayMs, res))) return;
          if (!(await this.send(res, enc.textDelta(words[i])))) return;
        }
        await this.stream(res, [enc.textEnd(step.text), enc.finish('stop', step.usage)]);
        return;
      }

      case 'burst': {
        const piece = step.piece ?? 'x';
        let batch: string[] = [enc.start(), enc.textStart()];
        let size = 0;
        for (let i = 0; i < step.deltas; i++) {
          const frame = enc.textDelta(piece);
          batch.push(frame);
          size += frame.length;
          if (size >= BURST_BATCH_CHARS) {
            if (!(await this.send(res, batch.join('')))) return;
            batch = [];
            size = 0;
          }
        }
        batch.push(enc.textEnd(piece.repeat(step.deltas)), enc.finish('stop', step.usage));
        await this.stream(res, [batch.join('')]);
        return;
      }
    }
  }

  /** Writes frames in order and ends the response, giving up quietly once the client is gone. */
  private async stream(res: ServerResponse, frames: string[]): Promise<void> {
    for (const frame of frames) {
      if (!(await this.send(res, frame))) return;
    }
    if (!isGone(res)) res.end();
  }

  /** Resolves false when the response can no longer be written, so callers stop scripting. */
  private send(res: ServerResponse, data: string): Promise<boolean> {
    if (isGone(res) || this.closed) return Promise.resolve(false);
    if (data === '' || res.write(data)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (ok: boolean) => {
        res.off('drain', onDrain);
        res.off('close', onClose);
        resolve(ok);
      };
      const onDrain = () => settle(true);
      const onClose = () => settle(false);
      res.on('drain', onDrain);
      res.on('close', onClose);
    });
  }

  /** A scripted pause that ends early (false) on client disconnect or close(). */
  private wait(ms: number, res: ServerResponse): Promise<boolean> {
    if (this.closed || isGone(res)) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        res.off('close', onClose);
        this.cancels.delete(cancel);
        this.releases.delete(cancel);
        resolve(ok);
      };
      const timer = setTimeout(() => settle(true), ms);
      const onClose = () => settle(false);
      const cancel = () => settle(false);
      const release = () => settle(true);
      res.on('close', onClose);
      this.cancels.add(cancel);
      this.releases.set(cancel, release);
    });
  }
}

/**
 * Turns abstract turn events into one API's SSE frames. Methods return '' where that API has no
 * frame for the event, which keeps the step scripts API-agnostic.
 */
interface Encoder {
  start(): string;
  reasoningStart(): string;
  reasoningDelta(piece: string): string;
  reasoningEnd(text: string): string;
  textStart(): string;
  textDelta(piece: string): string;
  textEnd(text: string): string;
  toolStart(name: string, callId: string): string;
  toolDelta(piece: string): string;
  toolEnd(name: string, callId: string, args: string): string;
  finish(reason: FinishReason, usage?: MockUsage): string;
}

class ChatEncoder implements Encoder {
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly model: string) {}

  start(): string {
    return this.chunk({ role: 'assistant', content: '' });
  }
  reasoningStart(): string {
    return '';
  }
  reasoningDelta(piece: string): string {
    return this.chunk({ reasoning: piece });
  }
  reasoningEnd(): string {
    return '';
  }
  textStart(): string {
    return '';
  }
  textDelta(piece: string): string {
    return this.chunk({ content: piece });
  }
  textEnd(): string {
    return '';
  }
  toolStart(name: string, callId: string): string {
    // Like OpenAI: identity in the first tool delta, later deltas carry only argument fragments.
    return this.chunk({ tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }] });
  }
  toolDelta(piece: string): string {
    return this.chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
  }
  toolEnd(): string {
    return '';
  }
  finish(reason: FinishReason, usage?: MockUsage): string {
    let out = this.chunk({}, reason);
    if (usage) {
      out += data({
        ...this.envelope(),
        choices: [],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
          prompt_tokens_details: { cached_tokens: usage.cached ?? 0 },
          completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
        },
      });
    }
    return out + 'data: [DONE]\n\n';
  }

  private envelope() {
    return { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private chunk(delta: Record<string, unknown>, finishReason: FinishReason | null = null): string {
    return data({ ...this.envelope(), choices: [{ index: 0, delta, finish_reason: finishReason }] });
  }
}

class ResponsesEncoder implements Encoder {
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private readonly id: string;
  private seq = 0;
  private readonly output: Record<string, unknown>[] = [];
  private current = { id: '', index: 0 };

  constructor(
    private readonly model: string,
    private readonly n: number,
  ) {
    this.id = `resp_mock_${n}`;
  }

  start(): string {
    const response = this.response('in_progress', null);
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  reasoningStart(): string {
    const part = { type: 'summary_text', text: '' };
    return this.open('rs', { type: 'reasoning', summary: [] }) + this.event('response.reasoning_summary_part.added', { ...this.where(), summary_index: 0, part });
  }
  reasoningDelta(piece: string): string {
    return this.event('response.reasoning_summary_text.delta', { ...this.where(), summary_index: 0, delta: piece });
  }
  reasoningEnd(text: string): string {
    const part = { type: 'summary_text', text };
    return (
      this.event('response.reasoning_summary_text.done', { ...this.where(), summary_index: 0, text }) +
      this.event('response.reasoning_summary_part.done', { ...this.where(), summary_index: 0, part }) +
      this.close({ type: 'reasoning', summary: [part] })
    );
  }

  textStart(): string {
    const part = { type: 'output_text', text: '', annotations: [] };
    return (
      this.open('msg', { type: 'message', status: 'in_progress', role: 'assistant', content: [] }) +
      this.event('response.content_part.added', { ...this.where(), content_index: 0, part })
    );
  }
  textDelta(piece: string): string {
    return this.event('response.output_text.delta', { ...this.where(), content_index: 0, delta: piece });
  }
  textEnd(text: string): string {
    const part = { type: 'output_text', text, annotations: [] };
    return (
      this.event('response.output_text.done', { ...this.where(), content_index: 0, text }) +
      this.event('response.content_part.done', { ...this.where(), content_index: 0, part }) +
      this.close({ type: 'message', status: 'completed', role: 'assistant', content: [part] })
    );
  }

  toolStart(name: string, callId: string): string {
    return this.open('fc', { type: 'function_call', status: 'in_progress', name, arguments: '', call_id: callId });
  }
  toolDelta(piece: string): string {
    return this.event('response.function_call_arguments.delta', { ...this.where(), delta: piece });
  }
  toolEnd(name: string, callId: string, args: string): string {
    return (
      this.event('response.function_call_arguments.done', { ...this.where(), arguments: args }) +
      this.close({ type: 'function_call', status: 'completed', name, arguments: args, call_id: callId })
    );
  }

  finish(_reason: FinishReason, usage?: MockUsage): string {
    const wireUsage = usage
      ? {
          input_tokens: usage.input,
          input_tokens_details: { cached_tokens: usage.cached ?? 0 },
          output_tokens: usage.output,
          output_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
          total_tokens: usage.input + usage.output,
        }
      : null;
    return this.event('response.completed', { response: this.response('completed', wireUsage) });
  }

  private response(status: string, usage: unknown) {
    return {
      id: this.id,
      object: 'response',
      created_at: this.createdAt,
      status,
      model: this.model,
      output: [...this.output],
      usage,
    };
  }

  private open(prefix: string, item: Record<string, unknown>): string {
    this.current = { id: `${prefix}_mock_${this.n}_${this.output.length}`, index: this.output.length };
    return this.event('response.output_item.added', { output_index: this.current.index, item: { id: this.current.id, ...item } });
  }

  private close(item: Record<string, unknown>): string {
    const full = { id: this.current.id, ...item };
    this.output.push(full);
    return this.event('response.output_item.done', { output_index: this.current.index, item: full });
  }

  private where() {
    return { item_id: this.current.id, output_index: this.current.index };
  }

  private event(type: string, payload: Record<string, unknown>): string {
    return `event: ${type}\n` + data({ type, sequence_number: this.seq++, ...payload });
  }
}

function reasoningFrames(enc: Encoder, text: string | undefined): string[] {
  if (text === undefined) return [];
  return [enc.reasoningStart(), ...wordPieces(text).map((p) => enc.reasoningDelta(p)), enc.reasoningEnd(text)];
}

function textFrames(enc: Encoder, text: string, pieces: string[]): string[] {
  return [enc.textStart(), ...pieces.map((p) => enc.textDelta(p)), enc.textEnd(text)];
}

function data(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** Word-sized pieces whose concatenation is exactly the input, so reassembly tests are exact. */
function wordPieces(text: string): string[] {
  return text.match(/^\s+|\S+\s*/g) ?? [];
}

/** At most `n` nearly equal pieces, cut on code points so no delta carries half a surrogate pair. */
function evenPieces(text: string, n: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [];
  const count = Math.max(1, Math.min(Math.floor(n), chars.length));
  const base = Math.floor(chars.length / count);
  const extra = chars.length % count;
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const len = base + (i < extra ? 1 : 0);
    out.push(chars.slice(at, at + len).join(''));
    at += len;
  }
  return out;
}

function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded || res.socket?.destroyed === true;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    // An aborted upload never emits 'end'; without this the handler would dangle forever.
    req.once('close', () => {
      if (!req.complete) reject(new Error('request aborted before its body arrived'));
    });
  });
}

function parseBody(raw: string): any {
  if (raw === '') return '';
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
