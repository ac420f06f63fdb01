// A TCP proxy in front of the console that can cut the connections carrying run event streams,
// the way a flaky network or a restarting load balancer does (Chromium's offline mode leaves an
// open stream alone). Other requests pass through untouched.
import { connect, createServer, type Socket } from 'node:net';

export interface DropProxy {
  /** The console's origin as seen through the proxy. */
  url: string;
  /** Event-stream connections open right now. */
  openStreams(): number;
  /** Cuts every open event-stream connection; returns how many were cut. */
  dropStreams(): number;
  /** The Last-Event-ID of each event-stream request that carried one (EventSource's reconnects). */
  resumedAfter: string[];
  close(): Promise<void>;
}

const STREAM_REQUEST = /^GET \/api\/runs\/[^/\s]+\/events[?\s]/m;
const LAST_EVENT_ID = /^last-event-id: *(\S+)/im;

export async function dropProxy(targetPort: number): Promise<DropProxy> {
  const streams = new Set<Socket>();
  const resumedAfter: string[] = [];
  const all = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    all.add(client);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (!STREAM_REQUEST.test(text)) return;
      streams.add(client);
      const lastEventId = LAST_EVENT_ID.exec(text)?.[1];
      if (lastEventId) resumedAfter.push(lastEventId);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      streams.delete(client);
      all.delete(client);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', close);
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    openStreams: () => streams.size,
    resumedAfter,
    dropStreams: () => {
      const cut = [...streams];
      streams.clear();
      for (const socket of cut) socket.destroy();
      return cut.length;
    },
    close: () =>
      new Promise((closed) => {
        for (const socket of all) socket.destroy();
        server.close(() => closed());
      }),
  };
}
