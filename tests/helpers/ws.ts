import { createClient } from "graphql-ws";
import type { Client, FormattedExecutionResult } from "graphql-ws";

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>;
import WebSocket from "ws";

/** A real graphql-ws client on a test server, which collects what a subscription receives. */
export interface LiveClient {
  client: Client;
  /** Subscribes; items arrive in `received`. */
  subscribe<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Subscription<T>;
  close(): Promise<void>;
}

export interface Subscription<T> {
  received: Array<ExecutionResult<T>>;
  /** Resolves once `count` results have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Array<ExecutionResult<T>>>;
  /** Resolves when the server completes the subscription, with the error it ended with, if any. */
  ended: Promise<unknown>;
  unsubscribe(): void;
}

export function wsUrl(port: number): string {
  return `ws://127.0.0.1:${port}/graphql`;
}

/** `webSocketImpl`: the WebSocket class the client uses (a test may track its sockets to pause one). */
export function connect(port: number, connectionParams?: Record<string, unknown>, webSocketImpl: typeof WebSocket = WebSocket): LiveClient {
  const client = createClient({ url: wsUrl(port), webSocketImpl, connectionParams, retryAttempts: 0, lazy: true });
  return {
    client,
    subscribe<T>(query: string, variables: Record<string, unknown> = {}) {
      const received: Array<ExecutionResult<T>> = [];
      const waiters: Array<() => void> = [];
      let end!: (error: unknown) => void;
      const ended = new Promise<unknown>((resolve) => (end = resolve));
      const unsubscribe = client.subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            received.push(value);
            for (const wake of waiters.splice(0)) wake();
          },
          error: (error) => end(error),
          complete: () => end(null),
        },
      );
      return {
        received,
        ended,
        unsubscribe,
        async waitFor(count, timeoutMs = 5000) {
          const deadline = Date.now() + timeoutMs;
          while (received.length < count) {
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`waited ${timeoutMs} ms for ${count} results, got ${received.length}: ${JSON.stringify(received)}`);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, left);
              waiters.push(() => {
                clearTimeout(timer);
                resolve();
              });
            });
          }
          return received;
        },
      };
    },
    close: () => client.dispose() as Promise<void>,
  };
}
