// Test and bench helper: reads a Server-Sent Events body the way EventSource does (through
// eventsource-parser) and hands over messages and comments as they arrive.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseHandlers {
  onMessage?: (message: EventSourceMessage) => void;
  onComment?: (comment: string) => void;
  onRetry?: (ms: number) => void;
}

/** Reads until the stream ends (resolves) or fails (rejects); `cancel` stops it early. */
export function readSse(body: ReadableStream<Uint8Array>, handlers: SseHandlers): { finished: Promise<void>; cancel: () => Promise<void> } {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: handlers.onMessage, onComment: handlers.onComment, onRetry: handlers.onRetry });
  const finished = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  })();
  return { finished, cancel: () => reader.cancel() };
}
