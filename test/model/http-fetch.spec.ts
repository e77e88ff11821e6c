import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { nodeHttpFetch } from '../../src/model/http-fetch';
import { JsonBody } from '../../src/model/json-body';

/** A local server answering with `answer`; records the socket of every request. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; sockets: Socket[]; server: Server }> {
  const sockets: Socket[] = [];
  const server = createServer((req, res) => {
    sockets.push(req.socket);
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      (req as IncomingMessage & { body?: string }).body = body;
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`, sockets, server };
}

async function readAll(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  let text = '';
  for (let r = await reader.read(); !r.done; r = await reader.read()) text += Buffer.from(r.value).toString();
  return text;
}

describe('nodeHttpFetch', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = undefined;
  });

  it('POSTs the body with the headers and streams the response chunks', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-seen': `${req.headers['x-key']} ${(req as IncomingMessage & { body?: string }).body}` });
      res.write('data: 1\n\n');
      setImmediate(() => res.end('data: 2\n\n'));
    });
    server = s.server;
    const res = await nodeHttpFetch(s.url, { method: 'POST', headers: { 'x-key': 'k1' }, body: '{"a":1}' });
    expect(res.ok).to.equal(true);
    expect(res.status).to.equal(200);
    expect(res.statusText).to.equal('OK');
    expect(res.headers.get('X-Seen')).to.equal('k1 {"a":1}');
    expect(res.headers.get('x-absent')).to.equal(null);
    expect(await readAll(res)).to.equal('data: 1\n\ndata: 2\n\n');
  });

  it('writes a body given as bytes, or as a JsonBody chunk by chunk, with its whole length, not chunked', async () => {
    let seen: { body?: string; length?: string; chunked?: string } = {};
    const s = await serve((req, res) => {
      seen = { body: (req as IncomingMessage & { body?: string }).body, length: req.headers['content-length'], chunked: req.headers['transfer-encoding'] };
      res.writeHead(200);
      res.end();
    });
    server = s.server;
    const chunks = [Buffer.from('{"input":['), Buffer.from('{"a":"é"},2'), Buffer.from(']}')];
    for (const body of [Buffer.from('{"input":[{"a":"é"},2]}'), new JsonBody(chunks, Buffer.concat(chunks).length)]) {
      seen = {};
      await readAll(await nodeHttpFetch(s.url, { method: 'POST', body }));
      expect(seen).to.deep.equal({ body: '{"input":[{"a":"é"},2]}', length: String(Buffer.byteLength('{"input":[{"a":"é"},2]}')), chunked: undefined });
    }
  });

  it('gives the body of an error status as text', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '2' });
      res.end('slow down');
    });
    server = s.server;
    const res = await nodeHttpFetch(s.url, { method: 'POST', body: '{}' });
    expect(res.ok).to.equal(false);
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.equal('2');
    expect(await res.text()).to.equal('slow down');
  });

  it('keeps the connection for the next request when the reader stops early and the rest is short', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write('data: [DONE]\n\n');
      setImmediate(() => res.end('trailing bytes'));
    });
    server = s.server;
    for (let i = 0; i < 2; i++) {
      const res = await nodeHttpFetch(s.url, { method: 'POST', body: '{}' });
      const reader = res.body!.getReader();
      expect(Buffer.from((await reader.read()).value).toString()).to.match(/^data: \[DONE\]\n\n/);
      await reader.cancel();
    }
    expect(s.sockets).to.have.length(2);
    expect(s.sockets[1]).to.equal(s.sockets[0]);
  });

  it('cuts a long unread rest instead of reading it all', async () => {
    let closed!: () => void;
    const gone = new Promise<void>((resolve) => (closed = resolve));
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write('data: [DONE]\n\n');
      const block = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(block));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', closed);
      pump();
    });
    server = s.server;
    const res = await nodeHttpFetch(s.url, { method: 'POST', body: '{}' });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await gone;
  });

  it('rejects with the connection error when nothing listens', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    s.server.close();
    const err = (await nodeHttpFetch(url, { method: 'POST', body: '{}' }).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(err.message).to.match(/ECONNREFUSED/);
  });

  it('fails the pending read when the signal fires mid-stream', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write('data: 1\n\n');
    });
    server = s.server;
    const controller = new AbortController();
    const res = await nodeHttpFetch(s.url, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const err = (await reader.read().then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    // ModelClient reports the signal's own reason whatever the read's error says (guardedRead).
    expect(err).to.be.instanceOf(Error);
    expect(err.message).to.match(/aborted/i);
  });
});
