import "reflect-metadata";
import { defaultFieldResolver, isObjectType, SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef } from "graphql";
import type { GraphQLFieldResolver, GraphQLSchema } from "graphql";
import sqlite3 from "sqlite3";
import { loadConfig } from "../../src/config";
import { createSchema } from "../../src/api/schema";
import { createServer } from "../../src/server";

/*
 * The server `npm run calibrate` measures: the real one (createServer, configured from the
 * environment the driver sets: production, LOG_LEVEL=warn), plus a probe the driver switches on
 * over IPC for one request at a time. With the probe off nothing of it is installed: the
 * resolvers and sqlite3's methods are the originals, so the CPU the driver reads
 * (process.cpuUsage of this process, every thread, the database's included) is the server's own.
 * Run as `node dist/tests/bench/calibrate-server.js` by the driver (calibrate.ts), with IPC.
 */

/** What one request did while the probe was on. */
export interface Work {
  /** Resolver calls, every field of every object in the answer (introspection and __typename included). */
  fields: number;
  /** SQL statements, as the database's listeners hear them. */
  statements: number;
  /** Rows SQLite handed back to the server. */
  rows: number;
}

export type ProbeRequest = { id: number; type: "cpu" } | { id: number; type: "count" } | { id: number; type: "counted" } | { id: number; type: "stop" };
export type ProbeReply = { id: number; cpuMs?: number; work?: Work };

type Rows = Array<Record<string, unknown>> | Record<string, unknown> | undefined;
type RowsCallback = (this: unknown, error: Error | null, rows: Rows) => void;

/** Counts resolver calls and SQLite rows while installed; uninstalling puts every original back. */
class Probe {
  private undo: Array<() => void> = [];
  work: Work = { fields: 0, statements: 0, rows: 0 };

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly listeners: Set<(sql: string) => void>,
  ) {}

  install(): void {
    this.uninstall();
    this.work = { fields: 0, statements: 0, rows: 0 };
    const work = this.work;
    const fields = [SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef];
    for (const type of Object.values(this.schema.getTypeMap())) if (isObjectType(type)) fields.push(...Object.values(type.getFields()));
    for (const field of fields) {
      const original = field.resolve;
      const resolve: GraphQLFieldResolver<unknown, unknown> = original ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        work.fields++;
        return resolve(source, args, context, info);
      };
      this.undo.push(() => (field.resolve = original));
    }
    const statement = sqlite3.Statement.prototype as unknown as Record<"all" | "get", (...args: unknown[]) => unknown>;
    for (const method of ["all", "get"] as const) {
      const original = statement[method];
      statement[method] = function (this: unknown, ...args: unknown[]) {
        const last = args.length - 1;
        const callback = args[last];
        if (typeof callback === "function") {
          args[last] = function (this: unknown, error: Error | null, rows: Rows) {
            if (!error) work.rows += Array.isArray(rows) ? rows.length : rows ? 1 : 0;
            return (callback as RowsCallback).call(this, error, rows);
          };
        }
        return original.apply(this, args);
      };
      this.undo.push(() => (statement[method] = original));
    }
    const listener = () => void work.statements++;
    this.listeners.add(listener);
    this.undo.push(() => this.listeners.delete(listener));
  }

  uninstall(): Work {
    for (const undo of this.undo.splice(0).reverse()) undo();
    return this.work;
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // The schema is built once per process: the probe wraps the very objects the server executes.
  const schema = await createSchema();
  const server = await createServer(config);
  const probe = new Probe(schema, server.db.listeners);
  process.on("message", (message: ProbeRequest) => {
    const reply = (body: Omit<ProbeReply, "id">) => process.send!({ id: message.id, ...body });
    if (message.type === "cpu") {
      const { user, system } = process.cpuUsage();
      reply({ cpuMs: (user + system) / 1000 });
    } else if (message.type === "count") {
      probe.install();
      reply({});
    } else if (message.type === "counted") {
      reply({ work: probe.uninstall() });
    } else {
      probe.uninstall();
      server.stop().then(
        () => process.send!({ id: message.id }, () => process.exit(0)),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    }
  });
  process.send!({ id: 0, port: server.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
